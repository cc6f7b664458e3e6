"""Every endpoint against every role (PC16): unreadable is 404, read-only is 403, nothing written.

The expected answers come from the access matrix CAN_READ / CAN_WRITE in tests/conftest.py.
"""

import datetime as dt

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import Action, CaseEvent, CaseNote, NoteVersion
from tests.conftest import CAN_READ, CAN_WRITE, ROLES
from tests.factories import ActionFactory


def expected(role, ok):
    if role in CAN_WRITE:
        return ok
    return 403 if role in CAN_READ else 404


def read_expected(role):
    return 200 if role in CAN_READ else 404


@pytest.mark.parametrize("role", ROLES)
def test_caseload_lists_the_case_only_for_those_who_may_read_it(world, api_as, role):
    user = world.by_role()[role]

    response = api_as(user).get("/api/cases")

    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["items"]}
    assert (world.case.pk in ids) is (role in CAN_READ)
    assert world.foreign_case.pk not in ids or role == "foreign"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "template", ["/api/cases/{case_id}", "/api/cases/{case_id}/notes", "/api/cases/{case_id}/actions"]
)
def test_case_reads(world, api_as, note, role, template):
    ActionFactory(case=world.case)

    response = api_as(world.by_role()[role]).get(template, case_id=world.case.pk)

    assert response.status_code == read_expected(role)
    if response.status_code == 404:
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("role", ROLES)
def test_record_note(world, api_as, role):
    body = {
        "contact_type": "phone",
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "sections": {"facts": "Rang Jordan.", "follow_up": "Ring back Friday."},
        "actions": [{"description": "Send CV template", "due_on": "2030-01-10", "owner": "me"}],
    }

    response = api_as(world.by_role()[role]).post("/api/cases/{case_id}/notes", body, case_id=world.case.pk)

    assert response.status_code == expected(role, 201)
    if role in CAN_WRITE:
        assert CaseNote.objects.filter(case=world.case).count() == 1
        assert response.json()["note"]["author"]["id"] == world.by_role()[role].pk
    else:
        assert CaseNote.objects.count() == 0
        assert NoteVersion.objects.count() == 0
        assert Action.objects.count() == 0
        assert CaseEvent.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_amend_note(world, api_as, note, role):
    body = {
        "amends_version": 1,
        "reason": "Wrong day written down",
        "sections": {"follow_up": "Call again on Tuesday."},
    }

    response = api_as(world.by_role()[role]).post("/api/notes/{note_id}/amendments", body, note_id=note.pk)

    assert response.status_code == expected(role, 201)
    versions = list(NoteVersion.objects.filter(note=note).values_list("number", "follow_up"))
    if role in CAN_WRITE:
        assert versions == [(1, "Call again on Monday."), (2, "Call again on Tuesday.")]
    else:
        assert versions == [(1, "Call again on Monday.")]


@pytest.mark.parametrize("role", ROLES)
def test_change_action(world, api_as, role):
    action = ActionFactory(case=world.case)
    events_before = CaseEvent.objects.count()

    response = api_as(world.by_role()[role]).patch(
        "/api/actions/{action_id}", {"status": "done"}, action_id=action.pk
    )

    assert response.status_code == expected(role, 200)
    action.refresh_from_db()
    if role in CAN_WRITE:
        assert action.status == "done"
        assert CaseEvent.objects.count() == events_before + 1
    else:
        assert action.status == "open"
        assert action.completed_on is None
        assert CaseEvent.objects.count() == events_before


@pytest.mark.parametrize(
    "template", ["/api/cases/{case_id}", "/api/cases/{case_id}/notes", "/api/cases/{case_id}/actions"]
)
def test_a_manager_cannot_read_another_organisations_case(world, api_as, template):
    response = api_as(world.manager).get(template, case_id=world.foreign_case.pk)

    assert response.status_code == 404


def test_a_supervisor_cannot_record_on_another_organisations_case(world, api_as):
    body = {
        "contact_type": "phone",
        "occurred_at": timezone.now().isoformat(),
        "sections": {"facts": "Rang.", "follow_up": "None."},
    }

    response = api_as(world.supervisor).post(
        "/api/cases/{case_id}/notes", body, case_id=world.foreign_case.pk
    )

    assert response.status_code == 404
    assert CaseNote.objects.count() == 0


def test_unknown_ids_are_not_found(world, api_as):
    client = api_as(world.practitioner)

    assert client.get("/api/cases/{case_id}", case_id=999_999).status_code == 404
    assert (
        client.post(
            "/api/notes/{note_id}/amendments", {"amends_version": 1, "reason": "x"}, note_id=999_999
        ).status_code
        == 404
    )
    assert client.patch("/api/actions/{action_id}", {}, action_id=999_999).status_code == 404


def test_the_matrix_covers_every_role_in_the_world(world):
    assert list(world.by_role()) == ROLES


def test_a_restricted_case_is_404_to_anyone_not_named_and_the_attempt_is_logged(world, api_as):
    world.case.is_restricted = True
    world.case.save(update_fields=["is_restricted"])
    world.case.restricted_to.add(world.practitioner)

    refused = api_as(world.manager).get("/api/cases/{case_id}", case_id=world.case.pk)
    allowed = api_as(world.practitioner).get("/api/cases/{case_id}", case_id=world.case.pk)

    assert refused.status_code == 404
    assert allowed.status_code == 200
    assert list(
        AccessEvent.objects.filter(case_id=world.case.pk)
        .order_by("pk")
        .values_list("user_id", "channel", "refused")
    ) == [(world.manager.pk, "api", True), (world.practitioner.pk, "api", False)]
