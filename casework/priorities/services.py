"""Keeping priorities current, overrides, notifications, criteria changes and snapshots
(PC7-PC15; K14-K19).

Freshness: every service that changes what the engine reads (notes, flags, deadlines, actions,
status) calls ``cases_reassess`` in its own transaction, so the stored assessment is current
the moment the change commits. Changes that come with time alone (a deadline drawing near,
contact becoming overdue, an override expiring) are picked up by ``sweep``, run every few
minutes by ``casework sweep`` from cron: stored assessments keep the Today queue a single
indexed query, and the sweep is where turning red is noticed and the supervisor told.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from casework.accounts.models import Organisation, Role, Team, User
from casework.audit.trail import audit_record
from casework.cases import changes, rules
from casework.cases.models import Action, ActionStatus, Case, CaseStatus
from casework.locking import save_versioned
from casework.priorities import bulk, engine
from casework.priorities.facts import (
    CASE_FACT_FIELDS,
    case_filter,
    engine_for,
    engine_settings,
    facts_for,
    fast_cursor,
    settings_for,
    sweep_rows,
)
from casework.priorities.models import (
    BAND_RANK,
    CaseAssessment,
    CriteriaChange,
    Notification,
    NotificationKind,
    PriorityCriterion,
    PriorityOverride,
    PrioritySettings,
    PrioritySnapshot,
)

# Above this many open cases a criteria change is left to the next sweep rather than
# re-assessing the whole organisation inside the administrator's request.
INLINE_REASSESS_LIMIT = 5_000

_COMPARED = (
    "score",
    "band",
    "effective_band",
    "quadrant",
    "urgency",
    "importance",
    "summary",
    "past_time_scale",
)


# ``past_time_scale`` as the database gives back its JSON text, for the few values it takes.
_PAST_JSON = {
    codes: json.dumps(list(codes))
    for codes in [
        (),
        *((c,) for c in engine.TIME_SCALE_LABELS),
        *((a, b) for a in engine.TIME_SCALE_LABELS for b in engine.TIME_SCALE_LABELS if a != b),
    ]
}


def _row_values(a: engine.Assessment, effective_band: str) -> dict[str, Any]:
    nd = a.next_deadline
    return {
        "score": a.score,
        "band": a.band,
        "effective_band": effective_band,
        "band_rank": BAND_RANK[effective_band],
        "quadrant": a.quadrant,
        "urgency": a.urgency,
        "importance": a.importance,
        "rationale": [
            {
                "criterion": str(r.criterion_id or ""),
                "name": r.criterion_name,
                "kind": r.kind,
                "axis": r.axis,
                "points": r.points,
                "sentence": r.sentence,
            }
            for r in a.rationale
        ],
        "summary": a.summary,
        "past_time_scale": list(a.past_time_scale),
        "is_past_time_scale": bool(a.past_time_scale),
        "next_deadline": (
            {
                "kind": nd.kind,
                "description": nd.description,
                "due_on": nd.due_on.isoformat(),
                "working_days_left": nd.working_days_left,
                "days_left": nd.days_left,
                "sentence": nd.sentence,
            }
            if nd
            else None
        ),
        "next_deadline_on": nd.due_on if nd else None,
    }


@dataclass
class ReassessResult:
    assessed: int = 0
    created: int = 0
    updated: int = 0
    turned_red: list[int] = field(default_factory=list)
    notifications: int = 0
    overrides_expired: int = 0


def _active_overrides(
    case_ids: Sequence[int], today: dt.date, organisation_id: int, id_range: tuple[int, int] | None = None
) -> dict[int, PriorityOverride]:
    found: dict[int, PriorityOverride] = {}
    cases = (
        {"case_id__gte": id_range[0], "case_id__lte": id_range[1]} if id_range else {"case_id__in": case_ids}
    )
    for override in PriorityOverride.objects.filter(
        organisation_id=organisation_id, **cases, ended_at__isnull=True, expires_on__gte=today
    ).order_by("created_at", "pk"):
        found[override.case_id] = override  # the newest wins
    return found


def _stored(
    case_ids: Sequence[int], id_range: tuple[int, int] | None, organisation_id: int
) -> dict[int, tuple[Any, ...]]:
    """The compared values of the stored assessments, by case, with ``past_time_scale`` as its
    JSON text: only the columns compared, and no model instances or JSON decoding, so a sweep
    in which little has changed costs little (issue 3 (c))."""
    where, params = case_filter(case_ids, id_range, organisation_id)
    with fast_cursor() as cursor:
        cursor.execute(
            f"SELECT case_id, owner_id, {', '.join(_COMPARED)} "  # noqa: S608  # nosec B608 - fixed names
            f"FROM {CaseAssessment._meta.db_table} WHERE {where}",
            params,
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _reassess_rows(
    rows: Sequence[dict[str, Any]],
    eng: engine.Engine,
    now: dt.datetime,
    result: ReassessResult,
    id_range: tuple[int, int] | None = None,
) -> None:
    """Assess ``rows`` (``CASE_FACT_FIELDS`` with organisation and owner) and store what changed.

    ``id_range``: the rows are every candidate case with an id in this range (a sweep's batch),
    so the related rows can be read by range rather than by a long list of ids.
    """
    if not rows:
        return
    ids = [row["pk"] for row in rows]
    organisation_id = rows[0]["organisation_id"]
    today = timezone.localdate(now)
    assessments = eng.assess_many(facts_for(rows, id_range=id_range), now)
    overrides = _active_overrides(ids, today, organisation_id, id_range)
    existing = _stored(ids, id_range, organisation_id)
    owners = {row["pk"]: row["owner_id"] for row in rows}
    orgs = {row["pk"]: row["organisation_id"] for row in rows}
    to_create: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    newly_red: list[tuple[int, engine.Assessment]] = []
    red = engine.RED
    for a in assessments:
        case_id = int(a.case_id)
        override = overrides.get(case_id)
        effective = override.band if override else a.band
        owner_id = owners[case_id]
        old = existing.get(case_id)
        if old is not None:
            # The order of ``_COMPARED``, after the owner.
            current = (
                owner_id,
                a.score,
                a.band,
                effective,
                a.quadrant,
                a.urgency,
                a.importance,
                a.summary,
                _PAST_JSON.get(a.past_time_scale) or json.dumps(list(a.past_time_scale)),
            )
            if old == current:
                continue
            if effective == red and old[3] != red:
                newly_red.append((case_id, a))
        elif effective == red:
            newly_red.append((case_id, a))
        values = _row_values(a, effective)
        values.update(case_id=case_id, organisation_id=orgs[case_id], owner_id=owner_id, assessed_at=now)
        (to_create if old is None else to_update).append(values)
    bulk.insert(CaseAssessment, to_create)
    bulk.update_assessments(to_update)
    result.assessed += len(assessments)
    result.created += len(to_create)
    result.updated += len(to_update)
    if newly_red:
        result.turned_red += [case_id for case_id, _ in newly_red]
        result.notifications += _notify_red(
            [(case_id, orgs[case_id], owners[case_id], a) for case_id, a in newly_red], now
        )


def cases_reassess(*, case_ids: Iterable[int], now: dt.datetime | None = None) -> ReassessResult:
    """Re-assess these cases now and store the result, in the caller's transaction (freshness)."""
    now = now or timezone.now()
    result = ReassessResult()
    rows = list(
        Case.objects.filter(pk__in=list(case_ids)).values(*CASE_FACT_FIELDS, "organisation_id", "owner_id")
    )
    by_org: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_org.setdefault(row["organisation_id"], []).append(row)
    for organisation_id, org_rows in by_org.items():
        _reassess_rows(org_rows, engine_for(organisation_id), now, result)
    return result


def reassess_case_ids(case_ids: list[int]) -> None:
    """What ``cases`` calls after every change to a case (registered in ``PrioritiesConfig.ready``)."""
    cases_reassess(case_ids=case_ids)


def _batches(organisation_id: int, batch_size: int) -> Iterator[tuple[list[dict[str, Any]], tuple[int, int]]]:
    """Open and on-hold cases (closed ones too if they still hold an assessment), by keyset,
    each batch with the range of ids it covers."""
    last = 0
    while True:
        rows = sweep_rows(organisation_id, last, batch_size)
        if not rows:
            return
        yield rows, (rows[0]["pk"], rows[-1]["pk"])
        last = rows[-1]["pk"]


def sweep(
    *, organisation_id: int | None = None, now: dt.datetime | None = None, batch_size: int = 10_000
) -> ReassessResult:
    """Re-assess every live case, expire overrides, notify on turning red, take today's snapshot.

    Safe to run every few minutes from cron and safe to run twice at once: each batch is its
    own transaction and notifications are not repeated while one is unacknowledged. On
    PostgreSQL a batch's commit does not wait for the disk (``synchronous_commit = off``): what
    it stores is derived, so a batch lost in a crash is simply written again by the next sweep.
    """
    now = now or timezone.now()
    result = ReassessResult()
    org_ids = (
        [organisation_id] if organisation_id else list(Organisation.objects.values_list("pk", flat=True))
    )
    today = timezone.localdate(now)
    for org_id in org_ids:
        result.overrides_expired += PriorityOverride.objects.filter(
            organisation_id=org_id, ended_at__isnull=True, expires_on__lt=today
        ).update(ended_at=now, end_reason="Expired")
        eng = engine_for(org_id)
        relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
        for rows, id_range in _batches(org_id, batch_size):
            with transaction.atomic():
                if relaxed:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit = off")
                _reassess_rows(rows, eng, now, result, id_range)
        if not PrioritySnapshot.objects.filter(organisation_id=org_id, on=today).exists():
            snapshot_take(organisation_id=org_id, on=today)
    return result


# -- notifications (PC11, PC12) -----------------------------------------------------------------


def supervisors_of(owner: User) -> list[User]:
    """Who is told about an owner's red cases: their team's supervisors, else the managers."""
    return _supervisors_by_owner([owner])[owner.pk]


def _supervisors_by_owner(owners: Iterable[User]) -> dict[int, list[User]]:
    """``supervisors_of`` for many owners at once, in three queries whatever their number."""
    owners = list(owners)
    team_ids = {owner.team_id for owner in owners if owner.team_id}
    by_team: dict[int, list[User]] = {}
    if team_ids:
        through = Team.supervisors.through
        links = list(through.objects.filter(team_id__in=team_ids).values_list("team_id", "user_id"))
        users = User.objects.filter(pk__in={user_id for _, user_id in links}, is_active=True).in_bulk()
        for team_id, user_id in links:
            if user_id in users:
                by_team.setdefault(team_id, []).append(users[user_id])
    managers: dict[int, list[User]] = {}
    found: dict[int, list[User]] = {}
    for owner in owners:
        supervisors = [u for u in by_team.get(owner.team_id or 0, []) if u.pk != owner.pk]
        if not supervisors:
            if owner.org_id not in managers:
                managers[owner.org_id] = list(
                    User.objects.filter(organisation_id=owner.org_id, role=Role.MANAGER, is_active=True)
                )
            supervisors = managers[owner.org_id]
        found[owner.pk] = supervisors
    return found


def _notify_red(newly_red: Sequence[tuple[int, int, int, engine.Assessment]], now: dt.datetime) -> int:
    """Tell each newly red case's supervisors, and its owner too when no action is planned, unless
    an unacknowledged message of the same kind is already waiting. ``newly_red`` holds (case id,
    organisation id, owner id, assessment). A fixed number of queries for any number of cases,
    so a sweep that finds thousands of red cases stays quick."""
    case_ids = [case_id for case_id, _, _, _ in newly_red]
    owners = User.objects.in_bulk({owner_id for _, _, owner_id, _ in newly_red})
    supervisors = _supervisors_by_owner(owners.values())
    planned = set(
        Action.objects.filter(case_id__in=case_ids, status=ActionStatus.OPEN)
        .values_list("case_id", flat=True)
        .distinct()
    )
    waiting = set(
        Notification.objects.filter(
            case_id__in=case_ids,
            kind__in=[NotificationKind.TURNED_RED, NotificationKind.RED_WITHOUT_PLAN],
            acknowledged_at__isnull=True,
        ).values_list("case_id", "kind", "recipient_id")
    )
    # Name each case by its client and reference (D8), and say when an override made it red (D9).
    clients = {
        row["pk"]: (
            f"{row['client__first_name']} {row['client__last_name']}".strip(),
            row["client__reference"],
        )
        for row in Case.objects.filter(pk__in=case_ids).values(
            "pk", "client__first_name", "client__last_name", "client__reference"
        )
    }
    overridden = {
        row["case_id"]: row
        for row in PriorityOverride.objects.filter(
            case_id__in=case_ids, ended_at__isnull=True, band=engine.RED
        )
        .order_by("created_at")
        .values(
            "case_id", "reason", "created_by__first_name", "created_by__last_name", "created_by__username"
        )
    }
    created: list[dict[str, Any]] = []
    emails: list[tuple[str, str, list[str]]] = []

    def notify(
        case_id: int, organisation_id: int, recipients: Sequence[User], kind: str, title: str, body: str
    ) -> None:
        new = [user for user in recipients if (case_id, kind, user.pk) not in waiting]
        created.extend(
            {
                "organisation_id": organisation_id,
                "recipient_id": user.pk,
                "case_id": case_id,
                "kind": kind,
                "title": title,
                "body": body,
                "created_at": now,
                "emailed_at": now if user.email else None,
                "acknowledged_at": None,
                "acknowledgement": "",
            }
            for user in new
        )
        addresses = [user.email for user in new if user.email]
        if addresses:
            # E-mail leaves the system: it names the case by its pseudonymous reference only.
            client_reference = clients.get(case_id, ("", ""))[1]
            emails.append(
                (
                    f"A case is now red ({client_reference})",
                    f"A case ({client_reference}) needs attention: {title.split(':')[0].lower()}.\n"
                    "Open Casework to see why and acknowledge the message.",
                    addresses,
                )
            )

    for case_id, organisation_id, owner_id, assessment in newly_red:
        owner = owners[owner_id]
        case_supervisors = supervisors[owner.pk]
        name, client_reference = clients.get(case_id, ("", ""))
        reference = f"{name} ({client_reference})" if client_reference else f"case {case_id}"
        override = overridden.get(case_id)
        if override is not None:
            who = (
                f"{override['created_by__first_name']} {override['created_by__last_name']}".strip()
                or override["created_by__username"]
            )
            why = f"{who} moved it to red by hand: {override['reason']}"
        else:
            why = assessment.summary or "see the case"
        body = (
            f"The case of {reference}, held by {owner.display_name}, is now red "
            f"(criteria score {assessment.score}).\n"
            f"Why: {why}.\n"
            f"Open it in Casework to review the plan and acknowledge this message."
        )
        notify(
            case_id,
            organisation_id,
            case_supervisors,
            NotificationKind.TURNED_RED,
            f"Red case for {owner.display_name}: {reference}",
            body,
        )
        if case_id not in planned:
            notify(
                case_id,
                organisation_id,
                [owner, *case_supervisors],
                NotificationKind.RED_WITHOUT_PLAN,
                f"Red case with no planned action: {reference}",
                body + "\nNo open action with an owner and a due date is planned for it.",
            )
    bulk.insert(Notification, created)
    for title, body, addresses in emails:
        _email_after_commit(title, body, addresses)
    return len(created)


def tell_new_owner(case: Case, actor: User, old_owner: User, reason: str) -> Notification:
    """A case was reallocated: its new owner gets a message in their inbox, and an e-mail (PC12)."""
    owner = case.owner
    client = case.client
    title = f"Case given to you: {client.full_name} ({client.reference})"
    body = (
        f"{actor.display_name} has given you the {case.case_type.name.lower()} case for "
        f"{client.full_name} ({client.reference}), until now held by {old_owner.display_name}.\n"
        f"Why: {reason}\n"
        "Open it in Casework to read the history and plan the next contact."
    )
    notification = Notification.objects.create(
        organisation_id=case.organisation_id,
        recipient=owner,
        case=case,
        kind=NotificationKind.REALLOCATED,
        title=title,
        body=body,
        emailed_at=timezone.now() if owner.email else None,
    )
    if owner.email:
        # The e-mail names the case by its pseudonymous reference only.
        _email_after_commit(
            f"A case has been given to you ({client.reference})",
            f"{actor.display_name} has given you a case ({client.reference}). Open Casework to see it.",
            [owner.email],
        )
    return notification


def _email_after_commit(title: str, body: str, addresses: list[str]) -> None:
    transaction.on_commit(
        lambda: send_mail(
            f"[Casework] {title}", body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True
        )
    )


def notification_acknowledge(*, notification: Notification, user: User, note: str = "") -> Notification:
    """Record that the recipient has seen the notification and what they are doing (PC11)."""
    if notification.recipient_id != user.pk:
        raise ValidationError({"notification": ["Only the person it was sent to can acknowledge it."]})
    if notification.acknowledged_at is None:
        notification.acknowledged_at = timezone.now()
        notification.acknowledgement = note.strip()[:500]
        notification.save(update_fields=["acknowledged_at", "acknowledgement"])
    return notification


# -- overrides (PC15) ---------------------------------------------------------------------------


def override_set(
    *, case: Case, actor: User, band: str, reason: str, expires_on: dt.date, today: dt.date | None = None
) -> PriorityOverride:
    """Move a case's band up or down, with a written reason and an expiry date."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if band not in engine.BAND_LABELS:
        errors["band"] = ["Choose red, amber or green."]
    if not reason.strip():
        errors["reason"] = ["Give a reason for moving this case's priority."]
    if expires_on <= today:
        errors["expires_on"] = ["The override must end on a date after today."]
    elif expires_on > today + dt.timedelta(days=92):
        errors["expires_on"] = ["An override can last three months at most; review it then."]
    assessment = CaseAssessment.objects.filter(case=case).first()
    if assessment is not None and not errors and assessment.band == band:
        errors["band"] = [f"The case is already {band} on the criteria; an override must change the band."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PriorityOverride.objects.filter(case=case, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=actor, end_reason="Replaced by a new override"
        )
        override = PriorityOverride.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            band=band,
            reason=reason.strip(),
            expires_on=expires_on,
            created_by=actor,
            computed_band=assessment.band if assessment else "",
        )
        changes.PRIORITY_OVERRIDDEN.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={
                "band": [override.computed_band, band],
                "expires_on": expires_on.isoformat(),
                "override": override.pk,
            },
            summary=(
                f"Band moved from {engine.BAND_LABELS.get(override.computed_band, 'unassessed').lower()} "
                f"to {engine.BAND_LABELS[band].lower()} until {rules.short_date(expires_on)}: "
                f"{override.reason}"
            ),
            data={"override_id": override.pk, "band": band, "computed_band": override.computed_band},
        )
    return override


def override_end(*, override: PriorityOverride, actor: User, reason: str = "Ended early") -> PriorityOverride:
    if override.ended_at is not None:
        return override
    with transaction.atomic():
        override.ended_at = timezone.now()
        override.ended_by = actor
        override.end_reason = reason.strip()[:300] or "Ended early"
        override.save(update_fields=["ended_at", "ended_by", "end_reason"])
        case = override.case
        changes.PRIORITY_OVERRIDE_ENDED.record(
            case=case,
            actor=actor,
            object_id=case.pk,
            changes={"override": override.pk},
            summary=f"Override to {engine.BAND_LABELS[override.band].lower()} ended: {override.end_reason}",
            data={"override_id": override.pk},
        )
    return override


# -- criteria and settings (PC7, K14) -----------------------------------------------------------


def criteria_seed(organisation: Organisation) -> None:
    """Give a new organisation the default criteria and settings."""
    PrioritySettings.objects.get_or_create(organisation=organisation)
    PriorityCriterion.objects.bulk_create(
        PriorityCriterion(
            organisation=organisation,
            code=str(c.id),
            name=c.name,
            kind=c.kind,
            params=dict(c.params),
            points=c.points,
            axis=c.axis,
            position=index,
        )
        for index, c in enumerate(engine.default_criteria())
    )


def _criterion_state(c: PriorityCriterion) -> dict[str, Any]:
    return {
        "name": c.name,
        "kind": c.kind,
        "params": c.params,
        "points": c.points,
        "axis": c.axis,
        "is_active": c.is_active,
    }


def _after_criteria_change(organisation_id: int) -> None:
    open_cases = Case.objects.filter(
        organisation_id=organisation_id, status__in=[CaseStatus.OPEN, CaseStatus.ON_HOLD]
    )
    if open_cases.count() <= INLINE_REASSESS_LIMIT:
        transaction.on_commit(lambda: sweep(organisation_id=organisation_id))


def criterion_save(
    *,
    organisation: Organisation,
    actor: User,
    reason: str,
    values: Mapping[str, Any],
    criterion: PriorityCriterion | None = None,
    expected_version: int | None = None,
) -> PriorityCriterion:
    """Create or change a criterion, validated by the engine, with the reason agreed (K14)."""
    kind = values.get("kind") or (criterion.kind if criterion else "")
    params = values.get("params", criterion.params if criterion else {})
    points = values.get("points", criterion.points if criterion else 0)
    axis = values.get("axis") or (criterion.axis if criterion else engine.URGENCY)
    errors: dict[str, list[str]] = {}
    problems = engine.validate_criterion(kind, params, points, axis)
    if problems:
        errors["params"] = problems
    name = (values.get("name") or (criterion.name if criterion else "")).strip()
    if not name:
        errors["name"] = ["Give the criterion a name people will recognise."]
    if not reason.strip():
        errors["reason"] = ["Say why the criteria are changing and who agreed it."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if criterion is None:
            code = values.get("code") or _unique_code(organisation, name)
            criterion = PriorityCriterion.objects.create(
                organisation=organisation,
                code=code,
                name=name,
                kind=kind,
                params=dict(params),
                points=points,
                axis=axis,
                is_active=values.get("is_active", True),
                position=PriorityCriterion.objects.filter(organisation=organisation).count(),
            )
            before = None
            summary = f"Added criterion “{name}”"
        else:
            before = _criterion_state(criterion)
            new = {
                "name": name,
                "kind": kind,
                "params": dict(params),
                "points": points,
                "axis": axis,
                "is_active": values.get("is_active", criterion.is_active),
            }
            save_versioned(criterion, new, expected_version=expected_version, label="criterion")
            summary = f"Changed criterion “{name}”"
        after = _criterion_state(criterion)
        _record_criteria_change(
            organisation=organisation,
            actor=actor,
            reason=reason,
            summary=summary,
            object_type="priority_criterion",
            object_id=criterion.pk,
            criterion_code=criterion.code,
            before=before,
            after=after,
            audit_changes={"before": before, "after": after},
        )
        _after_criteria_change(organisation.pk)
    return criterion


def _record_criteria_change(
    *,
    organisation: Organisation,
    actor: User,
    reason: str,
    summary: str,
    object_type: str,
    object_id: int,
    criterion_code: str,
    before: Any,
    after: Any,
    audit_changes: dict[str, Any],
) -> None:
    """The change log people read (K14: how criteria are agreed) and the audit trail, together."""
    CriteriaChange.objects.create(
        organisation=organisation,
        changed_by=actor,
        criterion_code=criterion_code,
        summary=summary,
        reason=reason.strip(),
        before=before,
        after=after,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="criteria.changed",
        object_type=object_type,
        object_id=object_id,
        changes={**audit_changes, "reason": reason.strip()},
    )


def _unique_code(organisation: Organisation, name: str) -> str:
    base = slugify(name)[:50] or "criterion"
    code, n = base, 2
    while PriorityCriterion.objects.filter(organisation=organisation, code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


SETTINGS_FIELDS = (
    "red_threshold",
    "amber_threshold",
    "urgency_threshold",
    "importance_threshold",
    "first_contact_working_days",
    "first_contact_working_hours_at_risk",
    "contact_interval_days",
    "contact_interval_days_at_risk",
    "pause_time_scales_on_hold",
    "extra_holidays",
    "removed_holidays",
)


def priority_settings_save(
    *,
    organisation: Organisation,
    actor: User,
    reason: str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> PrioritySettings:
    """Change band thresholds, time scales or the holiday calendar, with the reason (K14)."""
    row = settings_for(organisation.pk)
    before = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    after = {**before, **{k: v for k, v in values.items() if k in SETTINGS_FIELDS}}
    candidate = PrioritySettings(organisation=organisation, **after)
    problems = engine.validate_settings(engine_settings(candidate))
    errors: dict[str, list[str]] = {}
    if problems:
        errors["__all__"] = problems
    if not reason.strip():
        errors["reason"] = ["Say why the settings are changing and who agreed it."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(row, after, expected_version=expected_version, label="priority settings")
        changed = {k: [before[k], after[k]] for k in SETTINGS_FIELDS if before[k] != after[k]}
        _record_criteria_change(
            organisation=organisation,
            actor=actor,
            reason=reason,
            summary="Changed bands and time scales",
            object_type="priority_settings",
            object_id=row.pk,
            criterion_code="",
            before=before,
            after=after,
            audit_changes={"changed": changed},
        )
        _after_criteria_change(organisation.pk)
    return row


# -- snapshots (PC13) ---------------------------------------------------------------------------


def snapshot_take(*, organisation_id: int, on: dt.date) -> int:
    """Record each practitioner's band counts and cases past their time scale for one day."""
    live = [CaseStatus.OPEN, CaseStatus.ON_HOLD]
    counts = (
        CaseAssessment.objects.filter(organisation_id=organisation_id, case__status__in=live)
        .values("owner_id")
        .annotate(
            red=Count("pk", filter=Q(effective_band=engine.RED)),
            amber=Count("pk", filter=Q(effective_band=engine.AMBER)),
            green=Count("pk", filter=Q(effective_band=engine.GREEN)),
            past=Count("pk", filter=Q(is_past_time_scale=True)),
        )
    )
    rows = [
        PrioritySnapshot(
            organisation_id=organisation_id,
            practitioner_id=c["owner_id"],
            on=on,
            red=c["red"],
            amber=c["amber"],
            green=c["green"],
            past_time_scale=c["past"],
        )
        for c in counts
    ]
    PrioritySnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
