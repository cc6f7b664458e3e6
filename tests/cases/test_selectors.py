"""Who sees which case (PC16, K6): the selector is the single gate, tested for every role."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from casework.cases import access, selectors
from casework.cases.models import CaseStatus
from tests.conftest import CAN_READ, CAN_WRITE
from tests.factories import ActionFactory, CaseFactory

ROLES = [
    "owner",
    "colleague",
    "supervisor",
    "other_supervisor",
    "other_practitioner",
    "manager",
    "admin",
    "foreign",
]


@pytest.mark.parametrize("role", ROLES)
def test_case_for_user_matrix(world, role):
    user = world.by_role()[role]
    if role in CAN_READ:
        assert access.case_for_user(user, world.case.pk, view="test") == world.case
    else:
        with pytest.raises(Http404):
            access.case_for_user(user, world.case.pk, view="test")
    if role in CAN_WRITE:
        assert access.case_for_user(user, world.case.pk, write=True, view="test") == world.case
    elif role in CAN_READ:
        with pytest.raises(PermissionDenied):
            access.case_for_user(user, world.case.pk, write=True, view="test")


@pytest.mark.parametrize("role", ROLES)
def test_action_for_user_follows_case_visibility(world, role):
    action = ActionFactory(case=world.case)
    user = world.by_role()[role]
    if role in CAN_READ:
        assert access.action_for_user(user, action.pk, view="test") == action
    else:
        with pytest.raises(Http404):
            access.action_for_user(user, action.pk, view="test")


def test_no_user_reaches_another_organisations_records(world):
    """Tenancy: even a manager sees nothing of another organisation."""
    for user in world.by_role().values():
        if user == world.foreign_user:
            continue
        assert world.foreign_case not in selectors.cases_visible_to(user)
        with pytest.raises(Http404):
            access.case_for_user(user, world.foreign_case.pk, view="test")
    assert list(selectors.cases_visible_to(world.foreign_user)) == [world.foreign_case]


def test_supervisor_sees_team_cases_only(world):
    team_case = CaseFactory(owner=world.colleague)
    other_team_case = CaseFactory(owner=world.other_practitioner)
    visible = set(selectors.cases_visible_to(world.supervisor))
    assert {world.case, team_case} <= visible
    assert other_team_case not in visible
    assert set(selectors.cases_visible_to(world.manager)) == {world.case, team_case, other_team_case}
    assert list(selectors.cases_visible_to(world.admin)) == []


def test_caseload_filters_and_annotations(world):
    today = timezone.localdate()
    now = timezone.now()
    stale = world.case
    stale.last_contact_at = now - dt.timedelta(days=40)
    stale.save(update_fields=["last_contact_at"])
    fresh = CaseFactory(owner=world.practitioner, last_contact_at=now - dt.timedelta(days=2))
    never = CaseFactory(owner=world.practitioner, last_contact_at=None)
    closed = CaseFactory(owner=world.practitioner, status=CaseStatus.CLOSED, closed_on=today)
    ActionFactory(case=stale, due_on=today - dt.timedelta(days=3))
    ActionFactory(case=stale, due_on=today + dt.timedelta(days=3))
    ActionFactory(case=fresh, due_on=today + dt.timedelta(days=5))

    rows = {c.pk: c for c in selectors.caseload(world.practitioner, owner=world.practitioner)}
    assert (rows[stale.pk].open_action_count, rows[stale.pk].overdue_action_count) == (2, 1)
    assert rows[stale.pk].next_action_due == today - dt.timedelta(days=3)
    assert rows[never.pk].next_action_due is None

    overdue = selectors.caseload(world.practitioner, owner=world.practitioner, has_overdue_actions=True)
    assert [c.pk for c in overdue] == [stale.pk]
    drifting = selectors.caseload(world.practitioner, owner=world.practitioner, min_days_since_contact=28)
    assert {c.pk for c in drifting} == {stale.pk, never.pk, closed.pk}
    open_only = selectors.caseload(world.practitioner, owner=world.practitioner, status="open")
    # Default sort: never contacted first, then the longest since contact.
    assert [c.pk for c in open_only] == [never.pk, stale.pk, fresh.pk]
    newest = selectors.caseload(
        world.practitioner, owner=world.practitioner, status="open", sort="-last_contact"
    )
    assert [c.pk for c in newest] == [fresh.pk, stale.pk, never.pk]


def test_team_overview_counts(world):
    today = timezone.localdate()
    ActionFactory(case=world.case, due_on=today - dt.timedelta(days=1))
    CaseFactory(owner=world.colleague, status=CaseStatus.ON_HOLD)
    rows = {row["practitioner"].username: row for row in selectors.team_overview(world.supervisor)}
    assert set(rows) == {"alex", "priya", "sam"}
    assert rows["alex"]["open_cases"] == 1
    assert rows["alex"]["overdue_actions"] == 1
    assert rows["priya"]["on_hold_cases"] == 1
    assert selectors.team_overview(world.practitioner) == []
    manager_rows = selectors.team_overview(world.manager)
    assert world.other_practitioner in [row["practitioner"] for row in manager_rows]


def test_team_member_for_user(world):
    assert selectors.team_member_for_user(world.supervisor, world.practitioner.pk) == world.practitioner
    with pytest.raises(Http404):
        selectors.team_member_for_user(world.supervisor, world.other_practitioner.pk)
    with pytest.raises(Http404):
        selectors.team_member_for_user(world.practitioner, world.colleague.pk)
    with pytest.raises(Http404):
        selectors.team_member_for_user(world.manager, world.foreign_user.pk)
