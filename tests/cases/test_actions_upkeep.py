"""Changing and withdrawing actions, a past due date needing confirmation, and My actions
(issue 9, scope 4; D5's server side)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from casework.accounts.models import ApiToken
from casework.audit.models import AccessEvent
from casework.cases.models import ActionStatus, CaseEvent
from tests.conftest import CAN_WRITE, ROLES
from tests.factories import ActionFactory, CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(world):
    return ActionFactory(
        case=world.case, assigned_to=world.practitioner, due_on=timezone.localdate() + timedelta(days=3)
    )


@pytest.mark.parametrize("page", ["edit", "withdraw"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_or_withdraw_an_action(world, signed_in, action, role, page):
    response = signed_in(world.by_role()[role]).get(f"/actions/{action.pk}/{page}")
    assert response.status_code == (200 if role in CAN_WRITE else 403 if role == "manager" else 404)


def test_changing_an_action_rewords_it_and_passes_it_on(world, signed_in, action):
    browser = signed_in(world.practitioner)
    due = timezone.localdate() + timedelta(days=10)
    response = browser.post(
        f"/actions/{action.pk}/edit",
        {
            "description": "Book the CSCS test at the Wrexham centre",
            "assigned_to": world.colleague.pk,
            "due_on": due.isoformat(),
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.assigned_to, action.due_on) == (
        "Book the CSCS test at the Wrexham centre",
        world.colleague,
        due,
    )
    assert CaseEvent.objects.filter(case=world.case, code="action_updated").exists()


def test_a_due_date_in_the_past_needs_the_box_ticked(world, signed_in, action):
    browser = signed_in(world.practitioner)
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    data = {"description": action.description, "assigned_to": world.practitioner.pk, "due_on": past}
    refused = browser.post(f"/actions/{action.pk}/edit", {**data, "version": action.version})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "The due date is in the past" in page
    assert 'type="checkbox" name="confirm_past"' in page
    action.refresh_from_db()
    assert action.due_on > timezone.localdate()
    accepted = browser.post(
        f"/actions/{action.pk}/edit", {**data, "confirm_past": "on", "version": action.version}
    )
    assert accepted.status_code == 302


def test_a_new_action_due_in_the_past_needs_confirming(world, signed_in):
    browser = signed_in(world.practitioner)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {
        "plan-action-description": "Chase the landlord",
        "plan-action-owner": "me",
        "plan-action-due_on": past,
    }
    refused = browser.post(f"/cases/{world.case.pk}/actions", data)
    assert refused.status_code == 400
    assert world.case.actions.count() == 0
    accepted = browser.post(f"/cases/{world.case.pk}/actions", {**data, "plan-action-confirm_past": "on"})
    assert accepted.status_code == 302
    assert world.case.actions.count() == 1


def test_withdrawing_needs_a_reason_and_keeps_the_action_in_the_history(world, signed_in, action):
    browser = signed_in(world.practitioner)
    refused = browser.post(f"/actions/{action.pk}/withdraw", {"reason": "", "version": action.version})
    assert refused.status_code == 400
    assert "Say why the action is being withdrawn." in refused.content.decode()
    response = browser.post(
        f"/actions/{action.pk}/withdraw", {"reason": "Client booked it herself", "version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    event = CaseEvent.objects.filter(case=world.case, code="action_updated").last()
    assert "withdrawn (Client booked it herself)" in event.summary
    stale = browser.post(f"/actions/{action.pk}/withdraw", {"reason": "Again", "version": 1})
    assert stale.status_code in (302, 409)


def test_the_api_withdraws_with_a_reason_and_rewords(world, signed_in, action):
    key = ApiToken.issue(world.practitioner)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    no_reason = api.patch(
        f"/api/actions/{action.pk}", {"status": "cancelled"}, content_type="application/json"
    )
    assert no_reason.status_code == 422
    reworded = api.patch(
        f"/api/actions/{action.pk}",
        {"description": "Ring the college", "version": action.version},
        content_type="application/json",
    )
    assert reworded.status_code == 200
    assert reworded.json()["description"] == "Ring the college"


def test_my_actions_lists_mine_on_any_case_overdue_first(world, signed_in):
    today = timezone.localdate()
    overdue = ActionFactory(
        case=world.case,
        assigned_to=world.colleague,
        due_on=today - timedelta(days=4),
        description="Chase the GP letter",
    )
    later = ActionFactory(
        case=world.case,
        assigned_to=world.colleague,
        due_on=today + timedelta(days=30),
        description="Review the budget",
    )
    ActionFactory(case=world.case, assigned_to=world.practitioner, due_on=today)
    other_case = CaseFactory(owner=world.other_practitioner)
    theirs = ActionFactory(
        case=other_case,
        assigned_to=world.colleague,
        due_on=today + timedelta(days=1),
        description="Cover the drop-in",
    )
    ActionFactory(case=world.case, assigned_to=world.colleague, due_on=today, status="done")

    response = signed_in(world.colleague).get("/actions/mine")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(overdue.description) < page.index(later.description)
    assert theirs.description in page
    # Priya cannot open Alex's case, so it shows by reference, with no name.
    assert world.case.client.reference in page
    assert world.case.client.last_name not in page
    assert 'class="nav__count">3<' in page
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_my_actions_is_for_those_who_hold_actions(world, signed_in, role):
    assert signed_in(world.by_role()[role]).get("/actions/mine").status_code == 404
