"""Authentication: a bearer token or the browser session; nothing without one."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from casework.accounts.auth import LAST_USED_RESOLUTION
from casework.accounts.models import ApiToken
from casework.cases.models import CaseNote
from tests.api.conftest import API_PATHS
from tests.factories import ActionFactory

NOTE = {
    "contact_type": "phone",
    "sections": {"facts": "Rang Jordan.", "follow_up": "Ring back Friday."},
}


def note_body():
    return {**NOTE, "occurred_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat()}


@pytest.mark.parametrize(("template", "method"), [(p, m) for p, ms in API_PATHS.items() for m in sorted(ms)])
def test_every_endpoint_answers_401_without_credentials(world, api_as, note, template, method):
    url_ids = {
        "case_id": world.case.pk,
        "note_id": note.pk,
        "action_id": 1,
        "client_id": world.case.client_id,
    }
    client = api_as()

    if method == "get":
        response = client.get(template, **url_ids)
    else:
        response = getattr(client, method)(template, {}, **url_ids)

    assert response.status_code == 401
    assert "API token" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("template", "method"), [(p, m) for p, ms in API_PATHS.items() for m in sorted(ms)])
def test_every_endpoint_works_with_a_browser_session(world, api_as, note, template, method):
    action = ActionFactory(case=world.case)
    url_ids = {
        "case_id": world.case.pk,
        "note_id": note.pk,
        "action_id": action.pk,
        "client_id": world.case.client_id,
    }
    bodies = {
        "/api/cases": {
            "first_name": "Rhys",
            "last_name": "Bevan",
            "case_type": world.case.case_type.code,
            "required_outcomes": "Find a training course",
        },
        "/api/clients/{client_id}": {"phone": "01632 960001", "reason": "New phone", "version": 1},
        "/api/cases/{case_id}": {"complexity": 3, "version": world.case.version},
        "/api/cases/{case_id}/closure": {
            "reason": "Client moved away",
            "open_actions": "keep",
            "version": world.case.version,
        },
        "/api/cases/{case_id}/reallocation": {
            "new_owner": world.colleague.pk,
            "reason": "Alex is moving team",
            "version": world.case.version,
        },
        "/api/cases/{case_id}/notes": note_body(),
        "/api/notes/{note_id}/amendments": {
            "amends_version": 1,
            "reason": "Typo",
            "sections": {"facts": "Rang Jordan at ten."},
        },
        "/api/actions/{action_id}": {"status": "done"},
    }
    # Reallocation is for the owner's supervisor.
    who = world.supervisor if template.endswith("reallocation") else world.practitioner
    client = api_as(who, via="session")
    world.case.required_outcomes = ""
    world.case.save()
    world.case.refresh_from_db()

    if method == "get":
        response = client.get(template, **url_ids)
    else:
        response = getattr(client, method)(template, bodies[template], **url_ids)

    expected = {"get": 200, "post": 201, "patch": 200}[method]
    if template.endswith("reallocation"):
        expected = 200
    assert response.status_code == expected, response.json()


def test_bearer_token_reads_and_writes_as_its_user(world, api_as, token_for):
    client = api_as(token=token_for(world.practitioner))

    listing = client.get("/api/cases")
    created = client.post("/api/cases/{case_id}/notes", note_body(), case_id=world.case.pk)

    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["items"]] == [world.case.pk]
    assert created.status_code == 201
    note = CaseNote.objects.get(case=world.case)
    assert note.author == world.practitioner
    assert note.versions.get().recorded_by == world.practitioner


def test_bearer_token_needs_no_csrf_token(world, api_as, token_for):
    client = api_as(token=token_for(world.practitioner), enforce_csrf_checks=True)

    response = client.post("/api/cases/{case_id}/notes", note_body(), case_id=world.case.pk)

    assert response.status_code == 201


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_token_is_401(world, api_as, method):
    client = api_as(token="cw_not-a-real-token")

    if method == "get":
        response = client.get("/api/cases")
    else:
        response = client.post("/api/cases/{case_id}/notes", note_body(), case_id=world.case.pk)

    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is unknown or has been revoked."}
    assert CaseNote.objects.count() == 0


def test_revoked_token_is_401(world, api_as):
    token, key = ApiToken.issue(world.practitioner)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])

    response = api_as(token=key).get("/api/cases")

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_401(world, api_as, token_for):
    key = token_for(world.practitioner)
    world.practitioner.is_active = False
    world.practitioner.save(update_fields=["is_active"])

    response = api_as(token=key).get("/api/cases")

    assert response.status_code == 401


def test_a_bad_token_is_refused_even_with_a_good_session(world, api_as):
    # Explicit credentials that fail are an error, not a cue to fall back to the cookie.
    response = api_as(world.practitioner, via="session", token="cw_wrong").get("/api/cases")

    assert response.status_code == 401


def test_token_use_is_recorded_at_most_once_a_minute(world, api_as, token_for):
    key = token_for(world.practitioner)
    client = api_as(token=key)
    token = ApiToken.objects.get(user=world.practitioner)
    assert token.last_used_at is None

    client.get("/api/cases")
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get("/api/cases")
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - LAST_USED_RESOLUTION)
    client.get("/api/cases")
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_session_post_without_csrf_token_is_403_and_writes_nothing(world, api_as):
    client = api_as(world.practitioner, via="session", enforce_csrf_checks=True)

    response = client.post("/api/cases/{case_id}/notes", note_body(), case_id=world.case.pk)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert CaseNote.objects.count() == 0


def test_session_post_with_csrf_token_is_accepted(world, api_as):
    secret = "k" * 32  # as a page would have set in the CSRF cookie
    client = api_as(world.practitioner, via="session", enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=secret)
    client.client.cookies[settings.CSRF_COOKIE_NAME] = secret

    response = client.post("/api/cases/{case_id}/notes", note_body(), case_id=world.case.pk)

    assert response.status_code == 201
    assert CaseNote.objects.filter(case=world.case).count() == 1


def test_session_get_needs_no_csrf_token(world, api_as):
    response = api_as(world.practitioner, via="session", enforce_csrf_checks=True).get("/api/cases")

    assert response.status_code == 200


def test_openapi_document_is_public_and_lists_no_data(world):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    assert world.case.client.last_name not in response.content.decode()
