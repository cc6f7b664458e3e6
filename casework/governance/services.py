"""Every governance write: subject access, legal hold, disposal and erasure (K1; UK GDPR Art. 5, 15, 17).

Each runs in one transaction with its audit event. Disposal deletes a case's personal data
(the case with its notes and every version, actions, goals, flags, deadlines and history)
and, with the client's last case, the client and the people recorded with them. What stays
is a ``DisposalCertificate`` naming the case by id and the client by pseudonymous
reference, and the audit trail, which holds ids only and so still verifies.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.accounts.models import User
from casework.audit.access import access_record
from casework.audit.models import AccessChannel
from casework.audit.trail import audit_record
from casework.cases.models import (
    Action,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    Client,
    ClientContact,
    Deadline,
    Goal,
    NoteVersion,
)
from casework.governance import retention, sar
from casework.governance.models import DisposalCertificate, DisposalKind, SubjectAccessRequest
from casework.locking import save_versioned

ERASURE_RULE = "Erasure on request (UK GDPR Article 17)"
REASON_MAX_CHARS = 2000


@dataclass(frozen=True)
class CommandLineActor:
    """Whoever ran a ``casework`` command without naming an account: recorded by login name."""

    username: str
    pk: None = None

    @classmethod
    def current(cls) -> CommandLineActor:
        try:
            login = getpass.getuser()
        except (KeyError, OSError):
            login = "unknown"
        return cls(username=f"command line ({login})")


Actor = User | CommandLineActor


def _reason_errors(reason: str, *, what: str) -> list[str]:
    if not reason.strip():
        return [f"Give the reason for {what}."]
    if len(reason) > REASON_MAX_CHARS:
        return [f"Keep the reason to {REASON_MAX_CHARS:,} characters or fewer."]
    return []


# Subject access ------------------------------------------------------------------------------


def sar_request_log(
    *,
    client: Client,
    actor: User,
    requested_on: date,
    notes: str = "",
    today: date | None = None,
) -> SubjectAccessRequest:
    """Log a subject access request; it is due one calendar month after it was received."""
    today = today or timezone.localdate()
    if requested_on > today:
        raise ValidationError({"requested_on": ["The request cannot have been received in the future."]})
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            organisation_id=client.organisation_id,
            client=client,
            client_reference=client.reference,
            requested_on=requested_on,
            due_on=sar.sar_due_on(requested_on),
            handled_by=actor,
            notes=notes.strip(),
        )
        audit_record(
            organisation_id=client.organisation_id,
            actor=actor,
            action="subject_access.requested",
            object_type="subject_access_request",
            object_id=request.pk,
            client_id=client.pk,
            changes={"requested_on": requested_on.isoformat(), "due_on": request.due_on.isoformat()},
        )
    return request


def sar_request_complete(*, request: SubjectAccessRequest, actor: User) -> SubjectAccessRequest:
    if request.completed_at is not None:
        raise ValidationError({"__all__": ["This request is already marked as answered."]})
    with transaction.atomic():
        request.completed_at = timezone.now()
        request.handled_by = actor
        request.save(update_fields=["completed_at", "handled_by"])
        audit_record(
            organisation_id=request.organisation_id,
            actor=actor,
            action="subject_access.completed",
            object_type="subject_access_request",
            object_id=request.pk,
            client_id=request.client_id,
            changes={"due_on": request.due_on.isoformat(), "overdue": request.due_on < timezone.localdate()},
        )
    return request


def subject_access_produce(
    *,
    client: Client,
    actor: Actor,
    view: str,
    request: SubjectAccessRequest | None = None,
    now: datetime | None = None,
) -> bytes:
    """Everything held about the client as a ZIP of JSON and a PDF; the export itself is logged.

    The PDF is rendered before the transaction opens (it is the slow part); the access and
    audit events commit together, and the file is handed over only once they have.
    """
    now = now or timezone.now()
    response = sar.collect(
        client,
        generated_by=getattr(actor, "display_name", None) or actor.username,
        requested_on=request.requested_on if request else None,
        due_on=request.due_on if request else None,
        now=now,
    )
    archive = sar.build_zip(response)
    with transaction.atomic():
        access_record(
            user=actor,
            organisation_id=client.organisation_id,
            client_id=client.pk,
            case_id=None,
            channel=AccessChannel.EXPORT,
            view=view,
        )
        audit_record(
            organisation_id=client.organisation_id,
            actor=actor,
            action="export.subject_access",
            object_type="client",
            object_id=client.pk,
            client_id=client.pk,
            changes={
                "request": request.pk if request else None,
                "records": {s.source.name: len(s.records) for s in response.sections},
            },
            at=now,
        )
    return archive


# Legal hold ---------------------------------------------------------------------------------


def legal_hold_set(
    *, case: Case, actor: User, held: bool, reason: str, expected_version: int | None = None
) -> Case:
    """Put a case on legal hold, or lift it, with a reason. A held case is never disposed of."""
    errors: dict[str, list[str]] = {}
    if held == case.legal_hold:
        errors["held"] = ["The case is already on legal hold." if held else "The case is not on legal hold."]
    reason_errors = _reason_errors(reason, what="the change")
    if reason_errors:
        errors["reason"] = reason_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        was = case.legal_hold
        save_versioned(case, {"legal_hold": held}, expected_version=expected_version, label="case")
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="legal_hold.changed",
            object_type="case",
            object_id=case.pk,
            client_id=case.client_id,
            case_id=case.pk,
            changes={"legal_hold": [was, held], "reason": reason.strip()},
        )
    return case


# Disposal and erasure -----------------------------------------------------------------------


def _delete_case_data(case: Case) -> None:
    """Delete the case and everything recorded on it, children first.

    Signed notes refuse UPDATE but allow DELETE; actions point at notes and goals, so they
    go first. The final ``delete()`` lets Django cascade to whatever later features attach
    to a case (referrals, consents), so they cannot be left behind.
    """
    Action.objects.filter(case=case).delete()
    NoteVersion.goals.through.objects.filter(noteversion__note__case=case).delete()
    NoteVersion.objects.filter(note__case=case).delete()
    CaseNote.objects.filter(case=case).delete()
    Goal.objects.filter(case=case).delete()
    CaseFlag.objects.filter(case=case).delete()
    Deadline.objects.filter(case=case).delete()
    CaseEvent.objects.filter(case=case).delete()
    Case.restricted_to.through.objects.filter(case=case).delete()
    case.delete()


def _delete_client(client: Client) -> None:
    ClientContact.objects.filter(client=client).delete()
    # The request stays, by reference only, as proof it was answered; its notes may name people.
    SubjectAccessRequest.objects.filter(client=client).update(client=None, notes="")
    client.delete()


def _audit_disposal(
    *,
    organisation_id: int,
    actor: Actor,
    kind: str,
    object_type: str,
    object_id: int,
    client_id: int,
    case_id: int | None,
    changes: Mapping[str, Any],
) -> None:
    audit_record(
        organisation_id=organisation_id,
        actor=actor,
        action="record.erased" if kind == DisposalKind.ERASURE else "record.disposed",
        object_type=object_type,
        object_id=object_id,
        client_id=client_id,
        case_id=case_id,
        changes=changes,
    )


def _dispose_locked_case(
    *, case: Case, actor: Actor, kind: str, reason: str, rule: str, now: datetime
) -> DisposalCertificate:
    """Dispose of one case already locked and checked, and its client if it was the last case."""
    # delete() clears the instances' primary keys: keep the ids for the certificate and audit.
    case_id, client_id, organisation_id = case.pk, case.client_id, case.organisation_id
    client = case.client
    _delete_case_data(case)
    client_removed = not Case.objects.filter(client_id=client_id).exists()
    if client_removed:
        _delete_client(client)
    certificate = DisposalCertificate.objects.create(
        organisation_id=organisation_id,
        kind=kind,
        case_id=case_id,
        client_reference=client.reference,
        case_type=case.case_type.name,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        client_record_removed=client_removed,
        disposed_at=now,
        disposed_by=actor.username,
        rule=rule,
        reason=reason.strip(),
    )
    changes = {"certificate": certificate.pk, "rule": rule, "reason": certificate.reason}
    for object_type, object_id, on_case in [("case", case_id, case_id)] + (
        [("client", client_id, None)] if client_removed else []
    ):
        _audit_disposal(
            organisation_id=organisation_id,
            actor=actor,
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            client_id=client_id,
            case_id=on_case,
            changes=changes,
        )
    return certificate


def case_dispose(
    *, case: Case, actor: Actor, reason: str, today: date | None = None, now: datetime | None = None
) -> DisposalCertificate:
    """Dispose of a case past its retention period (and its client, if it was their last case).

    Refused while the case is on legal hold or still within retention; both are checked
    again on the locked row, so a hold set a moment ago wins.
    """
    errors = _reason_errors(reason, what="the disposal")
    if errors:
        raise ValidationError({"reason": errors})
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update()
            .select_related("client", "case_type")
            .get(pk=case.pk, organisation_id=case.organisation_id)
        )
        if locked.legal_hold:
            raise ValidationError({"legal_hold": ["The case is on legal hold and cannot be disposed of."]})
        if not retention.is_past_retention(locked, today):
            raise ValidationError({"retention": ["The case is still within its retention period."]})
        return _dispose_locked_case(
            case=locked,
            actor=actor,
            kind=DisposalKind.RETENTION,
            reason=reason,
            rule=retention.retention_rule(locked.case_type),
            now=now or timezone.now(),
        )


@dataclass
class DisposalRun:
    """The outcome of a disposal run: certificates written, and cases passed over with why."""

    certificates: list[DisposalCertificate]
    skipped: list[tuple[int, str]]


def cases_dispose(
    *,
    organisation_id: int,
    actor: Actor,
    reason: str,
    case_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> DisposalRun:
    """Dispose of every case due (or the named ones among them), each in its own transaction.

    A page confirms a list of cases and posts their ids, so a case that became due (or was
    put on hold) after the list was shown is not disposed of unseen.
    """
    errors = _reason_errors(reason, what="the disposal")
    if errors:
        raise ValidationError({"reason": errors})
    today = today or timezone.localdate()
    due = retention.cases_due_for_disposal(organisation_id, today=today)
    if case_ids is not None:
        wanted = set(case_ids)
        due = due.filter(pk__in=wanted)
    run = DisposalRun(certificates=[], skipped=[])
    for case in list(due.order_by("closed_on", "pk")):
        try:
            run.certificates.append(case_dispose(case=case, actor=actor, reason=reason, today=today))
        except ValidationError as exc:
            run.skipped.append((case.pk, "; ".join(exc.messages)))
        except Case.DoesNotExist:
            run.skipped.append((case.pk, "Already disposed of."))
    if case_ids is not None:
        found = {c.case_id for c in run.certificates} | {pk for pk, _ in run.skipped}
        run.skipped.extend((pk, "No longer due for disposal.") for pk in sorted(wanted - found))
    return run


def client_erase(
    *, client: Client, actor: Actor, reason: str, now: datetime | None = None
) -> list[DisposalCertificate]:
    """Erase a client's record on their request: every case, then the client (UK GDPR Art. 17).

    All or nothing: refused, with nothing deleted, while any of the client's cases is on
    legal hold.
    """
    errors = _reason_errors(reason, what="the erasure")
    if errors:
        raise ValidationError({"reason": errors})
    now = now or timezone.now()
    with transaction.atomic():
        locked = list(
            Case.objects.select_for_update()
            .select_related("client", "case_type")
            .filter(client_id=client.pk, organisation_id=client.organisation_id)
            .order_by("pk")
        )
        held = [case.pk for case in locked if case.legal_hold]
        if held:
            raise ValidationError(
                {
                    "legal_hold": [
                        "The client's record cannot be erased while a case is on legal hold "
                        f"(case {', '.join(str(pk) for pk in held)})."
                    ]
                }
            )
        certificates = [
            _dispose_locked_case(
                case=case, actor=actor, kind=DisposalKind.ERASURE, reason=reason, rule=ERASURE_RULE, now=now
            )
            for case in locked
        ]
        if not locked:
            # A client with no case: the details and contacts still go, with a certificate.
            reference, client_pk = client.reference, client.pk
            _delete_client(client)
            certificate = DisposalCertificate.objects.create(
                organisation_id=client.organisation_id,
                kind=DisposalKind.ERASURE,
                case_id=None,
                client_reference=reference,
                client_record_removed=True,
                disposed_at=now,
                disposed_by=actor.username,
                rule=ERASURE_RULE,
                reason=reason.strip(),
            )
            _audit_disposal(
                organisation_id=client.organisation_id,
                actor=actor,
                kind=DisposalKind.ERASURE,
                object_type="client",
                object_id=client_pk,
                client_id=client_pk,
                case_id=None,
                changes={"certificate": certificate.pk, "rule": ERASURE_RULE, "reason": certificate.reason},
            )
            certificates.append(certificate)
    return certificates
