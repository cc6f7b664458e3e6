"""No input crashes the server (issue 8, findings 3 and 9): NUL and control characters, dates
far outside any case's life, bodies that are not JSON objects, and the server's own faults,
all answered as JSON naming what to fix, with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.cases import selectors
from casework.cases.models import Action, CaseNote, NoteVersion
from tests.factories import ActionFactory

NOTE_URL = "/api/cases/{case_id}/notes"


def _note(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contact_type": "phone",
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "sections": {"facts": "Rang about the job.", "follow_up": "Monday."},
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("facts", _note(sections={"facts": "Rang\x00 about it.", "follow_up": "Monday."})),
        ("follow_up", _note(sections={"facts": "Rang.", "follow_up": "Mon\x1bday."})),
        ("contact_type", _note(contact_type="pho\x00ne")),
        ("description", _note(actions=[{"description": "Send\x00 CV", "due_on": "2030-01-01"}])),
        ("facts", _note(sections={"facts": "Broken \ud800 pair", "follow_up": "Monday."})),
    ],
)
def test_a_nul_or_control_character_is_refused_naming_the_field(world, api_as, field, body):
    response = api_as(world.practitioner).post(NOTE_URL, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert field in [str(part) for item in response.json()["detail"] for part in item["loc"]]
    assert CaseNote.objects.count() == 0


def test_tabs_and_line_breaks_are_kept_in_a_note(world, api_as):
    facts = "Rang about the job.\n\tShe has the interview on Friday.\r\nAll fine."
    body = _note(sections={"facts": facts, "follow_up": "Monday."})

    response = api_as(world.practitioner).post(NOTE_URL, body, case_id=world.case.pk)

    assert response.status_code == 201
    assert NoteVersion.objects.get().facts == facts


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "1899-12-31T23:00:00Z", "9999-12-31T23:59:59Z"])
def test_a_contact_time_outside_1900_to_2100_is_refused(world, api_as, when):
    response = api_as(world.practitioner).post(NOTE_URL, _note(occurred_at=when), case_id=world.case.pk)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "occurred_at"]
    assert CaseNote.objects.count() == 0


@pytest.mark.parametrize("due", ["0001-01-01", "9999-12-31"])
def test_an_action_due_date_outside_1900_to_2100_is_refused(world, api_as, due):
    action = ActionFactory(case=world.case)
    body = {"due_on": due, "version": action.version}

    response = api_as(world.practitioner).patch("/api/actions/{action_id}", body, action_id=action.pk)

    assert response.status_code == 422
    action.refresh_from_db()
    assert action.due_on != dt.date.fromisoformat(due)


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "3"])
def test_a_body_that_is_not_a_json_object_is_refused(world, body):
    action = ActionFactory(case=world.case)
    client = Client()
    client.force_login(world.practitioner)

    response = client.patch(f"/api/actions/{action.pk}", body, content_type="application/json")

    assert response.status_code == 422
    assert "JSON object" in response.json()["detail"][0]["msg"]
    assert Action.objects.get(pk=action.pk).version == action.version


def test_a_body_sent_as_something_other_than_json_is_refused(world):
    client = Client()
    client.force_login(world.practitioner)
    body = json.dumps(_note())

    response = client.post(f"/api/cases/{world.case.pk}/notes", body, content_type="text/plain")

    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert CaseNote.objects.count() == 0


@override_settings(DEBUG=False)
def test_a_fault_of_ours_answers_json_500(world, monkeypatch, caplog):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(selectors, "caseload", broken)
    client = Client()
    client.force_login(world.practitioner)

    response = client.get("/api/cases")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "could not complete" in response.json()["detail"]
    assert "simulated fault" in caplog.text


any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=40) | st.text(
    max_size=40
)
any_time = st.datetimes(timezones=st.just(dt.UTC), allow_imaginary=False).map(lambda d: d.isoformat())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=any_text, follow_up=any_text, contact=any_text, when=any_time, reason=any_text)
def test_no_text_or_time_makes_a_write_endpoint_fail_with_5xx(
    world, api_as, facts, follow_up, contact, when, reason
):
    """Property: whatever text and times a client sends to the write endpoints, the answer is
    never a server error (runs on PostgreSQL in CI, where NUL used to crash the driver)."""
    api = api_as(world.practitioner)
    body = {
        "contact_type": contact,
        "occurred_at": when,
        "sections": {"facts": facts, "follow_up": follow_up},
    }
    created = api.post(NOTE_URL, body, case_id=world.case.pk)
    assert created.status_code < 500
    note = CaseNote.objects.filter(case=world.case).first()
    if note is not None:
        amended = api.post(
            "/api/notes/{note_id}/amendments",
            {"amends_version": 1, "reason": reason, "occurred_at": when, "sections": {"facts": facts + "."}},
            note_id=note.pk,
        )
        assert amended.status_code < 500


@pytest.mark.parametrize("due", [0, 1_700_000_000, 3.5, True])
def test_a_date_sent_as_a_number_is_refused(world, api_as, due):
    """pydantic would read a number as seconds since 1970 (found by schemathesis)."""
    action = ActionFactory(case=world.case)

    response = api_as(world.practitioner).patch(
        "/api/actions/{action_id}", {"due_on": due, "version": action.version}, action_id=action.pk
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "due_on"
    assert Action.objects.get(pk=action.pk).version == action.version
