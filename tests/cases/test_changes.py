"""The one write ending for case changes (issue 7): codes checked at import, one call writes
the audit event, the case event and the re-assessment."""

from __future__ import annotations

import pytest
from django.db import transaction

from casework.audit.models import AuditEvent
from casework.audit.trail import AUDIT_ACTIONS
from casework.cases import changes
from casework.cases.events import EVENT_CODES
from casework.cases.models import CaseEvent
from casework.priorities.models import CaseAssessment
from casework.priorities.services import reassess_case_ids


def test_every_declared_change_names_known_codes_when_the_module_loads():
    declared = [value for value in vars(changes).values() if isinstance(value, changes.CaseChange)]

    assert len(declared) >= 14
    assert {change.audit_action for change in declared} <= set(AUDIT_ACTIONS)
    assert {change.event_code for change in declared} - {None} <= set(EVENT_CODES)


@pytest.mark.parametrize(
    ("audit_action", "event_code"),
    [("flag.rasied", "flag_raised"), ("flag.raised", "flag_rasied")],
)
def test_a_misspelt_code_is_refused_where_the_change_is_declared(audit_action, event_code):
    with pytest.raises(ValueError, match="Unknown"):
        changes.CaseChange(audit_action, "case_flag", event_code)


def test_record_writes_audit_and_case_event_and_reassesses_in_one_go(world):
    with transaction.atomic():
        changes.FLAG_RAISED.record(
            case=world.case,
            actor=world.practitioner,
            object_id=1,
            changes={"code": "safeguarding"},
            summary="Safeguarding concern",
        )

    event = AuditEvent.objects.get(action="flag.raised")
    assert (event.case_id, event.client_id, event.changes) == (
        world.case.pk,
        world.case.client_id,
        {"code": "safeguarding"},
    )
    assert CaseEvent.objects.get(case=world.case).code == "flag_raised"
    assert CaseAssessment.objects.filter(case=world.case).exists()


def test_a_change_that_cannot_move_the_priority_does_not_reassess(world):
    with transaction.atomic():
        changes.GOAL_ADDED.record(
            case=world.case, actor=world.practitioner, object_id=1, changes={}, summary="Find work"
        )

    assert not CaseAssessment.objects.filter(case=world.case).exists()


def test_priorities_registered_its_reassessment_at_start_up():
    assert reassess_case_ids in changes._reassessors
