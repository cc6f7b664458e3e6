"""The audit trail: written with every change, append-only and tamper-evident (PC16; K1, K2)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.audit.trail import audit_record, verify_chain
from casework.cases.models import ActionStatus, CaseStatus
from casework.cases.services import ActionInput, action_update, case_set_status, note_amend, note_record
from tests.factories import contact_type


def _record_some_history(world):
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=timezone.now(),
        sections={"facts": "Emailed two vacancies at Morrisons."},
        actions=[
            ActionInput(description="Apply to Morrisons", due_on=timezone.localdate(), owner_kind="client")
        ],
    )
    note_amend(
        note=note,
        author=world.practitioner,
        reason="Wrong shop",
        sections={"facts": "Emailed two vacancies at Aldi."},
    )
    action_update(action=world.case.actions.get(), actor=world.practitioner, status=ActionStatus.DONE)
    case_set_status(
        case=world.case, actor=world.supervisor, status=CaseStatus.ON_HOLD, reason="Client in hospital"
    )
    return note


def test_every_change_writes_an_audit_event_with_who_what_and_fields(world):
    note = _record_some_history(world)
    events = list(AuditEvent.objects.filter(organisation_id=world.organisation.pk).order_by("sequence"))
    assert [e.action for e in events] == [
        "note.recorded",
        "action.created",
        "note.amended",
        "action.updated",
        "case.status_changed",
    ]
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    amended = events[2]
    assert (amended.actor_username, amended.object_type, amended.object_id) == (
        "alex",
        "case_note",
        str(note.pk),
    )
    assert amended.client_id == world.case.client_id and amended.case_id == world.case.pk
    assert amended.changes == {"version": 2, "fields": ["facts"]}  # no free text: it outlives disposal
    assert events[4].changes == {"status": ["open", "on_hold"]}
    assert events[4].actor_username == world.supervisor.username
    assert verify_chain(world.organisation.pk) is None


def test_a_refused_change_writes_no_audit_event(world):
    with pytest.raises(Exception):  # noqa: B017 - the validation error itself is tested elsewhere
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation),
            occurred_at=timezone.now() + dt.timedelta(days=1),
            sections={},
        )
    assert AuditEvent.objects.count() == 0


def test_audit_rows_cannot_be_updated_or_deleted(world):
    _record_some_history(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(actor_username="someone-else")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).delete()
    assert AuditEvent.objects.count() == 5


def _drop_triggers():
    with connection.cursor() as cursor:
        for op in ("update", "delete"):
            name = f"governance_auditevent_no_{op}"
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER {name} ON governance_auditevent")
            else:
                cursor.execute(f"DROP TRIGGER {name}")


def test_editing_an_event_behind_the_triggers_is_detected(world):
    _record_some_history(world)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE governance_auditevent SET changes = %s WHERE sequence = 3", ['{"version": 2}'])
    problem = verify_chain(world.organisation.pk)
    assert problem is not None and problem.sequence == 3
    assert "content was changed" in problem.problem
    with pytest.raises(CommandError, match=r"first broken link at organisation .*: event 3"):
        call_command("audit", "verify")


@pytest.mark.parametrize(("deleted", "expected"), [(2, 2), (5, 5)])
def test_deleting_an_event_is_detected(world, deleted, expected):
    _record_some_history(world)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_auditevent WHERE sequence = %s", [deleted])
    problem = verify_chain(world.organisation.pk)
    assert problem is not None and problem.sequence == expected
    assert "missing" in problem.problem


def test_verify_command_reports_intact_chains(world, capsys):
    _record_some_history(world)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"{world.organisation.slug}: 5 events, chain intact" in out


def test_audit_record_refuses_unknown_actions(world):
    with pytest.raises(ValueError, match="Unknown audit action"), transaction.atomic():
        audit_record(
            organisation_id=world.organisation.pk,
            actor=world.practitioner,
            action="note.editted",
            object_type="case_note",
            object_id=1,
        )


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(
            organisation_id=world.organisation.pk,
            actor=world.practitioner,
            action="note.recorded",
            object_type="case_note",
            object_id=1,
        )
    assert AuditEvent.objects.count() == 0


def test_chains_are_per_organisation(world):
    _record_some_history(world)
    note_record(
        case=world.foreign_case,
        author=world.foreign_user,
        contact_type=contact_type(world.foreign_case.organisation, "email"),
        occurred_at=timezone.now(),
        sections={"facts": "Emailed."},
    )
    foreign = AuditEvent.objects.get(organisation_id=world.foreign_case.organisation_id)
    assert foreign.sequence == 1
    assert verify_chain(world.organisation.pk) is None
    assert verify_chain(world.foreign_case.organisation_id) is None
