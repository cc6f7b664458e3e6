"""Keeping a case up to date: correcting a client's details, changing a case's details,
reallocating it, closing it with its outcomes and opening it again (PC3, PC12, PC16, PC17;
K2, K8, K17).

The same rules as ``services``: keyword-only functions, each one transaction, a
``ValidationError`` keyed by field for bad input, ``StaleRecordError`` when someone else
saved since the user opened the record, and every change written through ``changes`` so the
audit trail, the case history and the priority move together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from casework.accounts.models import Role, Team, User
from casework.audit.trail import audit_record
from casework.cases import changes
from casework.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseClosure,
    CaseOutcome,
    CaseStatus,
    Client,
    ClientCorrection,
    Complexity,
    Deadline,
    OutcomeResult,
)
from casework.cases.services import _validate_client
from casework.inputs import date_problem, reason_problems, text_problem
from casework.locking import StaleRecordError, save_versioned

CLIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone", "address")
CLIENT_FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "email": "email",
    "phone": "phone",
    "address": "address",
}


def _reason_problem(reason: str, what: str) -> list[str]:
    return reason_problems(reason, f"Say why {what}.")


# Client details --------------------------------------------------------------------------


def client_correct(
    *,
    client: Client,
    actor: User,
    values: Mapping[str, Any],
    reason: str,
    expected_version: int | None,
    case: Case | None = None,
    today: date | None = None,
) -> ClientCorrection | None:
    """Correct a client's details with a reason (UK GDPR rectification; PC16).

    ``values`` holds the fields to change (any of ``CLIENT_FIELDS``). The values before and
    after are kept in a ``ClientCorrection`` row, shown only to those who may open the client's
    record; the audit event names the fields and that row. Nothing changed: None.
    """
    unknown = set(values) - set(CLIENT_FIELDS)
    if unknown:
        raise ValidationError({name: ["This detail cannot be changed here."] for name in sorted(unknown)})
    new = {
        name: (value.strip() if isinstance(value, str) else value)
        for name, value in values.items()
        if name in CLIENT_FIELDS
    }
    merged = {name: getattr(client, name) for name in CLIENT_FIELDS} | new
    errors = _validate_client(
        first_name=merged["first_name"],
        last_name=merged["last_name"],
        date_of_birth=merged["date_of_birth"],
        email=merged["email"] or "",
        phone=merged["phone"] or "",
        today=today or timezone.localdate(),
    )
    if problem := text_problem(merged["address"] or ""):
        errors["address"] = [problem]
    changed = {name: value for name, value in new.items() if value != getattr(client, name)}
    if changed and (reason_errors := _reason_problem(reason, "the details are being corrected")):
        errors["reason"] = reason_errors
    if errors:
        raise ValidationError(errors)
    if expected_version is not None and expected_version != client.version:
        raise StaleRecordError("client's record")
    if not changed:
        return None

    def shown(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    with transaction.atomic():
        before = {name: shown(getattr(client, name)) for name in changed}
        save_versioned(client, changed, expected_version=expected_version, label="client's record")
        correction = ClientCorrection.objects.create(
            organisation_id=client.organisation_id,
            client=client,
            corrected_by=actor,
            reason=reason.strip(),
            before=before,
            after={name: shown(value) for name, value in changed.items()},
        )
        fields = sorted(changed)
        audit_record(
            organisation_id=client.organisation_id,
            actor=actor,
            action="client.updated",
            object_type="client",
            object_id=client.pk,
            client_id=client.pk,
            case_id=case.pk if case else None,
            changes={"fields": fields, "correction_id": correction.pk},
        )
        words = ", ".join(CLIENT_FIELD_LABELS[name] for name in fields)
        for open_case in Case.objects.filter(client=client).exclude(status=CaseStatus.CLOSED):
            changes.case_event_record(
                case=open_case,
                actor=actor,
                code="client_corrected",
                summary=f"Client's {words} corrected: {reason.strip()}",
                data={"fields": fields, "correction_id": correction.pk},
            )
    return correction


# Case details ----------------------------------------------------------------------------


CASE_FIELD_LABELS = {
    "required_outcomes": "required outcomes",
    "complexity": "complexity",
    "contact_interval_days": "contact interval",
    "next_review_on": "next review date",
    "is_restricted": "restriction",
    "restricted_to": "who may open it",
}


def case_update(
    *,
    case: Case,
    actor: User,
    values: Mapping[str, Any],
    expected_version: int | None,
    today: date | None = None,
) -> list[str]:
    """Change a case's required outcomes, complexity, contact interval, next review date and
    restriction (PC3, PC16). Returns the names of the fields changed.

    ``restricted_to`` is a list of users; a restricted case is always open to its owner, so
    the owner is added if left out. Only the owner, a supervisor and the data-protection
    officer may be named (the owner's colleagues see nothing of a restricted case).
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(CASE_FIELD_LABELS)
    for name in sorted(unknown):
        errors[name] = ["This detail cannot be changed here."]
    outcomes = values.get("required_outcomes")
    if outcomes is not None:
        if len(outcomes) > 5000:
            errors["required_outcomes"] = ["Keep the required outcomes to 5,000 characters or fewer."]
        elif problem := text_problem(outcomes):
            errors["required_outcomes"] = [problem]
    complexity = values.get("complexity")
    if complexity is not None and complexity not in Complexity.values:
        errors["complexity"] = ["Choose low, medium or high."]
    interval = values.get("contact_interval_days")
    if interval is not None and not 1 <= interval <= 365:
        errors["contact_interval_days"] = ["Give a number of days from 1 to 365, or leave it empty."]
    review = values.get("next_review_on")
    if review is not None:
        if problem := date_problem(review):
            errors["next_review_on"] = [problem]
        elif review < today and review != case.next_review_on:
            errors["next_review_on"] = ["The next review cannot be in the past."]
    named: list[User] | None = values.get("restricted_to")
    if named is not None:
        wrong = [
            user.display_name
            for user in named
            if user.organisation_id != case.organisation_id
            or (user.pk != case.owner_id and user.role not in (Role.SUPERVISOR, Role.DATA_PROTECTION))
        ]
        if wrong:
            errors["restricted_to"] = [
                "Only the case's owner, a supervisor or the data-protection officer can be named: "
                + ", ".join(wrong)
                + "."
            ]
    if errors:
        raise ValidationError(errors)
    if expected_version is not None and expected_version != case.version:
        raise StaleRecordError("case")
    row: dict[str, Any] = {}
    changed: dict[str, list[Any]] = {}
    for name in ("required_outcomes", "complexity", "next_review_on", "is_restricted"):
        if name in values and values[name] is not None and values[name] != getattr(case, name):
            row[name] = values[name].strip() if isinstance(values[name], str) else values[name]
            changed[name] = [_plain(getattr(case, name)), _plain(row[name])]
    if "contact_interval_days" in values and values["contact_interval_days"] != case.contact_interval_days:
        row["contact_interval_days"] = values["contact_interval_days"]
        changed["contact_interval_days"] = [case.contact_interval_days, values["contact_interval_days"]]
    restricted = row.get("is_restricted", case.is_restricted)
    new_named: set[int] | None = None
    if named is not None or "is_restricted" in row:
        current = set(case.restricted_to.values_list("pk", flat=True))
        wanted = {user.pk for user in named} if named is not None else current
        new_named = (wanted | {case.owner_id}) if restricted else set()
        if new_named != current:
            changed["restricted_to"] = [sorted(current), sorted(new_named)]
        else:
            new_named = None
    if not changed:
        return []
    with transaction.atomic():
        save_versioned(case, row, expected_version=expected_version, label="case")
        if new_named is not None:
            case.restricted_to.set(new_named)
        fields = sorted(changed)
        words = ", ".join(CASE_FIELD_LABELS[name] for name in fields)
        summary = f"Case details changed: {words}"
        if "is_restricted" in changed:
            summary = ("Case restricted to named people" if restricted else "Case restriction lifted") + (
                f"; {words}" if len(fields) > 2 else ""
            )
        changes.CASE_UPDATED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes=changed,
            summary=summary,
            data={"changes": changed},
        )
    return sorted(changed)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f"{len(value)} characters"  # free text about the client stays out of the trail
    return value


# Reallocation ----------------------------------------------------------------------------


def can_reallocate(user: User, case: Case) -> bool:
    """A manager, or a supervisor of the team the owner is in, may give the case to someone else."""
    if user.organisation_id != case.organisation_id:
        return False
    if user.role == Role.MANAGER:
        return True
    if user.role == Role.SUPERVISOR:
        return (
            case.owner_id == user.pk
            or Team.objects.filter(
                organisation_id=case.organisation_id, supervisors=user, members=case.owner_id
            ).exists()
        )
    return False


def reallocation_choices(user: User, case: Case) -> list[User]:
    """Whom the case may go to: for a manager, anyone in the organisation who holds cases; for a
    supervisor, themselves and the practitioners in the teams they supervise."""
    people = User.objects.filter(
        organisation_id=case.organisation_id,
        is_active=True,
        role__in=(Role.PRACTITIONER, Role.SUPERVISOR),
    ).exclude(pk=case.owner_id)
    if user.role == Role.SUPERVISOR:
        people = people.filter(Q(pk=user.pk) | Q(team__supervisors=user, role=Role.PRACTITIONER))
    return list(people.select_related("team").distinct().order_by("first_name", "last_name", "username"))


Reallocated = Callable[[Case, User, User, str], object]
_reallocation_listeners: list[Reallocated] = []


def reallocation_listener_register(listener: Reallocated) -> None:
    """Called at start-up by an app above ``cases`` (``priorities`` tells the new owner)."""
    if listener not in _reallocation_listeners:
        _reallocation_listeners.append(listener)


def case_reallocate(
    *, case: Case, actor: User, new_owner: User, reason: str, expected_version: int | None
) -> Case:
    """Give the case to another practitioner (PC12; K17). Open actions the old owner held on
    it pass with it; a restricted case opens to the new owner instead of the old; the history
    says who, when and why, and the new owner is told."""
    errors: dict[str, list[str]] = {}
    allowed = {user.pk for user in reallocation_choices(actor, case)}
    if new_owner.pk == case.owner_id:
        errors["new_owner"] = ["The case is already theirs: choose someone else."]
    elif new_owner.pk not in allowed:
        errors["new_owner"] = ["Choose one of the people listed."]
    if reason_errors := _reason_problem(reason, "the case is moving"):
        errors["reason"] = reason_errors
    if errors:
        raise ValidationError(errors)
    old_owner = case.owner
    with transaction.atomic():
        save_versioned(case, {"owner_id": new_owner.pk}, expected_version=expected_version, label="case")
        case.owner = new_owner
        moved = Action.objects.filter(case=case, status=ActionStatus.OPEN, assigned_to=old_owner).update(
            assigned_to=new_owner
        )
        if case.is_restricted:
            case.restricted_to.remove(old_owner)
            case.restricted_to.add(new_owner)
        changes.CASE_REALLOCATED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={"owner": [old_owner.pk, new_owner.pk], "actions_moved": moved},
            summary=f"Case moved from {old_owner.display_name} to {new_owner.display_name}: {reason.strip()}",
            data={"from": old_owner.pk, "to": new_owner.pk, "reason": reason.strip(), "actions_moved": moved},
        )
        for listener in _reallocation_listeners:
            listener(case, actor, old_owner, reason.strip())
    return case


# Closing and reopening ---------------------------------------------------------------------


def outcome_lines(case: Case) -> list[str]:
    """The case's required outcomes, one per line, as the closing form asks about them."""
    lines = [line.strip(" -•*\t") for line in case.required_outcomes.splitlines()]
    return [line[:500] for line in lines if line]


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    result: str
    why: str = ""


class OpenWork:
    """What is left open on a case being closed."""

    WITHDRAW = "withdraw"
    HAND_ON = "hand_on"
    KEEP = "keep"
    CHOICES = (
        (WITHDRAW, "Withdraw the open actions"),
        (HAND_ON, "Hand the open actions on to a colleague"),
        (KEEP, "Keep them open (say why in the reason)"),
    )


def open_work(case: Case) -> tuple[list[Action], list[Deadline]]:
    actions = list(
        Action.objects.filter(case=case, status=ActionStatus.OPEN)
        .select_related("assigned_to")
        .order_by("due_on")
    )
    deadlines = list(Deadline.objects.filter(case=case, met_on__isnull=True).order_by("due_on"))
    return actions, deadlines


def case_close(
    *,
    case: Case,
    actor: User,
    reason: str,
    outcomes: Sequence[OutcomeInput],
    open_actions: str = "",
    hand_to: User | None = None,
    expected_version: int | None,
    today: date | None = None,
) -> CaseClosure:
    """Close a case, recording which required outcomes were achieved, partly or not, and why
    (PC3, PC17). Open actions are withdrawn, handed on or kept, as the user chose."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if case.status == CaseStatus.CLOSED:
        errors["__all__"] = ["The case is already closed."]
    if reason_errors := _reason_problem(reason, "the case is closing"):
        errors["reason"] = reason_errors
    expected = outcome_lines(case)
    given = {item.outcome: item for item in outcomes}
    for index, outcome in enumerate(expected):
        item = given.get(outcome)
        if item is None or item.result not in OutcomeResult.values:
            errors[f"outcome_{index}"] = [f"Say whether “{outcome}” was achieved, partly achieved or not."]
        elif item.result != OutcomeResult.ACHIEVED and not item.why.strip():
            errors[f"why_{index}"] = [f"Say why “{outcome}” was not fully achieved."]
        elif problem := text_problem(item.why):
            errors[f"why_{index}"] = [problem]
    extra = set(given) - set(expected)
    if extra:
        errors["outcomes"] = [
            "Only the case's own required outcomes can be recorded: " + ", ".join(sorted(extra))
        ]
    actions, _ = open_work(case)
    if actions:
        if open_actions not in (OpenWork.WITHDRAW, OpenWork.HAND_ON, OpenWork.KEEP):
            errors["open_actions"] = [f"Say what happens to the {len(actions)} open action(s)."]
        elif open_actions == OpenWork.HAND_ON and (
            hand_to is None or hand_to.organisation_id != case.organisation_id or not hand_to.is_active
        ):
            errors["hand_to"] = ["Choose the colleague who takes the open actions on."]
    if errors:
        raise ValidationError(errors)
    closed_on = max(today, case.opened_on)
    with transaction.atomic():
        save_versioned(
            case,
            {"status": CaseStatus.CLOSED, "closed_on": closed_on},
            expected_version=expected_version,
            label="case",
        )
        closure = CaseClosure.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            closed_on=closed_on,
            closed_by=actor,
            reason=reason.strip(),
        )
        CaseOutcome.objects.bulk_create(
            CaseOutcome(
                organisation_id=case.organisation_id,
                closure=closure,
                case=case,
                outcome=outcome,
                result=given[outcome].result,
                why=given[outcome].why.strip()[:500],
            )
            for outcome in expected
        )
        handled = 0
        if actions and open_actions == OpenWork.WITHDRAW:
            handled = Action.objects.filter(pk__in=[a.pk for a in actions]).update(
                status=ActionStatus.CANCELLED, version=F("version") + 1
            )
        elif actions and open_actions == OpenWork.HAND_ON and hand_to is not None:
            handled = Action.objects.filter(pk__in=[a.pk for a in actions]).update(
                assigned_to=hand_to, owner_kind="staff", version=F("version") + 1
            )
        results = [given[outcome].result for outcome in expected]
        tally = ", ".join(
            f"{results.count(value)} {label.lower()}"
            for value, label in OutcomeResult.choices
            if value in results
        )
        changes.CASE_CLOSED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={
                "status": ["open", "closed"],
                "closure_id": closure.pk,
                "outcomes": {value: results.count(value) for value in OutcomeResult.values},
                "open_actions": open_actions or "none",
                "actions_handled": handled,
            },
            summary=f"Case closed: {reason.strip()}" + (f" (outcomes: {tally})" if tally else ""),
            data={"closure_id": closure.pk, "reason": reason.strip(), "open_actions": open_actions},
        )
    return closure


def case_reopen(*, case: Case, actor: User, reason: str, expected_version: int | None) -> Case:
    """Open a closed case again; its earlier closure and outcomes stay in the history (PC17)."""
    errors: dict[str, list[str]] = {}
    if case.status != CaseStatus.CLOSED:
        errors["__all__"] = ["Only a closed case can be reopened."]
    if reason_errors := _reason_problem(reason, "the case is reopening"):
        errors["reason"] = reason_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(
            case,
            {"status": CaseStatus.OPEN, "closed_on": None},
            expected_version=expected_version,
            label="case",
        )
        CaseClosure.objects.filter(case=case, reopened_at__isnull=True).update(
            reopened_at=timezone.now(), reopened_by=actor, reopen_reason=reason.strip()
        )
        changes.CASE_STATUS_CHANGED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={"status": ["closed", "open"]},
            summary=f"Case reopened: {reason.strip()}",
            data={"from": "closed", "to": "open", "reason": reason.strip()},
        )
    return case


def closure_history(case: Case) -> list[CaseClosure]:
    return list(
        CaseClosure.objects.filter(case=case)
        .select_related("closed_by", "reopened_by")
        .prefetch_related("outcomes")
        .order_by("closed_on", "pk")
    )
