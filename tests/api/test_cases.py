"""GET /api/cases and /api/cases/{id}: the caseload, its filters and pages, and one case (PC2)."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import CaseFlag, CaseStatus, Deadline
from tests.factories import ActionFactory, CaseFactory, GoalFactory


def ids(response):
    return [row["id"] for row in response.json()["items"]]


def test_case_row_carries_the_caseload_columns(world, api_as):
    today = timezone.localdate()
    contact = timezone.now() - dt.timedelta(days=3)
    world.case.last_contact_at = contact
    world.case.save(update_fields=["last_contact_at"])
    ActionFactory(case=world.case, due_on=today - dt.timedelta(days=2))
    ActionFactory(case=world.case, due_on=today + dt.timedelta(days=5))
    ActionFactory(case=world.case, due_on=today - dt.timedelta(days=9), status="done")

    response = api_as(world.practitioner).get("/api/cases")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row == {
        "id": world.case.pk,
        "client": {
            "id": world.case.client.pk,
            "name": world.case.client.full_name,
            "reference": world.case.client.reference,
        },
        "case_type": {"id": world.case.case_type.pk, "code": "employment", "name": "Employment support"},
        "owner": {"id": world.practitioner.pk, "name": "Alex Morgan"},
        "status": "open",
        "opened_on": world.case.opened_on.isoformat(),
        "closed_on": None,
        "last_contact_at": row["last_contact_at"],
        "open_action_count": 2,
        "overdue_action_count": 1,
        "next_action_due": (today - dt.timedelta(days=2)).isoformat(),
        "complexity": 2,
        "required_outcomes": world.case.required_outcomes,
        "version": world.case.version,
    }
    assert dt.datetime.fromisoformat(row["last_contact_at"]) == contact


def test_filters_status_overdue_and_days_since_contact(world, api_as):
    now = timezone.now()
    stale = CaseFactory(owner=world.practitioner, last_contact_at=now - dt.timedelta(days=40))
    fresh = CaseFactory(owner=world.practitioner, last_contact_at=now - dt.timedelta(days=2))
    closed = CaseFactory(owner=world.practitioner, status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    ActionFactory(case=fresh, due_on=timezone.localdate() - dt.timedelta(days=1))
    client = api_as(world.practitioner)

    assert set(ids(client.get("/api/cases", {"status": "closed"}))) == {closed.pk}
    assert ids(client.get("/api/cases", {"has_overdue_actions": "true"})) == [fresh.pk]
    assert set(ids(client.get("/api/cases", {"has_overdue_actions": "false"}))) == {
        world.case.pk,
        stale.pk,
        closed.pk,
    }
    # Never contacted counts as long ago as can be.
    assert set(ids(client.get("/api/cases", {"min_days_since_contact": 30, "status": "open"}))) == {
        stale.pk,
        world.case.pk,
    }


def test_owner_me_narrows_a_supervisors_caseload_to_their_own_cases(world, api_as):
    own = CaseFactory(owner=world.supervisor)
    client = api_as(world.supervisor)

    everything = client.get("/api/cases")
    mine = client.get("/api/cases", {"owner": "me"})

    assert set(ids(everything)) == {world.case.pk, own.pk}
    assert ids(mine) == [own.pk]


def test_bad_filter_values_are_422_naming_the_parameter(world, api_as):
    response = api_as(world.practitioner).get("/api/cases", {"status": "lost", "owner": "you"})

    assert response.status_code == 422
    locs = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert locs == {("query", "status"), ("query", "owner")}


def test_pages_carry_the_total_count(world, api_as):
    for _ in range(4):
        CaseFactory(owner=world.practitioner)
    client = api_as(world.practitioner)

    first = client.get("/api/cases", {"limit": 2, "offset": 0, "sort": "opened"})
    last = client.get("/api/cases", {"limit": 2, "offset": 4, "sort": "opened"})
    everything = client.get("/api/cases", {"sort": "opened"})

    assert first.json()["count"] == last.json()["count"] == 5
    assert len(ids(first)) == 2 and len(ids(last)) == 1
    assert ids(first) + ids(client.get("/api/cases", {"limit": 2, "offset": 2, "sort": "opened"})) + ids(
        last
    ) == ids(everything)


def test_page_size_is_capped(world, api_as):
    response = api_as(world.practitioner).get("/api/cases", {"limit": 1000})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("n", [5, 30])
def test_caseload_costs_the_same_queries_for_5_or_30_cases(world, api_as, django_assert_max_num_queries, n):
    for _ in range(n - 1):
        case = CaseFactory(owner=world.practitioner)
        ActionFactory(case=case)
    client = api_as(world.practitioner)

    # session, user, count, page, access log
    with django_assert_max_num_queries(5):
        response = client.get("/api/cases")

    assert response.json()["count"] == n


def test_each_case_listed_is_logged_as_viewed_through_the_api(world, api_as):
    other = CaseFactory(owner=world.practitioner)

    api_as(world.practitioner).get("/api/cases", {"limit": 1, "sort": "opened"})

    logged = list(AccessEvent.objects.values_list("case_id", "channel", "user_id"))
    first = min([world.case, other], key=lambda c: (c.opened_on, c.pk))
    assert logged == [(first.pk, "api", world.practitioner.pk)]


def test_case_detail_shows_flags_deadlines_goals_and_actions(world, api_as):
    goal = GoalFactory(case=world.case)
    action = ActionFactory(case=world.case, goal=goal)
    CaseFlag.objects.create(
        organisation=world.organisation, case=world.case, code="safeguarding", raised_by=world.practitioner
    )
    CaseFlag.objects.create(
        organisation=world.organisation,
        case=world.case,
        code="disability",
        raised_by=world.practitioner,
        cleared_at=timezone.now(),
    )
    deadline = Deadline.objects.create(
        organisation=world.organisation,
        case=world.case,
        kind="statutory",
        description="Mandatory reconsideration",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )

    response = api_as(world.supervisor).get("/api/cases/{case_id}", case_id=world.case.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["case"]["id"] == world.case.pk
    assert body["case"]["open_action_count"] == 1
    assert [(f["code"], f["kind"], f["label"]) for f in body["flags"]] == [
        ("safeguarding", "risk", "Safeguarding concern")
    ]
    assert [(d["id"], d["kind"], d["met_on"]) for d in body["deadlines"]] == [
        (deadline.pk, "statutory", None)
    ]
    assert [(g["id"], g["status"]) for g in body["goals"]] == [(goal.pk, "open")]
    assert [(a["id"], a["goal_id"], a["is_overdue"]) for a in body["actions"]] == [
        (action.pk, goal.pk, False)
    ]
    assert (
        AccessEvent.objects.filter(case_id=world.case.pk, channel="api", user_id=world.supervisor.pk).count()
        == 1
    )
