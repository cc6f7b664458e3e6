"""Signing in and out, and what every page shares: skip link, navigation, no inline script."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from casework.cases.services import note_record
from tests.factories import ActionFactory, contact_type


def test_sign_in_page_labels_its_fields(db):
    body = Client().get("/accounts/login/").content.decode()

    assert "<title>Sign in \u2013 Casework</title>" in body
    assert '<label for="id_username">Username</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert "<nav" not in body


def test_wrong_password_is_explained_and_linked_to_the_field(world):
    response = Client().post("/accounts/login/", {"username": "alex", "password": "not-the-password"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in \u2013 Casework</title>" in body
    assert re.search(r'<li><a href="#id_username">Please enter a correct username and password', body)
    assert "_auth_user_id" not in Client().session


def test_sign_in_goes_to_my_caseload_and_sign_out_ends_the_session(world):
    client = Client()

    signed_in = client.post(
        "/accounts/login/", {"username": "alex", "password": "correct-horse-battery"}, follow=True
    )
    page = signed_in.content.decode()
    signed_out = client.post("/accounts/logout/")

    assert signed_in.redirect_chain[-1][0] == "/"
    assert 'class="signout__name"' in page
    assert re.search(r'<form class="signout" method="post" action="/accounts/logout/">', page)
    assert signed_out.status_code == 302
    assert client.get("/").status_code == 302


@pytest.fixture
def pages(world):
    """Every page of the web UI a case owner can open, by path."""
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=world.case.created_at,
        sections={"facts": "Emailed the CV template."},
    )
    ActionFactory(case=world.case)
    case = world.case.pk
    return [
        "/",
        f"/cases/{case}/",
        f"/cases/{case}/notes",
        f"/cases/{case}/status",
        f"/notes/{note.pk}/amend",
        "/cases/999999/",
    ]


def test_every_page_has_the_shared_layout_and_no_inline_script(world, signed_in, pages):
    client = signed_in(world.supervisor)

    for path in [*pages, "/team/", f"/team/{world.practitioner.pk}/"]:
        body = client.get(path).content.decode()
        assert '<a class="skip-link" href="#main">Skip to main content</a>' in body, path
        assert '<main id="main"' in body, path
        assert '<nav aria-label="Main">' in body, path
        assert '<script src="/static/vendor/htmx.min.js" defer></script>' in body, path
        assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]+"\}\'>', body), path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), f"inline script on {path}"
        assert " style=" not in body, f"inline style on {path}"
        # htmx must keep no copy of pages (client data) in the browser's localStorage.
        assert '"historyCacheSize": 0' in body, path
        assert " on" + "click=" not in body, path


def test_every_form_control_has_a_label(world, signed_in, pages):
    client = signed_in(world.practitioner)

    for path in pages:
        body = client.get(path).content.decode()
        for control_id in re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body
        ):
            assert f'<label for="{control_id}"' in body, f"{control_id} on {path} has no label"


def test_not_found_page(world, signed_in):
    response = signed_in(world.practitioner).get("/cases/999999/")

    assert response.status_code == 404
    assert "<title>Page not found \u2013 Casework</title>" in response.content.decode()


def test_favicon_needs_no_sign_in(db):
    response = Client().get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")


def test_debug_pages_are_off_unless_asked_for():
    """Issue 9, D13: `make run` must not list every URL pattern on a wrong address."""
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    code = "import casework.settings as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"

    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout

    assert out.split() == ["False", "True"]
