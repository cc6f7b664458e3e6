"""Action plans, status changes and the case history they write (PC9, PC17)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.changes import case_event_record
from casework.cases.models import Action, ActionStatus, CaseEvent, CaseNote, CaseStatus, NoteVersion
from casework.cases.services import (
    ActionInput,
    action_add,
    action_update,
    case_open,
    case_set_status,
    goal_add,
    note_amend,
    note_record,
)
from tests.factories import ActionFactory, CaseFactory, ClientFactory, GoalFactory, contact_type


def test_action_update_records_change_in_history(world):
    action = ActionFactory(case=world.case)
    action_update(action=action, actor=world.practitioner, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == timezone.localdate()
    event = CaseEvent.objects.get(case=world.case, code="action_updated")
    assert event.data["changes"] == {"status": ["open", "done"]}
    assert "marked done" in event.summary


def test_action_update_with_no_change_writes_nothing(world):
    action = ActionFactory(case=world.case)
    action_update(action=action, actor=world.practitioner, status=ActionStatus.OPEN, due_on=action.due_on)
    assert CaseEvent.objects.count() == 0


def test_action_update_refuses_unknown_status_and_foreign_owner(world):
    action = ActionFactory(case=world.case)
    with pytest.raises(ValidationError) as exc:
        action_update(action=action, actor=world.practitioner, status="finished")
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        action_update(action=action, actor=world.practitioner, assigned_to=world.foreign_user)
    assert "assigned_to" in exc.value.message_dict
    action.refresh_from_db()
    assert (action.status, action.assigned_to) == ("open", world.practitioner)


def test_action_add_validates_owner(world):
    with pytest.raises(ValidationError) as exc:
        action_add(
            case=world.case,
            actor=world.practitioner,
            data=ActionInput(description="Chase landlord", due_on=timezone.localdate(), owner_kind="staff"),
        )
    assert "Name the member of staff" in exc.value.message_dict["action"][0]
    action = action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Chase landlord",
            due_on=timezone.localdate(),
            owner_kind="other",
            owner_name="Shelter Cymru caseworker",
        ),
    )
    assert action.owner_label == "Shelter Cymru caseworker"


def test_closing_needs_a_reason_and_is_in_history(world):
    with pytest.raises(ValidationError) as exc:
        case_set_status(case=world.case, actor=world.practitioner, status=CaseStatus.CLOSED)
    assert "reason" in exc.value.message_dict
    case_set_status(
        case=world.case, actor=world.practitioner, status=CaseStatus.CLOSED, reason="Started work at Tesco"
    )
    world.case.refresh_from_db()
    assert world.case.status == "closed" and world.case.closed_on == timezone.localdate()
    event = CaseEvent.objects.get(case=world.case, code="status_changed")
    assert event.data == {"from": "open", "to": "closed", "reason": "Started work at Tesco"}
    case_set_status(case=world.case, actor=world.practitioner, status=CaseStatus.OPEN)
    world.case.refresh_from_db()
    assert world.case.closed_on is None


def test_case_open_and_goal_add_write_history(world):
    client = ClientFactory(organisation=world.organisation)
    case = case_open(
        client=client,
        owner=world.practitioner,
        actor=world.supervisor,
        case_type=world.case.case_type,
        required_outcomes="Secure a tenancy",
    )
    goal = goal_add(
        case=case,
        actor=world.practitioner,
        description="Register with Homeswapper",
        target_on=timezone.localdate(),
    )
    codes = list(CaseEvent.objects.filter(case=case).values_list("code", flat=True))
    assert codes == ["case_opened", "goal_added"]
    assert goal.organisation_id == world.organisation.pk
    with pytest.raises(ValidationError):
        goal_add(case=case, actor=world.practitioner, description="   ")


def test_unknown_event_code_is_refused(world):
    with pytest.raises(ValueError, match="Unknown case event code"):
        case_event_record(case=world.case, actor=world.practitioner, code="made_up", summary="x")


def test_note_actions_must_use_this_cases_goals_and_staff(world):
    other_goal = GoalFactory(case=CaseFactory(owner=world.practitioner))
    with pytest.raises(ValidationError) as exc:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=timezone.now(),
            sections={"facts": "Sent vacancies."},
            actions=[
                ActionInput(
                    description="Apply", due_on=timezone.localdate(), owner_kind="client", goal=other_goal
                ),
                ActionInput(description="Check", due_on=timezone.localdate(), assigned_to=world.foreign_user),
            ],
            goals=[other_goal],
        )
    assert set(exc.value.message_dict) == {"actions.0", "actions.1", "goals"}
    assert (CaseNote.objects.count(), Action.objects.count()) == (0, 0)


def test_note_before_case_opened_is_refused(world):
    before = timezone.now() - dt.timedelta(days=90)
    with pytest.raises(ValidationError) as exc:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=before,
            sections={"facts": "Old email."},
        )
    assert "before the case was opened" in exc.value.message_dict["occurred_at"][0]


def test_oversized_section_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=timezone.now(),
            sections={"facts": "x" * 1_000_000},
        )
    assert "20,000 characters or fewer" in exc.value.message_dict["facts"][0]
    assert NoteVersion.objects.count() == 0


def test_amendment_that_changes_nothing_is_refused(world):
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=timezone.now(),
        sections={"facts": "Sent CV."},
    )
    with pytest.raises(ValidationError) as exc:
        note_amend(note=note, author=world.practitioner, reason="Tidy", sections={"facts": "Sent CV. "})
    assert "changes nothing" in exc.value.message_dict["__all__"][0]
    assert note.versions.count() == 1


def test_amended_occurred_at_recomputes_lateness_and_keeps_goals(world):
    goal = GoalFactory(case=world.case)
    now = timezone.now()
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=now,
        sections={"facts": "Sent CV."},
        goals=[goal],
        now=now,
    )
    v2 = note_amend(
        note=note,
        author=world.practitioner,
        reason="The email went two days earlier",
        sections={},
        occurred_at=now - dt.timedelta(days=2),
        now=now,
    )
    assert v2.is_late is True
    assert list(v2.goals.all()) == [goal]
    world.case.refresh_from_db()
    assert world.case.last_contact_at == now - dt.timedelta(days=2)
