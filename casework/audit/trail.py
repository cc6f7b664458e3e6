"""Writing and verifying the tamper-evident audit trail (PC16, K1, K2).

Each event's hash is SHA-256 over the previous event's hash and the event's own canonical
content, so changing or removing any event breaks every hash after it. ``audit_record``
must run inside the caller's transaction: the event commits with the change it describes,
or neither does. The chain head row is locked while appending, so concurrent writers in one
organisation are serialised (on SQLite, IMMEDIATE transactions do the same).

This is the application-level path on both databases; a trigger on each refuses UPDATE and
DELETE of audit rows (migration 0002), so the hash chain is the second line of defence,
against someone who can drop the trigger.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.audit.models import AuditChain, AuditEvent

GENESIS_HASH = "0" * 64

# The registry of audit actions; an unknown action is refused (a typo must not go unseen).
AUDIT_ACTIONS: dict[str, str] = {
    "case.opened": "Case opened",
    "case.status_changed": "Case status changed",
    "case.updated": "Case details changed",
    "case.reallocated": "Case reallocated",
    "case.closed": "Case closed with outcomes",
    "note.recorded": "Case note recorded",
    "note.amended": "Case note amended",
    "goal.created": "Goal added",
    "goal.updated": "Goal changed",
    "action.created": "Action agreed",
    "action.updated": "Action changed",
    "flag.raised": "Flag raised",
    "flag.cleared": "Flag cleared",
    "deadline.created": "Deadline set",
    "deadline.updated": "Deadline changed",
    "priority.overridden": "Priority overridden",
    "priority.override_ended": "Priority override ended",
    "criteria.changed": "Priority criteria changed",
    "client.created": "Client added",
    "client.updated": "Client details changed",
    "case.restricted": "Case access restricted",
    "case.unrestricted": "Case access restriction lifted",
    "share.recorded": "Information shared",
    "export.anonymised": "Anonymised export made",
    "export.subject_access": "Subject access response produced",
    "subject_access.requested": "Subject access request logged",
    "subject_access.completed": "Subject access request completed",
    "record.disposed": "Record disposed of",
    "record.erased": "Record erased on request",
    "legal_hold.changed": "Legal hold changed",
    "user.token_issued": "API token issued",
    "organisation.set_up": "Organisation set up",
    "organisation.changed": "Organisation settings changed",
    "staff.invited": "Member of staff invited",
    "staff.changed": "Member of staff changed",
    "staff.deactivated": "Member of staff deactivated",
    "staff.reactivated": "Member of staff reactivated",
    "staff.imported": "Staff imported from a file",
    "team.created": "Team created",
    "team.changed": "Team changed",
    "case_type.changed": "Case type added or changed",
    "contact_type.changed": "Contact type added or changed",
    "flag_type.changed": "Organisation's flag added or changed",
}


def _canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()


def _content(event: AuditEvent) -> dict[str, Any]:
    at = event.at.astimezone(UTC) if isinstance(event.at, datetime) else event.at
    return {
        "organisation_id": event.organisation_id,
        "sequence": event.sequence,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "client_id": event.client_id,
        "case_id": event.case_id,
        "changes": event.changes,
    }


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(_content(event))).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    """One event to append: who did what to which record, and which fields changed."""

    actor: Any
    action: str
    object_type: str
    object_id: Any
    client_id: int | None = None
    case_id: int | None = None
    changes: Mapping[str, Any] | None = None
    at: datetime | None = None


def audit_append(organisation_id: int, entries: Sequence[AuditEntry]) -> list[AuditEvent]:
    """Append events to the organisation's chain, in order, in the caller's transaction.

    The one append step: every service (through ``audit_record``) and the demo builder (a
    whole history at once) come through here. The chain head is locked while appending.
    """
    for entry in entries:
        if entry.action not in AUDIT_ACTIONS:
            raise ValueError(f"Unknown audit action {entry.action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction that makes the change")
    if not entries:
        return []
    chain, _ = AuditChain.objects.select_for_update().get_or_create(organisation_id=organisation_id)
    events = []
    for entry in entries:
        # Microseconds survive both databases; a round trip must give the same hash.
        event = AuditEvent(
            organisation_id=organisation_id,
            sequence=chain.last_sequence + 1,
            at=(entry.at or timezone.now()),
            actor_id=getattr(entry.actor, "pk", None),
            actor_username=getattr(entry.actor, "username", "") or "",
            action=entry.action,
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            client_id=entry.client_id,
            case_id=entry.case_id,
            changes=json.loads(_canonical(entry.changes or {})),
            prev_hash=chain.last_hash,
        )
        event.hash = event_hash(chain.last_hash, event)
        chain.last_sequence, chain.last_hash = event.sequence, event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    chain.save(update_fields=["last_sequence", "last_hash"])
    return events


def audit_record(
    *,
    organisation_id: int,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any,
    client_id: int | None = None,
    case_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit event to the organisation's chain, in the caller's transaction."""
    entry = AuditEntry(actor, action, object_type, object_id, client_id, case_id, changes, at)
    return audit_append(organisation_id, [entry])[0]


@dataclass(frozen=True)
class ChainBreak:
    organisation_id: int
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"organisation {self.organisation_id}: event {self.sequence}: {self.problem}"


def _events(organisation_id: int) -> Iterator[AuditEvent]:
    return (
        AuditEvent.objects.filter(organisation_id=organisation_id)
        .order_by("sequence")
        .iterator(chunk_size=2000)
    )


def verify_chain(organisation_id: int) -> ChainBreak | None:
    """Recompute the organisation's chain; return the first broken link, or None if intact."""
    expected_sequence = 1
    prev_hash = GENESIS_HASH
    for event in _events(organisation_id):
        if event.sequence != expected_sequence:
            return ChainBreak(
                organisation_id, expected_sequence, f"missing: the next event found is {event.sequence}"
            )
        if event.prev_hash != prev_hash:
            return ChainBreak(
                organisation_id, event.sequence, "its link to the previous event does not match"
            )
        if event_hash(prev_hash, event) != event.hash:
            return ChainBreak(organisation_id, event.sequence, "its content was changed after it was written")
        prev_hash = event.hash
        expected_sequence += 1
    chain = AuditChain.objects.filter(organisation_id=organisation_id).first()
    last = expected_sequence - 1
    if chain is not None and (chain.last_sequence != last or chain.last_hash != prev_hash):
        return ChainBreak(
            organisation_id,
            last + 1,
            f"missing: the chain head records {chain.last_sequence} events, found {last}",
        )
    return None
