"""Reads for the Today queue, the supervisor's view, the inbox, the case page's priority panel
and the criteria editor, filtered by what the user may see (PC7-PC16; K14).

Case visibility comes from ``casework.cases.selectors.cases_visible_to``; everything here
builds on it, and an object the user may not see answers 404. Each read costs a fixed number
of queries whatever the caseload's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from casework.accounts.models import Role, Team, User
from casework.cases.models import Action, ActionStatus, Case, CaseStatus
from casework.cases.selectors import cases_visible_to
from casework.priorities import engine
from casework.priorities.models import (
    CaseAssessment,
    CriteriaChange,
    Notification,
    NotificationKind,
    PriorityCriterion,
    PriorityOverride,
    PrioritySnapshot,
)

LIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.ON_HOLD)

# What a supervisor's lists show at most; the page says when there are more.
TEAM_LIST_LIMIT = 100
# Acknowledged notifications the inbox keeps showing, newest first.
INBOX_ACKNOWLEDGED_LIMIT = 50
INBOX_UNREAD_LIMIT = 200  # the newest; the count in the navigation is of all
CHANGE_LOG_LIMIT = 100


# -- the Today queue (PC8-PC10, PC14, PC15) -----------------------------------------------------


NOT_ASSESSED = "not_assessed"
NOT_ASSESSED_LABEL = "Not yet assessed"


@dataclass(frozen=True)
class QueueRow:
    """One case in a priority queue: its stored assessment, next action and any override.

    ``assessment`` is None for a case loaded in bulk that the sweep has not reached yet: the
    row shows as "Not yet assessed" and sorts last (a read never assesses)."""

    case: Case
    assessment: CaseAssessment | None
    next_action: Action | None
    override: PriorityOverride | None

    @property
    def band(self) -> str:
        """The band the queue shows: the override's while one is in force."""
        return self.assessment.effective_band if self.assessment else NOT_ASSESSED

    @property
    def band_label(self) -> str:
        return engine.BAND_LABELS.get(self.band, NOT_ASSESSED_LABEL)

    @property
    def computed_band_label(self) -> str:
        return engine.BAND_LABELS[self.assessment.band] if self.assessment else NOT_ASSESSED_LABEL

    @property
    def is_overridden(self) -> bool:
        a = self.assessment
        return self.override is not None or (a is not None and a.effective_band != a.band)

    @property
    def quadrant_label(self) -> str:
        a = self.assessment
        return engine.QUADRANT_LABELS.get(a.quadrant, a.quadrant) if a else ""

    @property
    def past_time_scale_labels(self) -> list[str]:
        return time_scale_labels(self.assessment.past_time_scale) if self.assessment else []


def time_scale_labels(codes: Sequence[str]) -> list[str]:
    """ "First contact", "Contact", "Case review" for the time scales a case has missed (PC14)."""
    return [engine.TIME_SCALE_LABELS.get(code, code) for code in codes]


def _next_action_id() -> Subquery:
    return Subquery(
        Action.objects.filter(case=OuterRef("pk"), status=ActionStatus.OPEN)
        .order_by("due_on", "pk")
        .values("pk")[:1]
    )


QUEUE_ORDER = (
    # A case not yet assessed sorts last on both databases.
    F("assessment__band_rank").asc(nulls_last=True),
    "-assessment__score",
    F("assessment__next_deadline_on").asc(nulls_last=True),
    "pk",
)


def today_cases(user: User) -> QuerySet[Case]:
    """The user's own open and on-hold cases in priority order: red first, highest score first,
    nearest deadline first (PC8, PC9). One query, with the id of each case's next action."""
    return (
        cases_visible_to(user)
        .filter(owner=user, status__in=LIVE_STATUSES)
        .select_related("client", "case_type", "assessment")
        .annotate(next_action_id=_next_action_id())
        .order_by(*QUEUE_ORDER)
    )


def queue_rows(cases: Iterable[Case], *, today: dt.date | None = None) -> list[QueueRow]:
    """Rows for cases read through ``today_cases`` (or a queryset with the same annotation):
    two more queries, for the next actions and the overrides in force.

    The stored assessment is the engine's answer kept current by every case service and the
    sweep. A case with none yet (one loaded in bulk before the sweep ran) keeps its row with
    ``assessment`` None and shows as "not yet assessed": a read never assesses or notifies.
    """
    today = today or timezone.localdate()
    cases = list(cases)
    action_ids = [getattr(case, "next_action_id", None) for case in cases]
    actions = Action.objects.select_related("assigned_to").in_bulk([i for i in action_ids if i])
    overrides: dict[int, PriorityOverride] = {}
    if cases:
        for override in (
            PriorityOverride.objects.filter(
                case_id__in=[case.pk for case in cases], ended_at__isnull=True, expires_on__gte=today
            )
            .select_related("created_by")
            .order_by("created_at", "pk")
        ):
            overrides[override.case_id] = override  # the newest wins, as in the assessment
    return [
        QueueRow(
            case=case,
            assessment=_assessment(case),
            next_action=actions.get(action_id) if action_id else None,
            override=overrides.get(case.pk),
        )
        for case, action_id in zip(cases, action_ids, strict=True)
    ]


def _assessment(case: Case) -> CaseAssessment | None:
    try:
        return case.assessment
    except CaseAssessment.DoesNotExist:
        return None


@dataclass(frozen=True)
class BandCount:
    band: str
    label: str
    count: int


def band_counts(rows: Sequence[QueueRow]) -> list[BandCount]:
    """The traffic-light counts at the top of a queue, red first."""
    counts = {band: 0 for band in engine.BAND_LABELS}
    for row in rows:
        if row.band in counts:
            counts[row.band] += 1
    return [BandCount(band, engine.BAND_LABELS[band], n) for band, n in counts.items()]


@dataclass(frozen=True)
class Quadrant:
    code: str
    label: str
    description: str
    rows: list[QueueRow]


QUADRANT_DESCRIPTIONS = {
    engine.URGENT_IMPORTANT: "Urgent and important",
    engine.IMPORTANT_NOT_URGENT: "Important, not urgent",
    engine.URGENT_NOT_IMPORTANT: "Urgent, not important",
    engine.NEITHER: "Neither urgent nor important",
}
# Reading order of the 2 x 2 grid: the important row first, the urgent column first.
QUADRANT_ORDER = (
    engine.URGENT_IMPORTANT,
    engine.IMPORTANT_NOT_URGENT,
    engine.URGENT_NOT_IMPORTANT,
    engine.NEITHER,
)


def by_quadrant(rows: Sequence[QueueRow]) -> list[Quadrant]:
    """The urgency x importance matrix: each quadrant with its cases in queue order."""
    grouped: dict[str, list[QueueRow]] = {code: [] for code in QUADRANT_ORDER}
    for row in rows:
        if row.assessment is not None:
            grouped.setdefault(row.assessment.quadrant, []).append(row)
    return [
        Quadrant(code, engine.QUADRANT_LABELS[code], QUADRANT_DESCRIPTIONS[code], grouped[code])
        for code in QUADRANT_ORDER
    ]


def past_time_scale(rows: Sequence[QueueRow]) -> list[QueueRow]:
    """Cases that have missed a first-contact, contact or review time scale, whatever their band (PC14)."""
    return [row for row in rows if row.assessment is not None and row.assessment.is_past_time_scale]


# -- the supervisor's view (PC10-PC13) ----------------------------------------------------------


def reviews_teams(user: User) -> bool:
    return user.role in (Role.SUPERVISOR, Role.MANAGER)


def team_cases(user: User) -> QuerySet[Case]:
    """Live cases of the teams the user supervises; a manager's: the whole organisation's."""
    qs = cases_visible_to(user).filter(status__in=LIVE_STATUSES)
    if user.role == Role.MANAGER:
        return qs
    if user.role == Role.SUPERVISOR:
        teams = Team.objects.filter(organisation_id=user.org_id, supervisors=user)
        return qs.filter(owner__team__in=teams)
    return Case.objects.none()


def _team_list(user: User, condition: Q, order: Sequence[Any]) -> tuple[list[Case], int]:
    qs = team_cases(user).filter(condition)
    shown: list[Case] = list(
        qs.select_related("client", "owner", "case_type", "assessment")
        .annotate(next_action_id=_next_action_id())
        .order_by(*order)[:TEAM_LIST_LIMIT]
    )
    total = len(shown) if len(shown) < TEAM_LIST_LIMIT else qs.count()
    return shown, total


def team_red_cases(user: User) -> tuple[list[Case], int]:
    """Red cases in the user's teams, highest score first, and how many there are (PC10)."""
    return _team_list(
        user, Q(assessment__effective_band=engine.RED), ("-assessment__score", "owner__last_name", "pk")
    )


def team_past_time_scale(user: User) -> tuple[list[Case], int]:
    """Cases in the user's teams past a time scale, whatever their band (PC14)."""
    return _team_list(
        user,
        Q(assessment__is_past_time_scale=True),
        ("owner__last_name", "owner__first_name", *QUEUE_ORDER),
    )


def team_members(user: User) -> QuerySet[User]:
    """Whose snapshots the user may chart: their teams' members (a manager: the organisation's)."""
    qs = User.objects.filter(organisation_id=user.org_id, is_active=True)
    if user.role == Role.MANAGER:
        return qs.filter(role__in=[Role.PRACTITIONER, Role.SUPERVISOR])
    if user.role == Role.SUPERVISOR:
        return qs.filter(team__supervisors=user).distinct()
    return User.objects.none()


def teams_reviewed(user: User) -> QuerySet[Team]:
    if user.role == Role.MANAGER:
        return Team.objects.filter(organisation_id=user.org_id).order_by("name")
    if user.role == Role.SUPERVISOR:
        return Team.objects.filter(organisation_id=user.org_id, supervisors=user).order_by("name")
    return Team.objects.none()


@dataclass(frozen=True)
class DayCounts:
    """Band counts summed over the chosen practitioners on one day; None: no snapshot that day."""

    on: dt.date
    red: int | None
    amber: int | None
    green: int | None
    past_time_scale: int | None

    @property
    def total(self) -> int:
        return (self.red or 0) + (self.amber or 0) + (self.green or 0)


def snapshot_series(
    user: User,
    *,
    days: int,
    practitioner: User | None = None,
    team: Team | None = None,
    today: dt.date | None = None,
) -> list[DayCounts]:
    """Daily band counts for the last ``days`` days (PC13): one practitioner's, one team's, or
    everyone the user reviews. One query."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    members = team_members(user)
    if practitioner is not None:
        members = members.filter(pk=practitioner.pk)
    if team is not None:
        members = members.filter(team=team)
    totals = {
        row["on"]: row
        for row in PrioritySnapshot.objects.filter(
            organisation_id=user.org_id, practitioner__in=members, on__gte=start, on__lte=today
        )
        .values("on")
        .annotate(r=Sum("red"), a=Sum("amber"), g=Sum("green"), p=Sum("past_time_scale"))
        .order_by("on")
    }
    series = []
    for offset in range(days):
        on = start + dt.timedelta(days=offset)
        row = totals.get(on)
        if row is None:
            series.append(DayCounts(on, None, None, None, None))
        else:
            series.append(DayCounts(on, row["r"], row["a"], row["g"], row["p"]))
    return series


def member_for_user(user: User, member_id: int) -> User:
    member = team_members(user).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such practitioner in your teams.")
    return member


def team_for_user(user: User, team_id: int) -> Team:
    team = teams_reviewed(user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    return team


# -- the inbox (PC11, PC12) ---------------------------------------------------------------------


def unread_count(user: User) -> int:
    """Notifications the user has not acknowledged yet."""
    return Notification.objects.filter(recipient=user, acknowledged_at__isnull=True).count()


def inbox(user: User) -> list[Notification]:
    """Unacknowledged notifications, newest first, then the latest acknowledged ones."""
    base = Notification.objects.filter(recipient=user, organisation_id=user.org_id).select_related("case")
    unread = list(
        base.filter(acknowledged_at__isnull=True).order_by("-created_at", "-pk")[:INBOX_UNREAD_LIMIT]
    )
    read = list(
        base.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at", "-pk")[
            :INBOX_ACKNOWLEDGED_LIMIT
        ]
    )
    return unread + read


def notification_for_user(user: User, notification_id: int) -> Notification:
    """A notification sent to the user, or 404: nobody reads another person's inbox."""
    found = Notification.objects.filter(pk=notification_id, recipient=user).select_related("case").first()
    if found is None:
        raise Http404("No such notification.")
    return found


# -- the case page (PC9, PC15) ------------------------------------------------------------------


@dataclass(frozen=True)
class CasePriority:
    """What the case page shows about a case's priority: two queries."""

    assessment: CaseAssessment | None
    overrides: list[PriorityOverride]
    today: dt.date
    # Red-case messages someone acknowledged, with their note: shown on the case so the
    # practitioner sees what the supervisor said (issue 9, D20).
    acknowledgements: list[Notification] = field(default_factory=list)

    @property
    def active_override(self) -> PriorityOverride | None:
        for override in self.overrides:  # newest first
            if override.ended_at is None and override.expires_on >= self.today:
                return override
        return None

    @property
    def band_label(self) -> str:
        return engine.BAND_LABELS[self.assessment.effective_band] if self.assessment else ""

    @property
    def computed_band_label(self) -> str:
        return engine.BAND_LABELS[self.assessment.band] if self.assessment else ""

    @property
    def quadrant_label(self) -> str:
        if self.assessment is None:
            return ""
        return engine.QUADRANT_LABELS.get(self.assessment.quadrant, self.assessment.quadrant)

    @property
    def past_time_scale_labels(self) -> list[str]:
        return time_scale_labels(self.assessment.past_time_scale) if self.assessment else []


def case_priority(case: Case, *, today: dt.date | None = None) -> CasePriority:
    return CasePriority(
        assessment=CaseAssessment.objects.filter(case=case).first(),
        overrides=list(
            PriorityOverride.objects.filter(case=case, organisation_id=case.organisation_id)
            .select_related("created_by", "ended_by")
            .order_by("-created_at", "-pk")
        ),
        today=today or timezone.localdate(),
        acknowledgements=list(
            Notification.objects.filter(case=case, acknowledged_at__isnull=False)
            .exclude(kind=NotificationKind.REALLOCATED)
            .select_related("recipient")
            .order_by("-acknowledged_at")[:10]
        ),
    )


# -- the criteria editor (PC7, K14) -------------------------------------------------------------

CRITERIA_EDITORS = (Role.ADMIN, Role.MANAGER)


def can_edit_criteria(user: User) -> bool:
    """Administrators and managers agree and edit the criteria; nobody else sees the editor."""
    return user.is_authenticated and user.organisation_id is not None and user.role in CRITERIA_EDITORS


def require_criteria_editor(user: User) -> None:
    if not can_edit_criteria(user):
        raise Http404("Only administrators and managers edit the priority criteria.")


def criteria_for(user: User) -> QuerySet[PriorityCriterion]:
    require_criteria_editor(user)
    return PriorityCriterion.objects.filter(organisation_id=user.org_id).order_by("position", "pk")


def criterion_for_user(user: User, criterion_id: int) -> PriorityCriterion:
    found = criteria_for(user).filter(pk=criterion_id).first()
    if found is None:
        raise Http404("No such criterion.")
    return found


def criteria_changes(user: User, *, limit: int = CHANGE_LOG_LIMIT) -> list[CriteriaChange]:
    """The latest changes to the criteria and settings: who, when, why, before and after (K14)."""
    require_criteria_editor(user)
    return list(
        CriteriaChange.objects.filter(organisation_id=user.org_id)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )


def caseload_with_band(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A caseload annotated with each case's band after any override (``band``) and its rank
    for sorting (``band_rank``), registered with ``cases`` at start-up."""
    assessment = CaseAssessment.objects.filter(case_id=OuterRef("pk"))
    return cases.annotate(
        band=Subquery(assessment.values("effective_band")[:1]),
        band_rank=Subquery(assessment.values("band_rank")[:1]),
    )
