"""Two people editing the same record: the second save is refused, not merged (issue 4, item 9)."""

import pytest

from casework.audit.models import AuditEvent
from casework.cases.models import Action, CaseEvent, CaseStatus
from casework.cases.services import action_update, case_set_status
from casework.locking import StaleRecordError
from tests.factories import ActionFactory


def test_second_save_of_an_action_from_a_stale_copy_is_refused(world):
    ActionFactory(case=world.case)
    alex_copy = Action.objects.get()
    sam_copy = Action.objects.get()
    action_update(action=alex_copy, actor=world.practitioner, status="done")
    with pytest.raises(StaleRecordError, match="Someone else changed this action"):
        action_update(action=sam_copy, actor=world.supervisor, status="cancelled", reason="Not needed")
    fresh = Action.objects.get()
    assert (fresh.status, fresh.version) == ("done", 2)
    assert CaseEvent.objects.filter(code="action_updated").count() == 1
    assert AuditEvent.objects.filter(action="action.updated").count() == 1


def test_expected_version_from_a_form_is_checked(world):
    action = ActionFactory(case=world.case)
    with pytest.raises(StaleRecordError):
        action_update(action=action, actor=world.practitioner, status="done", expected_version=7)
    updated = action_update(action=action, actor=world.practitioner, status="done", expected_version=1)
    assert updated.version == 2


def test_case_status_change_from_a_stale_copy_is_refused(world):
    from casework.cases.models import Case

    first, second = Case.objects.get(pk=world.case.pk), Case.objects.get(pk=world.case.pk)
    case_set_status(case=first, actor=world.practitioner, status=CaseStatus.ON_HOLD, reason="In hospital")
    with pytest.raises(StaleRecordError, match="this case"):
        case_set_status(case=second, actor=world.supervisor, status=CaseStatus.CLOSED, reason="Moved away")
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ON_HOLD
