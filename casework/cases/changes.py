"""One write ending for every change to a case (PC1, PC16, PC17; K3): the audit event, the
case-history event and the re-assessment of the case's priority, in the caller's transaction.

Each kind of change is a ``CaseChange`` declared once below. Its audit action and its
case-event code are checked against their registries when this module is imported, so a
misspelt code stops the application at start-up (and the tests), not at the first save.

**The one upward call in the stack.** ``cases`` sits below ``priorities`` and may not import
it, yet every change to a case must re-assess the case's priority in the same transaction.
``priorities`` registers its re-assessment here in its ``AppConfig.ready``
(``case_reassessor_register``); ``reassess`` calls what is registered. No Django signals, and
no import hidden in a function body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from casework.accounts.models import User
from casework.audit.trail import AUDIT_ACTIONS, audit_record
from casework.cases.events import EVENT_CODES
from casework.cases.models import Case, CaseEvent

Reassessor = Callable[[list[int]], object]
_reassessors: list[Reassessor] = []


def case_reassessor_register(reassessor: Reassessor) -> None:
    """Called once at start-up by ``priorities``: ``reassessor(case_ids)`` re-assesses cases."""
    if reassessor not in _reassessors:
        _reassessors.append(reassessor)


def reassess(case_ids: Iterable[int]) -> None:
    """Keep the cases' priority assessments current, in the caller's transaction."""
    ids = list(case_ids)
    for reassessor in _reassessors:
        reassessor(ids)


def case_event_record(
    *,
    case: Case,
    actor: User,
    code: str,
    summary: str,
    data: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """One row of the case history; a code not in ``EVENT_CODES`` is refused."""
    if code not in EVENT_CODES:
        raise ValueError(f"Unknown case event code {code!r}")
    return CaseEvent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        code=code,
        actor=actor,
        at=at or timezone.now(),
        summary=summary[:500],
        data=dict(data or {}),
    )


@dataclass(frozen=True)
class CaseChange:
    """A kind of change to a case: what the audit trail calls it, what the case history calls
    it (None: the change shows in the history by itself, as a note does), and whether it can
    move the case's priority."""

    audit_action: str
    object_type: str
    event_code: str | None
    moves_priority: bool = True

    def __post_init__(self) -> None:
        if self.audit_action not in AUDIT_ACTIONS:
            raise ValueError(f"Unknown audit action {self.audit_action!r}")
        if self.event_code is not None and self.event_code not in EVENT_CODES:
            raise ValueError(f"Unknown case event code {self.event_code!r}")

    def record(
        self,
        *,
        case: Case,
        actor: User,
        object_id: Any,
        changes: Mapping[str, Any],
        summary: str = "",
        data: Mapping[str, Any] | None = None,
        at: datetime | None = None,
        reassess_now: bool | None = None,
    ) -> None:
        """Write the change's audit event and case event, and re-assess the case.

        ``changes`` holds field names, codes and dates, never free text about the client: the
        audit trail outlives disposal of the record it describes. ``reassess_now=False`` when
        the caller re-assesses once after several changes (a note with its actions)."""
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action=self.audit_action,
            object_type=self.object_type,
            object_id=object_id,
            client_id=case.client_id,
            case_id=case.pk,
            changes=changes,
        )
        if self.event_code is not None:
            case_event_record(case=case, actor=actor, code=self.event_code, summary=summary, data=data, at=at)
        if self.moves_priority if reassess_now is None else reassess_now:
            reassess([case.pk])


CASE_OPENED = CaseChange("case.opened", "case", "case_opened")
CASE_STATUS_CHANGED = CaseChange("case.status_changed", "case", "status_changed")
CASE_UPDATED = CaseChange("case.updated", "case", "case_updated")
CASE_REALLOCATED = CaseChange("case.reallocated", "case", "case_reallocated")
CASE_CLOSED = CaseChange("case.closed", "case", "case_closed")
NOTE_RECORDED = CaseChange("note.recorded", "case_note", None)
NOTE_AMENDED = CaseChange("note.amended", "case_note", None)
GOAL_ADDED = CaseChange("goal.created", "goal", "goal_added", moves_priority=False)
GOAL_UPDATED = CaseChange("goal.updated", "goal", "goal_updated", moves_priority=False)
ACTION_ADDED = CaseChange("action.created", "action", "action_added")
ACTION_UPDATED = CaseChange("action.updated", "action", "action_updated")
FLAG_RAISED = CaseChange("flag.raised", "case_flag", "flag_raised")
FLAG_CLEARED = CaseChange("flag.cleared", "case_flag", "flag_cleared")
DEADLINE_ADDED = CaseChange("deadline.created", "deadline", "deadline_added")
DEADLINE_MET = CaseChange("deadline.updated", "deadline", "deadline_met")
PRIORITY_OVERRIDDEN = CaseChange("priority.overridden", "case", "priority_overridden")
PRIORITY_OVERRIDE_ENDED = CaseChange("priority.override_ended", "case", "override_ended")
