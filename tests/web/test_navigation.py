"""Each role's navigation offers the pages it may use, and marks the current one."""

import re

import pytest

EXPECTED = {
    "owner": ["/today/", "/", "/inbox/", "/export/"],
    "supervisor": ["/today/", "/", "/team/", "/today/team/", "/inbox/", "/export/"],
    "manager": ["/today/", "/", "/team/", "/today/team/", "/inbox/", "/priorities/criteria/"],
    "admin": ["/priorities/criteria/"],
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
