"""The action plan through the API: list a case's actions, change one (PC9)."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.cases.models import CaseEvent
from tests.factories import ActionFactory, UserFactory

ACTIONS = "/api/cases/{case_id}/actions"
ACTION = "/api/actions/{action_id}"


def test_actions_are_listed_open_first_by_due_date(world, api_as):
    today = timezone.localdate()
    later = ActionFactory(case=world.case, due_on=today + dt.timedelta(days=9))
    overdue = ActionFactory(case=world.case, due_on=today - dt.timedelta(days=1))
    done = ActionFactory(case=world.case, due_on=today - dt.timedelta(days=30), status="done")
    ActionFactory(case=world.foreign_case)

    response = api_as(world.practitioner).get(ACTIONS, case_id=world.case.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(a["id"], a["is_overdue"]) for a in body["items"]] == [
        (overdue.pk, True),
        (later.pk, False),
        (done.pk, False),
    ]
    assert body["items"][0]["assigned_to"] == {"id": world.practitioner.pk, "name": "Alex Morgan"}
    assert body["items"][0]["owner_label"] == "Alex Morgan"


@pytest.mark.parametrize("n", [5, 30])
def test_actions_list_costs_the_same_queries_for_5_or_30(world, api_as, django_assert_max_num_queries, n):
    colleagues = [UserFactory(organisation=world.organisation) for _ in range(3)]
    for i in range(n):
        ActionFactory(case=world.case, assigned_to=colleagues[i % 3])
    client = api_as(world.practitioner)

    # session, user, case, access log, count, page
    with django_assert_max_num_queries(6):
        response = client.get(ACTIONS, case_id=world.case.pk)

    assert response.json()["count"] == n


def test_marking_an_action_done_records_it_in_the_case_history(world, api_as):
    action = ActionFactory(case=world.case)

    response = api_as(world.supervisor).patch(ACTION, {"status": "done"}, action_id=action.pk)

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "done"
    assert data["completed_on"] == timezone.localdate().isoformat()
    assert data["version"] == 2
    event = CaseEvent.objects.get(code="action_updated")
    assert event.actor == world.supervisor
    assert event.data["changes"]["status"] == ["open", "done"]


def test_moving_the_due_date_and_passing_the_action_on(world, api_as):
    action = ActionFactory(case=world.case, owner_kind="client", assigned_to=None)
    new_due = timezone.localdate() + dt.timedelta(days=14)

    response = api_as(world.practitioner).patch(
        ACTION, {"due_on": new_due.isoformat(), "assigned_to": world.colleague.pk}, action_id=action.pk
    )

    assert response.status_code == 200
    action.refresh_from_db()
    assert action.due_on == new_due
    assert action.assigned_to == world.colleague
    assert action.owner_kind == "staff"


def test_an_empty_change_changes_nothing(world, api_as):
    action = ActionFactory(case=world.case)

    response = api_as(world.practitioner).patch(ACTION, {}, action_id=action.pk)

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not CaseEvent.objects.filter(code="action_updated").exists()


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"status": "finished"}, ["body", "payload", "status"]),
        ({"due_on": "next Tuesday"}, ["body", "payload", "due_on"]),
        ({"assigned_to": "alex"}, ["body", "payload", "assigned_to"]),
    ],
)
def test_bad_changes_are_422_naming_the_field(world, api_as, body, loc):
    action = ActionFactory(case=world.case)

    response = api_as(world.practitioner).patch(ACTION, body, action_id=action.pk)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 1)


def test_an_action_cannot_be_passed_to_someone_in_another_organisation(world, api_as):
    action = ActionFactory(case=world.case)

    response = api_as(world.practitioner).patch(
        ACTION, {"assigned_to": world.foreign_user.pk}, action_id=action.pk
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "payload", "assigned_to"],
            "msg": f"No member of staff with the id {world.foreign_user.pk} in your organisation.",
        }
    ]
    action.refresh_from_db()
    assert action.assigned_to == world.practitioner


def test_a_change_from_a_stale_copy_is_409_and_nothing_written(world, api_as):
    action = ActionFactory(case=world.case)
    client = api_as(world.practitioner)
    first = client.patch(ACTION, {"due_on": "2030-01-01", "version": 1}, action_id=action.pk)

    second = client.patch(
        ACTION,
        {"status": "cancelled", "reason": "Client found it herself", "version": 1},
        action_id=action.pk,
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert "Someone else changed" in second.json()["detail"]
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 2)
    assert CaseEvent.objects.filter(code="action_updated").count() == 1
