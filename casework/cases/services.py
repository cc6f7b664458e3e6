"""Every write to cases, notes and action plans (PC1, PC9, PC17; K3-K6).

Keyword-only functions, each inside one transaction: a note either commits whole, with
its actions and history, or not at all. Validation failures raise Django's
``ValidationError`` with a dict keyed by field, which forms and the API both render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone

from casework.accounts.models import Organisation, User
from casework.audit.trail import audit_record
from casework.cases import changes, defaults, rules
from casework.cases.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Case,
    CaseFlag,
    CaseNote,
    CaseStatus,
    CaseType,
    Client,
    Complexity,
    ContactType,
    Deadline,
    DeadlineKind,
    FlagCode,
    Goal,
    GoalStatus,
    NoteVersion,
    OrganisationFlag,
)
from casework.inputs import date_problem, text_problem
from casework.locking import StaleRecordError, save_versioned


def case_types_seed(organisation: Organisation) -> None:
    """Give a new organisation the default case types and contact types; each can be changed later."""
    CaseType.objects.bulk_create(
        CaseType(organisation=organisation, code=code, name=label) for code, label in defaults.CASE_TYPES
    )
    ContactType.objects.bulk_create(
        ContactType(
            organisation=organisation,
            code=code,
            name=label,
            required_sections=required,
            is_client_contact=is_contact,
            sets_next_review=code in defaults.REVIEW_CONTACT_TYPES,
        )
        for code, label, required, is_contact in defaults.CONTACT_TYPES
    )


# A little allowance for clocks that disagree between a device and the server.
FUTURE_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True)
class ActionInput:
    """An action agreed in a note, before it is saved."""

    description: str
    due_on: date
    owner_kind: str = ActionOwner.STAFF
    assigned_to: User | None = None
    owner_name: str = ""
    goal: Goal | None = None
    # A due date already past is refused unless the user confirmed it (issue 9): the pages and
    # the API ask; the services' own callers (the demo, imports) pass dates they mean.
    confirm_past: bool = True


def _validate_note(
    *,
    case: Case,
    contact_type: ContactType,
    occurred_at: datetime,
    sections: Mapping[str, str],
    actions: Sequence[ActionInput],
    now: datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if contact_type.organisation_id != case.organisation_id:
        errors.setdefault("contact_type", []).append("Choose a contact type from your organisation's list.")
    if timezone.is_naive(occurred_at):
        errors.setdefault("occurred_at", []).append("Give the date and time with a time zone.")
    elif problem := date_problem(occurred_at):
        errors.setdefault("occurred_at", []).append(problem)
    elif occurred_at > now + FUTURE_TOLERANCE:
        errors.setdefault("occurred_at", []).append(
            "The contact cannot be in the future: record it after it has happened."
        )
    elif timezone.localtime(occurred_at).date() < case.opened_on:
        errors.setdefault("occurred_at", []).append(
            f"The contact cannot be before the case was opened ({rules.long_date(case.opened_on)})."
        )
    for code, text in sections.items():
        if problem := text_problem(text):
            errors.setdefault(code, []).append(f"{rules.SECTION_LABELS[code]}: {problem}")
    for code in rules.oversized_sections(sections):
        errors.setdefault(code, []).append(
            f"{rules.SECTION_LABELS[code]} must be {rules.SECTION_MAX_CHARS:,} characters or fewer "
            f"(it has {len(sections[code]):,})."
        )
    filled = dict(sections)
    if actions:
        # Structured actions count as the "actions agreed" section.
        filled["actions_agreed"] = filled.get("actions_agreed") or "(see actions)"
    for code in rules.missing_sections(contact_type.required_sections, filled):
        errors.setdefault(code, []).append(
            f"{rules.SECTION_LABELS[code]} is required for a {contact_type.name.lower()} note."
        )
    errors.update(_validate_actions(case, actions))
    return errors


PAST_DUE = "The due date is in the past: confirm it is meant, or choose another date."


def _validate_actions(case: Case, actions: Sequence[ActionInput]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for index, action in enumerate(actions):
        key = f"actions.{index}"
        if not action.description.strip():
            errors.setdefault(key, []).append("Describe the action.")
        for text, multiline in ((action.description, True), (action.owner_name, False)):
            if problem := text_problem(text, multiline=multiline):
                errors.setdefault(key, []).append(problem)
        if problem := date_problem(action.due_on):
            errors.setdefault(key, []).append(f"Due date: {problem}")
        elif not action.confirm_past and action.due_on < timezone.localdate():
            errors.setdefault(key, []).append(PAST_DUE)
        if action.owner_kind == ActionOwner.STAFF and action.assigned_to is None:
            errors.setdefault(key, []).append("Name the member of staff who owns this action.")
        if (
            action.owner_kind == ActionOwner.STAFF
            and action.assigned_to is not None
            and (action.assigned_to.organisation_id != case.organisation_id)
        ):
            errors.setdefault(key, []).append("The owner must work in your organisation.")
        if action.owner_kind == ActionOwner.OTHER and not action.owner_name.strip():
            errors.setdefault(key, []).append("Say who owns this action.")
        if action.goal is not None and action.goal.case_id != case.pk:
            errors.setdefault(key, []).append("Link the action to a goal in this client's plan.")
    return errors


def _actions_summary(actions: Sequence[ActionInput], text: str) -> str:
    lines = [text.strip()] if text.strip() else []
    for action in actions:
        owner = (
            action.assigned_to.display_name
            if action.owner_kind == ActionOwner.STAFF and action.assigned_to
            else ("Client" if action.owner_kind == ActionOwner.CLIENT else action.owner_name)
        )
        lines.append(
            f"- {action.description.strip()} (owner: {owner}; due {rules.short_date(action.due_on)})"
        )
    return "\n".join(lines)


def _next_review(
    case: Case,
    contact_type: ContactType,
    occurred_at: datetime,
    given: date | None,
    errors: dict[str, list[str]],
) -> date | None:
    """The next review date a note sets, or None; a problem with a given date goes in ``errors``."""
    if not contact_type.sets_next_review:
        if given is not None:
            errors.setdefault("next_review_on", []).append(
                "Only a case review note sets the next review date: choose the case review contact type."
            )
        return None
    if timezone.is_naive(occurred_at) or date_problem(occurred_at):
        return None  # the contact time's own error is reported
    reviewed_on = timezone.localtime(occurred_at).date()
    if given is None:
        return reviewed_on + timedelta(days=case.organisation.case_review_interval_days)
    if problem := date_problem(given):
        errors.setdefault("next_review_on", []).append(problem)
    elif given <= reviewed_on:
        errors.setdefault("next_review_on", []).append("The next review must come after this one.")
    return given


def _is_late(case: Case, occurred_at: datetime, recorded_at: datetime) -> bool:
    hours = case.organisation.note_time_scale_hours
    return recorded_at - occurred_at > timedelta(hours=hours)


def _touch_last_contact(case: Case, contact_type: ContactType, occurred_at: datetime) -> None:
    if contact_type.is_client_contact and (
        case.last_contact_at is None or occurred_at > case.last_contact_at
    ):
        Case.objects.filter(pk=case.pk).update(last_contact_at=occurred_at, updated_at=timezone.now())
        case.last_contact_at = occurred_at


def _recompute_last_contact(case: Case) -> None:
    """Last contact from the current version of each note, after an amendment moved one."""
    newest_number = NoteVersion.objects.filter(note=OuterRef("note")).order_by("-number").values("number")[:1]
    last = (
        NoteVersion.objects.filter(note__case=case, contact_type__is_client_contact=True)
        .annotate(newest=Subquery(newest_number))
        .filter(number=F("newest"))
        .aggregate(last=Max("occurred_at"))["last"]
    )
    Case.objects.filter(pk=case.pk).update(last_contact_at=last, updated_at=timezone.now())
    case.last_contact_at = last


def note_record(
    *,
    case: Case,
    author: User,
    contact_type: ContactType,
    occurred_at: datetime,
    sections: Mapping[str, str],
    actions: Sequence[ActionInput] = (),
    goals: Sequence[Goal] = (),
    next_review_on: date | None = None,
    now: datetime | None = None,
) -> CaseNote:
    """Record and sign a case note, and turn the actions agreed in it into Actions (PC17).

    The server sets ``recorded_at``; a note recorded later than the organisation's time
    scale is marked late. A note of a case-review contact type sets the case's next review
    date: ``next_review_on`` if given, else the organisation's review interval after this
    review (PC13; issue 9). An attempt (a contact type that is not contact made) is recorded
    but leaves the last contact where it was.
    """
    now = now or timezone.now()
    sections = {code: (sections.get(code) or "").strip() for code in rules.SECTION_LABELS}
    errors = _validate_note(
        case=case,
        contact_type=contact_type,
        occurred_at=occurred_at,
        sections=sections,
        actions=actions,
        now=now,
    )
    if any(goal.case_id != case.pk for goal in goals):
        errors.setdefault("goals", []).append("Link the note to goals in this client's plan.")
    review_on = _next_review(case, contact_type, occurred_at, next_review_on, errors)
    if errors:
        raise ValidationError(errors)
    sections["actions_agreed"] = _actions_summary(actions, sections["actions_agreed"])
    with transaction.atomic():
        note = CaseNote.objects.create(
            organisation_id=case.organisation_id, case=case, author=author, created_at=now
        )
        version = NoteVersion.objects.create(
            organisation_id=case.organisation_id,
            note=note,
            number=1,
            contact_type=contact_type,
            occurred_at=occurred_at,
            recorded_at=now,
            recorded_by=author,
            is_late=_is_late(case, occurred_at, now),
            **sections,
        )
        if goals:
            version.goals.set(goals)
        recorded: dict[str, Any] = {
            "version": 1,
            "contact_type": contact_type.code,
            "occurred_at": occurred_at.isoformat(),
            "is_late": version.is_late,
            "sections": [code for code, text in sections.items() if text],
        }
        if review_on is not None:
            Case.objects.filter(pk=case.pk).update(next_review_on=review_on, updated_at=now)
            case.next_review_on = review_on
            recorded["next_review_on"] = review_on.isoformat()
        changes.NOTE_RECORDED.record(
            case=case, actor=author, object_id=note.pk, changes=recorded, reassess_now=False
        )
        for action in actions:
            _action_create(case=case, actor=author, data=action, source_note=note, at=now)
        _touch_last_contact(case, contact_type, occurred_at)
        changes.reassess([case.pk])
    return note


class NoteMovedOnError(StaleRecordError):
    """The note was amended by someone else after this amendment was started from it (PC1, K4).

    ``current`` is the version it is at now, so the user can see the other amendment beside
    their own and apply theirs again; nothing was saved.
    """

    def __init__(self, current: NoteVersion) -> None:
        who = current.recorded_by.display_name if current.recorded_by_id else "Someone"
        when = timezone.localtime(current.recorded_at)
        super().__init__(
            "note",
            f"{who} amended this note at {when:%H:%M} on {when.day} {when:%B %Y} (version "
            f"{current.number}) after you started. Nothing of yours was saved: compare their "
            "version with yours and save again.",
        )
        self.current = current


def note_amend(
    *,
    note: CaseNote,
    author: User,
    reason: str,
    sections: Mapping[str, str],
    occurred_at: datetime | None = None,
    contact_type: ContactType | None = None,
    amends_version: int | None = None,
    now: datetime | None = None,
) -> NoteVersion:
    """Record an amendment: a new signed version with a reason; the earlier ones stay (PC1, K4).

    ``amends_version`` is the version the user started from. If the note has moved on since,
    ``NoteMovedOnError`` is raised and nothing is written: an amendment never silently undoes
    a colleague's correction. The web form and the API always send it.
    """
    now = now or timezone.now()
    case = note.case
    with transaction.atomic():
        # Lock the note so two amendments at once cannot both claim the next number (on SQLite
        # the IMMEDIATE transaction does the same).
        CaseNote.objects.select_for_update().filter(pk=note.pk).first()
        latest = (
            NoteVersion.objects.filter(note=note)
            .order_by("-number")
            .select_related("contact_type", "recorded_by")
            .first()
        )
        assert latest is not None
        if amends_version is not None and amends_version != latest.number:
            raise NoteMovedOnError(latest)
        contact_type = contact_type or latest.contact_type
        occurred_at = occurred_at or latest.occurred_at
        merged = {
            code: (sections.get(code, getattr(latest, code)) or "").strip() for code in rules.SECTION_LABELS
        }
        errors = _validate_note(
            case=case,
            contact_type=contact_type,
            occurred_at=occurred_at,
            sections=merged,
            actions=(),
            now=now,
        )
        if not reason.strip():
            errors.setdefault("reason", []).append("Give a reason for the amendment.")
        elif problem := text_problem(reason):
            errors.setdefault("reason", []).append(problem)
        elif len(reason) > 2000:
            errors.setdefault("reason", []).append("Keep the reason to 2,000 characters or fewer.")
        if all(merged[c] == getattr(latest, c) for c in rules.SECTION_LABELS) and (
            occurred_at == latest.occurred_at and contact_type.pk == latest.contact_type_id
        ):
            errors.setdefault("__all__", []).append("The amendment changes nothing in the note.")
        if errors:
            raise ValidationError(errors)
        version = NoteVersion.objects.create(
            organisation_id=case.organisation_id,
            note=note,
            number=latest.number + 1,
            contact_type=contact_type,
            occurred_at=occurred_at,
            recorded_at=now,
            recorded_by=author,
            amendment_reason=reason.strip(),
            is_late=latest.is_late if occurred_at == latest.occurred_at else _is_late(case, occurred_at, now),
            **merged,
        )
        version.goals.set(latest.goals.all())
        changed = [c for c in rules.SECTION_LABELS if merged[c] != getattr(latest, c)]
        if occurred_at != latest.occurred_at:
            changed.append("occurred_at")
        if contact_type.pk != latest.contact_type_id:
            changed.append("contact_type")
        contact_moved = occurred_at != latest.occurred_at or contact_type.pk != latest.contact_type_id
        if contact_moved:
            _recompute_last_contact(case)
        changes.NOTE_AMENDED.record(
            case=case,
            actor=author,
            object_id=note.pk,
            changes={"version": version.number, "fields": changed},
            reassess_now=contact_moved,
        )
    return version


def _action_create(
    *, case: Case, actor: User, data: ActionInput, source_note: CaseNote | None, at: datetime
) -> Action:
    action = Action.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        goal=data.goal,
        source_note=source_note,
        description=data.description.strip(),
        owner_kind=data.owner_kind,
        assigned_to=data.assigned_to if data.owner_kind == ActionOwner.STAFF else None,
        owner_name=data.owner_name.strip() if data.owner_kind == ActionOwner.OTHER else "",
        due_on=data.due_on,
        created_by=actor,
        created_at=at,
    )
    changes.ACTION_ADDED.record(
        case=case,
        actor=actor,
        object_id=action.pk,
        changes={
            "owner_kind": action.owner_kind,
            "assigned_to": action.assigned_to_id,
            "due_on": action.due_on.isoformat(),
            "source_note": source_note.pk if source_note else None,
        },
        at=at,
        summary=f"{action.description} (owner: {action.owner_label}; due {rules.short_date(action.due_on)})",
        data={"action_id": action.pk},
        reassess_now=False,
    )
    return action


def action_add(*, case: Case, actor: User, data: ActionInput) -> Action:
    errors = _validate_actions(case, [data])
    if errors:
        raise ValidationError({"action": errors["actions.0"]})
    with transaction.atomic():
        action = _action_create(case=case, actor=actor, data=data, source_note=None, at=timezone.now())
        changes.reassess([case.pk])
    return action


def action_update(
    *,
    action: Action,
    actor: User,
    status: str | None = None,
    due_on: date | None = None,
    assigned_to: User | None = None,
    description: str | None = None,
    reason: str = "",
    confirm_past: bool = True,
    expected_version: int | None = None,
    today: date | None = None,
) -> Action:
    """Change an action's status, description, due date or owner, and record it in the case
    history. Withdrawing an action (status ``cancelled``) needs a reason; moving the due date
    into the past needs ``confirm_past``.

    ``expected_version`` is the version the user started from; if someone else has saved
    since, ``StaleRecordError`` is raised and nothing is written.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status is not None and status not in ActionStatus.values:
        errors["status"] = [f"Choose one of: {', '.join(ActionStatus.values)}."]
    if status == ActionStatus.CANCELLED and status != action.status:
        if not reason.strip():
            errors["reason"] = ["Say why the action is being withdrawn."]
        elif problem := text_problem(reason):
            errors["reason"] = [problem]
    if description is not None:
        if not description.strip():
            errors["description"] = ["Describe the action."]
        elif len(description) > 500:
            errors["description"] = ["Keep the action to 500 characters or fewer."]
        elif problem := text_problem(description):
            errors["description"] = [problem]
    if due_on is not None and due_on != action.due_on and due_on < today and not confirm_past:
        errors["due_on"] = [
            "The due date is in the past: tick the box to confirm it, or choose another date."
        ]
    if assigned_to is not None and assigned_to.organisation_id != action.organisation_id:
        errors["assigned_to"] = ["The owner must work in your organisation."]
    if due_on is not None and (problem := date_problem(due_on)):
        errors["due_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    if expected_version is not None and expected_version != action.version:
        raise StaleRecordError("action")
    changed: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if status is not None and status != action.status:
        changed["status"] = [action.status, status]
        values["status"] = status
        values["completed_on"] = today if status == ActionStatus.DONE else None
    if due_on is not None and due_on != action.due_on:
        changed["due_on"] = [action.due_on.isoformat(), due_on.isoformat()]
        values["due_on"] = due_on
    if description is not None and description.strip() != action.description:
        changed["description"] = [
            f"{len(action.description)} characters",
            f"{len(description.strip())} characters",
        ]
        values["description"] = description.strip()
    if assigned_to is not None and assigned_to.pk != action.assigned_to_id:
        changed["assigned_to"] = [str(action.assigned_to_id), str(assigned_to.pk)]
        values["assigned_to"] = assigned_to
        values["owner_kind"] = ActionOwner.STAFF
    if not values:
        return action
    with transaction.atomic():
        save_versioned(action, values, expected_version=expected_version, label="action")
        parts = []
        if "status" in changed:
            parts.append(f"marked {action.get_status_display().lower()}")
            if action.status == ActionStatus.CANCELLED:
                parts[-1] += f" ({reason.strip()})"
        if "description" in changed:
            parts.append("reworded")
        if "due_on" in changed:
            parts.append(f"due date moved to {rules.short_date(action.due_on)}")
        if "assigned_to" in changed:
            parts.append(f"passed to {action.owner_label}")
        changes.ACTION_UPDATED.record(
            case=action.case,
            actor=actor,
            object_id=action.pk,
            changes=changed,
            summary=f"{action.description}: {', '.join(parts)}",
            data={"action_id": action.pk, "changes": changed},
        )
    return action


def case_set_status(
    *, case: Case, actor: User, status: str, reason: str = "", expected_version: int | None = None
) -> Case:
    """Open, put on hold or close a case, recording who and why (PC17)."""
    if status not in CaseStatus.values:
        raise ValidationError({"status": [f"Choose one of: {', '.join(CaseStatus.values)}."]})
    if status == case.status:
        return case
    if status in (CaseStatus.CLOSED, CaseStatus.ON_HOLD) and not reason.strip():
        raise ValidationError({"reason": ["Give a reason for closing the case or putting it on hold."]})
    old = case.status
    with transaction.atomic():
        closed_on = timezone.localdate() if status == CaseStatus.CLOSED else None
        save_versioned(
            case, {"status": status, "closed_on": closed_on}, expected_version=expected_version, label="case"
        )
        label = CaseStatus(status).label.lower()
        changes.CASE_STATUS_CHANGED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={"status": [old, status]},
            summary=f"Case {label}" + (f": {reason.strip()}" if reason.strip() else ""),
            data={"from": old, "to": status, "reason": reason.strip()},
        )
    return case


def goal_add(
    *, case: Case, actor: User, description: str, measure: str = "", target_on: date | None = None
) -> Goal:
    """Add a goal to the client's action plan: what, how we will know, and by when (PC3, PC9)."""
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Describe the goal."]
    if target_on is not None and target_on < timezone.localdate():
        errors["target_on"] = ["The target date cannot be in the past."]
    elif target_on is not None and (problem := date_problem(target_on)):
        errors["target_on"] = [problem]
    for field, text in (("description", description), ("measure", measure)):
        if problem := text_problem(text):
            errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal = Goal.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            description=description.strip(),
            measure=measure.strip(),
            target_on=target_on,
        )
        changes.GOAL_ADDED.record(
            case=case,
            actor=actor,
            object_id=goal.pk,
            changes={"target_on": str(target_on or "")},
            summary=goal.description,
            data={"goal_id": goal.pk},
        )
    return goal


def case_open(
    *,
    client: Client,
    owner: User,
    actor: User,
    case_type: Any,
    required_outcomes: str = "",
    opened_on: date | None = None,
    complexity: int = Complexity.MEDIUM,
) -> Case:
    with transaction.atomic():
        case = Case.objects.create(
            organisation_id=client.organisation_id,
            client=client,
            owner=owner,
            case_type=case_type,
            required_outcomes=required_outcomes,
            opened_on=opened_on or timezone.localdate(),
            complexity=complexity,
        )
        changes.CASE_OPENED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={"owner": owner.pk, "case_type": case_type.code},
            summary=f"{case_type.name} case opened",
        )
    return case


def client_and_case_open(
    *,
    organisation: Organisation,
    actor: User,
    existing: Client | None,
    client_fields: Mapping[str, Any],
    owner: User,
    case_type: CaseType,
    required_outcomes: str,
    complexity: int,
) -> Case:
    """Open a case for a client already on record (``existing``) or for a new one made from
    ``client_fields``, in one transaction: the new-case page and ``POST /api/cases`` both."""
    with transaction.atomic():
        client = existing or client_create(organisation=organisation, actor=actor, **client_fields)
        return case_open(
            client=client,
            owner=owner,
            actor=actor,
            case_type=case_type,
            required_outcomes=required_outcomes,
            complexity=complexity,
        )


def flag_raise(
    *, case: Case, actor: User, code: str, detail: str = "", at: datetime | None = None
) -> CaseFlag:
    """Raise a risk or vulnerability flag (a built-in one or the organisation's own); a
    safeguarding concern re-prioritises the case at once."""
    own = None
    if code not in FlagCode.values:
        own = OrganisationFlag.objects.filter(
            organisation_id=case.organisation_id, code=code, is_active=True
        ).first()
        if own is None:
            raise ValidationError({"code": ["Choose a flag from the list."]})
    if len(detail) > 500:
        raise ValidationError({"detail": ["Keep the detail to 500 characters or fewer."]})
    if problem := text_problem(detail):
        raise ValidationError({"detail": [problem]})
    label = own.name if own else FlagCode(code).label
    if CaseFlag.objects.filter(case=case, code=code, cleared_at__isnull=True).exists():
        raise ValidationError({"code": [f"{label} is already raised on this case."]})
    at = at or timezone.now()
    with transaction.atomic():
        flag = CaseFlag.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            code=code,
            label=own.name if own else "",
            is_risk=bool(own and own.is_risk),
            detail=detail.strip(),
            raised_at=at,
            raised_by=actor,
        )
        changes.FLAG_RAISED.record(
            case=case,
            actor=actor,
            object_id=flag.pk,
            changes={"code": code},
            at=at,
            summary=label + (f": {flag.detail}" if flag.detail else ""),
            data={"flag_id": flag.pk, "code": code},
        )
    return flag


def flag_clear(*, flag: CaseFlag, actor: User, reason: str) -> CaseFlag:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the flag no longer applies."]})
    if flag.cleared_at is not None:
        return flag
    case = flag.case
    with transaction.atomic():
        flag.cleared_at = timezone.now()
        flag.save(update_fields=["cleared_at"])
        changes.FLAG_CLEARED.record(
            case=case,
            actor=actor,
            object_id=flag.pk,
            changes={"code": flag.code},
            summary=f"{flag.get_code_display()} cleared: {reason.strip()}",
            data={"flag_id": flag.pk, "code": flag.code},
        )
    return flag


def deadline_add(*, case: Case, actor: User, kind: str, description: str, due_on: date) -> Deadline:
    errors: dict[str, list[str]] = {}
    if kind not in DeadlineKind.values:
        errors["kind"] = ["Choose statutory, agreed or service standard."]
    if not description.strip():
        errors["description"] = ["Say what the deadline is for."]
    elif problem := text_problem(description):
        errors["description"] = [problem]
    if problem := date_problem(due_on):
        errors["due_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deadline = Deadline.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            kind=kind,
            description=description.strip()[:300],
            due_on=due_on,
        )
        changes.DEADLINE_ADDED.record(
            case=case,
            actor=actor,
            object_id=deadline.pk,
            changes={"kind": kind, "due_on": due_on.isoformat()},
            summary=(
                f"{deadline.get_kind_display()} deadline: {deadline.description}, "
                f"due {rules.short_date(due_on)}"
            ),
            data={"deadline_id": deadline.pk},
        )
    return deadline


def deadline_met(*, deadline: Deadline, actor: User, met_on: date | None = None) -> Deadline:
    if deadline.met_on is not None:
        return deadline
    case = deadline.case
    with transaction.atomic():
        deadline.met_on = met_on or timezone.localdate()
        deadline.save(update_fields=["met_on"])
        changes.DEADLINE_MET.record(
            case=case,
            actor=actor,
            object_id=deadline.pk,
            changes={"met_on": deadline.met_on.isoformat()},
            summary=f"Deadline met: {deadline.description}",
            data={"deadline_id": deadline.pk},
        )
    return deadline


def _validate_client(
    *, first_name: str, last_name: str, date_of_birth: date | None, email: str, phone: str, today: date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, label, value in (
        ("first_name", "first name", first_name),
        ("last_name", "last name", last_name),
    ):
        if not value:
            errors[field] = [f"Give the client's {label}."]
        elif len(value) > 100:
            errors[field] = [f"Keep the {label} to 100 characters or fewer."]
        elif problem := text_problem(value, multiline=False):
            errors[field] = [problem]
    problem = rules.date_of_birth_problem(date_of_birth, today) if date_of_birth else None
    if problem:
        errors["date_of_birth"] = [problem]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Give an email address in the form name@example.com."]
    if len(phone) > 30:
        errors["phone"] = ["Keep the phone number to 30 characters or fewer."]
    elif problem := text_problem(phone, multiline=False):
        errors["phone"] = [problem]
    return errors


def client_create(
    *,
    organisation: Organisation,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    today: date | None = None,
) -> Client:
    """Add a client to the organisation, holding only the personal data given (PC16, PC17; K2).

    The audit event names the fields that were filled in, never their values: the trail
    outlives disposal of the client's record.
    """
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip(),
        "phone": phone.strip(),
        "address": address.strip(),
    }
    errors = _validate_client(
        first_name=values["first_name"],
        last_name=values["last_name"],
        date_of_birth=date_of_birth,
        email=values["email"],
        phone=values["phone"],
        today=today or timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        client = Client.objects.create(organisation=organisation, date_of_birth=date_of_birth, **values)
        filled = [name for name in ("first_name", "last_name", "email", "phone", "address") if values[name]]
        if date_of_birth is not None:
            filled.append("date_of_birth")
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action="client.created",
            object_type="client",
            object_id=client.pk,
            client_id=client.pk,
            changes={"fields": sorted(filled)},
        )
    return client


GOAL_STATUS_WORDS = {
    GoalStatus.OPEN: "back in progress",
    GoalStatus.ACHIEVED: "achieved",
    GoalStatus.NOT_ACHIEVED: "not achieved",
}


def goal_set_status(*, goal: Goal, actor: User, status: str, expected_status: str | None = None) -> Goal:
    """Mark a goal in the action plan achieved or not achieved, or in progress again (PC3).

    Goals carry no version number: ``expected_status`` is the status the user saw, and a
    goal someone else has changed since raises ``StaleRecordError`` with nothing written.
    """
    if status not in GoalStatus.values:
        raise ValidationError({"status": ["Choose in progress, achieved or not achieved."]})
    case = goal.case
    with transaction.atomic():
        current = Goal.objects.select_for_update().filter(pk=goal.pk).values_list("status", flat=True).get()
        if expected_status is not None and current != expected_status:
            raise StaleRecordError("goal")
        if current == status:
            goal.status = current
            return goal
        Goal.objects.filter(pk=goal.pk).update(status=status)
        goal.status = status
        changes.GOAL_UPDATED.record(
            case=case,
            actor=actor,
            object_id=goal.pk,
            changes={"status": [current, status]},
            summary=f"{goal.description}: {GOAL_STATUS_WORDS[GoalStatus(status)]}",
            data={"goal_id": goal.pk, "from": current, "to": status},
        )
    return goal
