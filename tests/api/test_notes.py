"""Case notes through the API: list with versions, record with advice, amend (PC1, PC17; K4, K5)."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.utils import timezone

from casework.cases.models import Action, CaseEvent, CaseNote, ContactType, NoteVersion
from casework.cases.rules import SECTION_MAX_CHARS
from casework.cases.services import note_amend, note_record
from tests.api.conftest import PHONE_NOTE
from tests.factories import GoalFactory, UserFactory, contact_type

NOTES = "/api/cases/{case_id}/notes"
AMEND = "/api/notes/{note_id}/amendments"


def face_to_face(**overrides):
    body = {
        "contact_type": "face_to_face",
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "sections": {
            "facts": "Met Jordan at the library. He was obviously lazy about the job search.",
            "client_view": "Wants days-only warehouse work near home.",
            "actions_agreed": "Jordan to apply for jobs; we review them together.",
            "follow_up": "Review applications on Friday.",
        },
    }
    body.update(overrides)
    return body


def nothing_written():
    return (
        CaseNote.objects.count() == 0
        and NoteVersion.objects.count() == 0
        and Action.objects.count() == 0
        and CaseEvent.objects.count() == 0
    )


def locs(response):
    return [item["loc"] for item in response.json()["detail"]]


# --- recording ----------------------------------------------------------------------


def test_pc17_note_is_recorded_with_actions_goals_and_fact_opinion_advice(world, api_as):
    goal = GoalFactory(case=world.case)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    body = face_to_face(
        actions=[
            {
                "description": "Apply to three warehouse jobs",
                "due_on": due,
                "owner": "client",
                "goal_id": goal.pk,
            },
            {
                "description": "Book mock interview",
                "due_on": due,
                "owner": "staff",
                "assigned_to": world.colleague.pk,
            },
            {
                "description": "Send reference",
                "due_on": due,
                "owner": "other",
                "owner_name": "Former employer",
            },
            {"description": "Chase the housing list", "due_on": due},
        ],
        goal_ids=[goal.pk],
    )

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 201
    data = response.json()
    note = CaseNote.objects.get(case=world.case)
    assert data["note"]["id"] == note.pk
    current = data["note"]["current"]
    assert current["number"] == 1
    assert current["contact_type"] == "face_to_face"
    assert current["sections"]["client_view"] == "Wants days-only warehouse work near home."
    assert current["goal_ids"] == [goal.pk]
    assert current["recorded_by"] == {"id": world.practitioner.pk, "name": "Alex Morgan"}
    assert current["is_late"] is False
    assert data["note"]["versions"] == [current]
    assert {
        a.description: (a.owner_kind, a.assigned_to, a.owner_name, a.goal) for a in Action.objects.all()
    } == {
        "Apply to three warehouse jobs": ("client", None, "", goal),
        "Book mock interview": ("staff", world.colleague, "", None),
        "Send reference": ("other", None, "Former employer", None),
        "Chase the housing list": ("staff", world.practitioner, "", None),
    }
    facts = body["sections"]["facts"]
    assert [(f["term"].lower(), facts[f["start"] : f["end"]]) for f in data["advice"]] == [
        (f["term"].lower(), f["matched"]) for f in data["advice"]
    ]
    assert {f["matched"].lower() for f in data["advice"]} >= {"lazy"}
    assert all(f["advice"] and f["label"] for f in data["advice"])


def test_a_note_without_opinion_in_its_facts_has_no_advice(world, api_as):
    body = {
        "contact_type": "phone",
        "occurred_at": timezone.now().isoformat(),
        "sections": {
            "facts": "Rang Jordan at 10:05. He said he had applied to two jobs.",
            "follow_up": "None.",
        },
    }

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 201
    assert response.json()["advice"] == []


def test_occurred_at_keeps_its_offset_and_microseconds(world, api_as):
    occurred = dt.datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    body = {
        "contact_type": "email",
        "occurred_at": occurred.isoformat(),
        "sections": {"facts": "Emailed the vacancy list."},
    }
    world.case.opened_on = occurred.date() - dt.timedelta(days=1)
    world.case.save(update_fields=["opened_on"])

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 201, response.json()
    stored = NoteVersion.objects.get().occurred_at
    assert stored == occurred
    assert dt.datetime.fromisoformat(response.json()["note"]["current"]["occurred_at"]) == occurred


def test_naive_occurred_at_is_422_and_nothing_written(world, api_as):
    body = face_to_face(occurred_at="2026-11-20T09:30:00")

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "occurred_at"]]
    assert nothing_written()


def test_a_one_megabyte_note_is_422_naming_the_section_and_nothing_written(world, api_as):
    body = face_to_face()
    body["sections"]["assessment"] = "x" * 1_000_000

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "sections", "assessment"]
    assert str(SECTION_MAX_CHARS) in error["msg"]
    assert nothing_written()


def test_a_section_at_the_limit_is_accepted(world, api_as):
    body = face_to_face()
    body["sections"]["decisions"] = "d" * SECTION_MAX_CHARS

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 201
    assert len(NoteVersion.objects.get().decisions) == SECTION_MAX_CHARS


def test_a_body_over_the_upload_limit_is_413_and_nothing_written(world, api_as):
    body = face_to_face()
    body["sections"]["facts"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    client = api_as(world.practitioner).client

    response = client.post(
        f"/api/cases/{world.case.pk}/notes", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert nothing_written()


@pytest.mark.parametrize("raw", ["{not json", '{"contact_type": "phone",}', "\xff"])
def test_malformed_json_is_400_with_a_clear_message(world, api_as, raw):
    client = api_as(world.practitioner).client

    response = client.post(f"/api/cases/{world.case.pk}/notes", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not valid JSON")
    assert nothing_written()


def test_a_json_body_that_is_not_an_object_is_422(world, api_as):
    response = api_as(world.practitioner).post(NOTES, ["facts"], case_id=world.case.pk)

    assert response.status_code == 422
    assert nothing_written()


def test_unknown_contact_type_is_422_naming_contact_type(world, api_as):
    response = api_as(world.practitioner).post(
        NOTES, face_to_face(contact_type="carrier_pigeon"), case_id=world.case.pk
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "contact_type"],
            "msg": "No contact type with the code 'carrier_pigeon' in your organisation.",
        }
    ]
    assert nothing_written()


def test_another_organisations_contact_type_is_unknown_here(world, api_as):
    ContactType.objects.create(organisation=world.foreign_case.organisation, code="outreach", name="Outreach")

    response = api_as(world.practitioner).post(
        NOTES, face_to_face(contact_type="outreach"), case_id=world.case.pk
    )

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "contact_type"]]
    assert nothing_written()


def test_missing_required_sections_are_named_where_they_sit_in_the_body(world, api_as):
    body = face_to_face(sections={"facts": "Met Jordan."})

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert locs(response) == [
        ["body", "payload", "sections", "client_view"],
        ["body", "payload", "sections", "actions_agreed"],
        ["body", "payload", "sections", "follow_up"],
    ]
    assert "Client's view is required" in response.json()["detail"][0]["msg"]
    assert nothing_written()


def test_future_contact_is_422(world, api_as):
    body = face_to_face(occurred_at=(timezone.now() + dt.timedelta(hours=3)).isoformat())

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "occurred_at"]]
    assert nothing_written()


def test_bad_actions_and_goals_are_named_by_position(world, api_as):
    foreign_goal = GoalFactory(case=world.foreign_case)
    due = timezone.localdate().isoformat()
    body = face_to_face(
        actions=[
            {"description": "Fine", "due_on": due, "owner": "client"},
            {"description": "No one named", "due_on": due, "owner": "staff"},
            {
                "description": "Outsider",
                "due_on": due,
                "owner": "staff",
                "assigned_to": world.foreign_user.pk,
            },
            {"description": "Wrong plan", "due_on": due, "owner": "client", "goal_id": foreign_goal.pk},
        ],
        goal_ids=[foreign_goal.pk],
    )

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert sorted(map(tuple, locs(response)), key=str) == sorted(
        [
            ("body", "payload", "goal_ids"),
            ("body", "payload", "actions", 2, "assigned_to"),
            ("body", "payload", "actions", 3, "goal_id"),
        ],
        key=str,
    )
    assert nothing_written()


def test_staff_action_without_an_owner_is_named_by_the_service(world, api_as):
    due = timezone.localdate().isoformat()
    body = face_to_face(actions=[{"description": "No one named", "due_on": due, "owner": "staff"}])

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "actions", 0],
            "msg": "Name the member of staff who owns this action.",
        }
    ]
    assert nothing_written()


def test_inactive_colleague_cannot_be_given_an_action(world, api_as):
    leaver = UserFactory(organisation=world.organisation, is_active=False)
    due = timezone.localdate().isoformat()
    body = face_to_face(
        actions=[{"description": "X", "due_on": due, "owner": "staff", "assigned_to": leaver.pk}]
    )

    response = api_as(world.practitioner).post(NOTES, body, case_id=world.case.pk)

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "actions", 0, "assigned_to"]]


# --- listing ------------------------------------------------------------------------


def test_notes_list_every_version_and_the_current_one(world, api_as, note):
    note_amend(
        note=note, author=world.supervisor, reason="Wrong day", sections={"follow_up": "Call on Tuesday."}
    )

    response = api_as(world.practitioner).get(NOTES, case_id=world.case.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == note.pk
    assert [(v["number"], v["sections"]["follow_up"], v["amendment_reason"]) for v in item["versions"]] == [
        (1, "Call again on Monday.", ""),
        (2, "Call on Tuesday.", "Wrong day"),
    ]
    assert item["current"] == item["versions"][1]
    assert item["current"]["recorded_by"]["id"] == world.supervisor.pk
    assert item["versions"][0]["sections"]["facts"] == PHONE_NOTE["facts"]


def test_notes_are_paged_newest_contact_first(world, api_as):
    now = timezone.now()
    made = [
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=now - dt.timedelta(days=days),
            sections={"facts": f"Email {days}"},
        )
        for days in (5, 1, 3)
    ]
    client = api_as(world.practitioner)

    first = client.get(NOTES, {"limit": 2}, case_id=world.case.pk).json()
    second = client.get(NOTES, {"limit": 2, "offset": 2}, case_id=world.case.pk).json()

    assert first["count"] == second["count"] == 3
    assert [n["id"] for n in first["items"] + second["items"]] == [made[1].pk, made[2].pk, made[0].pk]


@pytest.mark.parametrize("n", [5, 30])
def test_notes_list_costs_the_same_queries_for_5_or_30_notes(world, api_as, django_assert_max_num_queries, n):
    goal = GoalFactory(case=world.case)
    for i in range(n):
        note = note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=timezone.now() - dt.timedelta(hours=i + 1),
            sections={"facts": f"Email {i}"},
            goals=[goal],
        )
        if i % 2:
            note_amend(
                note=note, author=world.supervisor, reason="Typo", sections={"facts": f"Email no. {i}"}
            )
    client = api_as(world.practitioner)

    # session, user, case, access log, count, notes, versions, their goals
    with django_assert_max_num_queries(8):
        response = client.get(NOTES, case_id=world.case.pk)

    assert response.json()["count"] == n
    assert all(v["goal_ids"] == [goal.pk] for item in response.json()["items"] for v in item["versions"])


# --- amending -----------------------------------------------------------------------


def test_amendment_is_a_new_version_and_keeps_the_original(world, api_as, note):
    body = {
        "amends_version": 1,
        "reason": "The client rang back: the job was in Swansea",
        "sections": {"facts": "Rang Jordan about the Swansea warehouse job. He is clearly unreliable."},
    }

    response = api_as(world.practitioner).post(AMEND, body, note_id=note.pk)

    assert response.status_code == 201
    data = response.json()
    assert data["note_id"] == note.pk
    assert data["version"]["number"] == 2
    assert data["version"]["amendment_reason"] == body["reason"]
    assert data["version"]["sections"]["follow_up"] == "Call again on Monday."  # unchanged sections stay
    assert data["version"]["contact_type"] == "phone"
    assert any(f["matched"].lower() == "clearly" for f in data["advice"])
    assert list(note.versions.order_by("number").values_list("facts", flat=True)) == [
        PHONE_NOTE["facts"],
        body["sections"]["facts"],
    ]


def test_amendment_may_change_contact_type_and_time(world, api_as, note):
    occurred = (timezone.now() - dt.timedelta(hours=5)).replace(microsecond=0)
    body = {
        "amends_version": 1,
        "reason": "It was a video call, earlier",
        "contact_type": "agency",
        "occurred_at": occurred.isoformat(),
    }

    response = api_as(world.practitioner).post(AMEND, body, note_id=note.pk)

    assert response.status_code == 201
    version = note.versions.get(number=2)
    assert version.contact_type.code == "agency"
    assert version.occurred_at == occurred


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"amends_version": 1, "sections": {"facts": "Changed."}}, ["body", "payload", "reason"]),
        (
            {"amends_version": 1, "reason": "", "sections": {"facts": "Changed."}},
            ["body", "payload", "reason"],
        ),
        (
            {"amends_version": 1, "reason": "   ", "sections": {"facts": "Changed."}},
            ["body", "payload", "reason"],
        ),
        (
            {"amends_version": 1, "reason": "r" * 2001, "sections": {"facts": "Changed."}},
            ["body", "payload", "reason"],
        ),
        (
            {
                "amends_version": 1,
                "reason": "Typo",
                "sections": {"facts": "Rang Jordan about the warehouse job."},
            },
            ["body", "payload"],
        ),
        (
            {"amends_version": 1, "reason": "Typo", "contact_type": "telegram"},
            ["body", "payload", "contact_type"],
        ),
        (
            {"amends_version": 1, "reason": "Typo", "occurred_at": "2026-11-20T10:00:00"},
            ["body", "payload", "occurred_at"],
        ),
        (
            {"amends_version": 1, "reason": "Typo", "sections": {"follow_up": ""}},
            ["body", "payload", "sections", "follow_up"],
        ),
        (
            {"amends_version": 1, "reason": "Typo", "sections": {"facts": "f" * 20_001}},
            ["body", "payload", "sections", "facts"],
        ),
    ],
)
def test_bad_amendments_are_422_naming_the_field_and_nothing_written(world, api_as, note, body, loc):
    response = api_as(world.practitioner).post(AMEND, body, note_id=note.pk)

    assert response.status_code == 422
    assert locs(response) == [loc]
    assert note.versions.count() == 1
