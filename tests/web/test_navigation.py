"""Each role's navigation offers the pages it may use, and marks the current one."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory

EXPECTED = {
    "owner": ["/today/", "/", "/actions/mine", "/inbox/", "/export/"],
    "supervisor": ["/today/", "/", "/actions/mine", "/team/", "/today/team/", "/inbox/", "/export/"],
    "manager": ["/today/", "/", "/team/", "/today/team/", "/inbox/", "/priorities/criteria/"],
    "admin": [
        "/administration/staff/",
        "/administration/teams/",
        "/administration/settings/",
        "/priorities/criteria/",
    ],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_navigation_by_role(world, client, role):
    user = world.by_role()[role]
    client.force_login(user)
    body = client.get("/accounts/two-step/").content.decode()
    nav = body[body.index('<ul class="nav">') : body.index("</ul>", body.index('<ul class="nav">'))]
    assert re.findall(r'<a href="([^"]+)"', nav) == EXPECTED[role]
    assert 'href="/accounts/two-step/"' in body


def test_current_page_is_marked(world, client):
    client.force_login(world.supervisor)
    body = client.get("/team/").content.decode()
    assert '<a href="/team/" aria-current="page">Team</a>' in body
    assert body.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("owner", "/"),
        ("supervisor", "/team/"),
        ("manager", "/team/"),
        ("admin", "/administration/staff/"),
    ],
)
def test_each_role_lands_on_the_page_it_works_from(world, role, landing):
    """Issue 9, D21: nobody but a practitioner lands on an empty My caseload."""
    user = world.by_role()[role]
    user.set_password("harbour-lantern-47-quietly")
    user.save()
    client = Client()

    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "harbour-lantern-47-quietly"}, follow=True
    )

    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_the_data_protection_officer_lands_on_data_protection(world, signed_in):
    dpo = UserFactory(organisation=world.organisation, role="dpo")

    response = signed_in(dpo).get("/start/")

    assert response["Location"] == "/governance/"
