"""GET /api/today and GET /api/cases/{id}/assessment: the queue and a case's priority (PC8-PC10, PC15).

Every answer is checked against the OpenAPI document by the ``api_as`` client.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import CaseStatus, FlagCode
from casework.cases.services import ActionInput, action_add
from casework.priorities.models import CaseAssessment
from casework.priorities.services import cases_reassess, override_set
from tests.conftest import CAN_READ, ROLES
from tests.priorities.conftest import live_case


def case_ids(response) -> list[int]:
    return [item["case_id"] for item in response.json()["items"]]


def test_an_item_carries_band_quadrant_rationale_deadline_action_and_override(world, api_as):
    case = live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING], deadline_in_days=1)
    due = timezone.localdate() + dt.timedelta(days=1)
    action = action_add(
        case=case,
        actor=world.practitioner,
        data=ActionInput(
            description="Refer to the MASH", due_on=timezone.localdate(), assigned_to=world.practitioner
        ),
    )
    world.case.delete()

    response = api_as(world.practitioner).get("/api/today")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    deadline = item.pop("next_deadline")
    assessed_at = item.pop("assessed_at")
    assert item == {
        "case_id": case.pk,
        "client": {"id": case.client.pk, "name": case.client.full_name, "reference": case.client.reference},
        "status": "open",
        "score": 80,
        "band": "red",
        "effective_band": "red",
        "quadrant": "urgent_important",
        "quadrant_label": "Do now",
        "urgency": 80,
        "importance": 50,
        "rationale": [
            {
                "criterion": "safeguarding",
                "name": "Safeguarding concern",
                "points": 50,
                "sentence": "safeguarding concern raised today",
            },
            {
                "criterion": "statutory_deadline",
                "name": "Statutory deadline within 5 working days",
                "points": 30,
                "sentence": deadline["sentence"],
            },
        ],
        "summary": f"safeguarding concern raised today; {deadline['sentence']}",
        "past_time_scale": [],
        "override": None,
        "next_action": {
            "id": action.pk,
            "description": "Refer to the MASH",
            "owner": "Alex Morgan",
            "due_on": timezone.localdate().isoformat(),
            "is_overdue": False,
        },
    }
    assert deadline["kind"] == "statutory" and deadline["due_on"] == due.isoformat()
    assert deadline["description"] == f"Deadline for case {case.pk}" and deadline["days_left"] == 1
    assert dt.datetime.fromisoformat(assessed_at).tzinfo is not None


def test_the_queue_is_in_priority_order_and_holds_only_the_users_own_live_cases(world, api_as):
    p = world.practitioner
    green = live_case(p)
    red = live_case(p, flags=[FlagCode.SAFEGUARDING])
    amber = live_case(p, deadline_in_days=3)
    on_hold = live_case(p, status=CaseStatus.ON_HOLD)
    live_case(p, status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    live_case(world.colleague, flags=[FlagCode.SAFEGUARDING])
    world.case.delete()

    response = api_as(p).get("/api/today")

    # Red, amber, then the two green cases by id: neither has a deadline to break the tie.
    assert case_ids(response) == [red.pk, amber.pk, green.pk, on_hold.pk]
    assert response.json()["count"] == 4


def test_a_supervisors_queue_is_their_own_cases_not_their_teams(world, api_as):
    own = live_case(world.supervisor, flags=[FlagCode.DISABILITY])
    live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])

    assert case_ids(api_as(world.supervisor).get("/api/today")) == [own.pk]


def test_pages_carry_the_total_count(world, api_as):
    cases = [live_case(world.practitioner, deadline_in_days=days) for days in (1, 2, 3, 4)]
    world.case.delete()
    client = api_as(world.practitioner)

    first = client.get("/api/today", {"limit": 3})
    rest = client.get("/api/today", {"limit": 3, "offset": 3})

    assert first.json()["count"] == rest.json()["count"] == 4
    assert case_ids(first) + case_ids(rest) == [case.pk for case in cases]  # nearest deadline first


def test_an_override_is_shown_with_the_computed_band(world, api_as):
    case = live_case(world.practitioner)
    override = override_set(
        case=case,
        actor=world.practitioner,
        band="amber",
        reason="Hearing date not yet confirmed",
        expires_on=timezone.localdate() + dt.timedelta(days=10),
    )
    world.case.delete()

    item = api_as(world.practitioner).get("/api/today").json()["items"][0]

    assert (item["band"], item["effective_band"]) == ("green", "amber")
    assert item["override"] == {
        "id": override.pk,
        "band": "amber",
        "computed_band": "green",
        "reason": "Hearing date not yet confirmed",
        "expires_on": override.expires_on.isoformat(),
        "created_by": {"id": world.practitioner.pk, "name": "Alex Morgan"},
        "created_at": item["override"]["created_at"],
    }


def test_each_case_on_the_page_is_logged_as_viewed_through_the_api(world, api_as):
    live_case(world.practitioner)

    api_as(world.practitioner).get("/api/today", {"limit": 1})

    logged = list(AccessEvent.objects.values_list("channel", "view", "user_id"))
    assert logged == [("api", "GET /api/today", world.practitioner.pk)]


@pytest.mark.parametrize("n", [5, 30])
def test_the_queue_costs_the_same_queries_for_5_or_30_cases(world, api_as, django_assert_max_num_queries, n):
    for index in range(n):
        case = live_case(world.practitioner, flags=[FlagCode.DISABILITY] if index % 2 else [])
        action_add(
            case=case,
            actor=world.practitioner,
            data=ActionInput(description="Call", due_on=timezone.localdate(), assigned_to=world.practitioner),
        )
    world.case.delete()
    client = api_as(world.practitioner)

    # token and its last-used stamp, count, page, next actions, overrides, access log
    with django_assert_max_num_queries(7):
        response = client.get("/api/today", {"limit": 200})

    assert response.json()["count"] == n


@pytest.mark.parametrize("role", ROLES)
def test_a_cases_assessment_is_read_only_by_those_who_may_read_the_case(world, api_as, role):
    # Made by a factory, the case is assessed here as the service that opens a case would.
    cases_reassess(case_ids=[world.case.pk])
    response = api_as(world.by_role()[role]).get("/api/cases/{case_id}/assessment", case_id=world.case.pk)

    assert response.status_code == (200 if role in CAN_READ else 404)
    if response.status_code == 404:
        assert response.json() == {"detail": "Not found."}
    else:
        body = response.json()
        assert (body["case_id"], body["band"], body["score"]) == (world.case.pk, "amber", 25)
        assert body["past_time_scale"] == ["first_contact"]


def test_an_assessment_lists_every_override_newest_first(world, api_as):
    case = live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])
    first = override_set(
        case=case,
        actor=world.practitioner,
        band="amber",
        reason="Police involved; plan in place",
        expires_on=timezone.localdate() + dt.timedelta(days=3),
    )
    second = override_set(
        case=case,
        actor=world.supervisor,
        band="green",
        reason="Client moved to a refuge",
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )

    body = api_as(world.supervisor).get("/api/cases/{case_id}/assessment", case_id=case.pk).json()

    assert [o["id"] for o in body["overrides"]] == [second.pk, first.pk]
    assert body["override"]["id"] == second.pk
    assert (body["band"], body["effective_band"]) == ("red", "green")
    assert AccessEvent.objects.filter(view="GET /api/cases/{id}/assessment", case_id=case.pk).count() == 1


def test_a_case_not_yet_assessed_is_not_assessed_by_reading_it(world, api_as):
    """Reads never write (issue 7): a case loaded without the services waits for the sweep."""
    response = api_as(world.practitioner).get("/api/cases/{case_id}/assessment", case_id=world.case.pk)

    assert response.status_code == 404
    assert "not been assessed yet" in response.json()["detail"]
    assert not CaseAssessment.objects.filter(case=world.case).exists()
    views = AccessEvent.objects.filter(case_id=world.case.pk, view="GET /api/cases/{id}/assessment")
    assert views.count() == 1
