"""Every read a view or the API needs, filtered by what the user may see (PC16; K6).

``cases_visible_to`` is the one place that decides case visibility; everything else
builds on it, and an object the user may not see answers 404, never 403. Nothing here
writes: a page opens a record through ``casework.cases.access``, which checks permission
with these and logs the access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404
from django.utils import timezone

from casework.accounts.models import Role, Team, User
from casework.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseStatus,
    Client,
    Deadline,
    FlagCode,
    Goal,
    NoteVersion,
    OrganisationFlag,
)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Practitioners see their own cases; supervisors their teams'; managers their organisation's.

    Administrators configure the organisation and see no case records.
    """
    if not user.is_authenticated or user.organisation_id is None:
        return Case.objects.none()
    named = Case.restricted_to.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    # A restricted case is open only to its named users, whatever their role.
    qs = Case.objects.filter(organisation_id=user.org_id).filter(Q(is_restricted=False) | Exists(named))
    if user.role == Role.MANAGER:
        return qs
    if user.role == Role.SUPERVISOR:
        teams = Team.objects.filter(organisation_id=user.org_id, supervisors=user)
        return qs.filter(Q(owner=user) | Q(owner__team__in=teams))
    if user.role == Role.PRACTITIONER:
        return qs.filter(owner=user)
    return Case.objects.none()


def can_write_case(user: User, case: Case) -> bool:
    """The owner and the owner's supervisors may record on a case; managers only read."""
    if case.owner_id == user.pk:
        return True
    if user.role == Role.SUPERVISOR:
        return Team.objects.filter(
            organisation_id=user.org_id, supervisors=user, members=case.owner_id
        ).exists()
    return False


def case_reread(case: Case) -> Case:
    """The case as it is now, after another user's change was found (already opened and logged)."""
    return Case.objects.select_related("client", "owner", "owner__team", "case_type").get(pk=case.pk)


def action_reread(action: Action) -> Action:
    """The action as it is now, after another user's change was found."""
    return Action.objects.select_related("case", "case__client", "case__owner", "assigned_to", "goal").get(
        pk=action.pk
    )


CASELOAD_SORTS: dict[str, tuple[Any, ...]] = {
    "last_contact": (F("last_contact_at").asc(nulls_first=True), "pk"),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True), "pk"),
    "opened": ("opened_on", "pk"),
    "client": ("client__last_name", "client__first_name", "pk"),
}


# An app above ``cases`` (``priorities``) registers how to annotate a caseload with each case's
# priority band (``band``) and its sort rank (``band_rank``): the same one-way registry as
# ``changes.case_reassessor_register``, so ``cases`` never imports the app that knows bands.
_band_annotators: list[Callable[[QuerySet[Case]], QuerySet[Case]]] = []


def caseload_band_register(annotate: Callable[[QuerySet[Case]], QuerySet[Case]]) -> None:
    if annotate not in _band_annotators:
        _band_annotators.append(annotate)


def _client_search(query: str) -> Q:
    """Cases whose client's name or reference holds every word typed."""
    condition = Q()
    for word in query.split()[:5]:
        condition &= (
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__reference__icontains=word)
        )
    return condition


def caseload(
    user: User,
    *,
    owner: User | None = None,
    status: str | None = None,
    has_overdue_actions: bool | None = None,
    min_days_since_contact: int | None = None,
    sort: str = "last_contact",
    search: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Case]:
    """A caseload, annotated for the list: overdue and open action counts, next action due.

    ``owner`` narrows to one person's cases (My caseload, or a supervisor reviewing a
    practitioner's); without it, every case the user may see.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    qs = cases_visible_to(user)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if status:
        qs = qs.filter(status=status)
    if search.strip():
        qs = qs.filter(_client_search(search.strip()))
    open_actions = Q(actions__status=ActionStatus.OPEN)
    qs = qs.annotate(
        open_action_count=Count("actions", filter=open_actions, distinct=True),
        overdue_action_count=Count(
            "actions", filter=open_actions & Q(actions__due_on__lt=today), distinct=True
        ),
        next_action_due=Min("actions__due_on", filter=open_actions),
        has_risk_flag=Exists(CaseFlag.objects.filter(case=OuterRef("pk"), cleared_at__isnull=True)),
    )
    if has_overdue_actions is True:
        qs = qs.filter(overdue_action_count__gt=0)
    elif has_overdue_actions is False:
        qs = qs.filter(overdue_action_count=0)
    if min_days_since_contact is not None:
        cutoff = now - timedelta(days=min_days_since_contact)
        qs = qs.filter(Q(last_contact_at__lte=cutoff) | Q(last_contact_at__isnull=True))
    for annotate in _band_annotators:
        qs = annotate(qs)
    if sort == "band" and _band_annotators:
        order: tuple[Any, ...] = (F("band_rank").asc(nulls_last=True), *CASELOAD_SORTS["last_contact"])
    else:
        order = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["last_contact"])
    return qs.select_related("client", "owner", "case_type").order_by(*order)


def note_versions_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "versions",
        queryset=NoteVersion.objects.select_related("recorded_by", "contact_type")
        .prefetch_related("goals")
        .order_by("number"),
    )


def notes_for_case(case: Case) -> QuerySet[CaseNote]:
    """The case's notes, newest contact first, each with every version prefetched."""
    first_occurred = NoteVersion.objects.filter(note=OuterRef("pk"), number=1).values("occurred_at")[:1]
    return (
        CaseNote.objects.filter(case=case, organisation_id=case.organisation_id)
        .select_related("author")
        .prefetch_related(note_versions_prefetch())
        .annotate(first_occurred_at=first_occurred)
        .order_by("-first_occurred_at", "-pk")
    )


def case_page(case: Case) -> dict[str, Any]:
    """What the case page shows besides the history: plan, flags, deadlines."""
    goals = list(Goal.objects.filter(case=case).order_by("created_at", "pk"))
    actions = list(
        Action.objects.filter(case=case)
        .select_related("assigned_to", "goal")
        .order_by("status", "due_on", "pk")
    )
    flags = list(CaseFlag.objects.filter(case=case, cleared_at__isnull=True).order_by("raised_at"))
    deadlines = list(Deadline.objects.filter(case=case).order_by("met_on", "due_on"))
    return {"goals": goals, "actions": actions, "flags": flags, "deadlines": deadlines}


@dataclass(frozen=True)
class TimelineItem:
    """One row of the case history: a note version or a case event."""

    at: datetime
    kind: str  # "note", "amendment" or an event code
    actor: User
    note: CaseNote | None = None
    version: NoteVersion | None = None
    event: CaseEvent | None = None


def case_timeline(case: Case) -> list[TimelineItem]:
    """Notes, amendments, actions and status changes in one chronological history (PC1).

    Notes sit at the time the contact happened; amendments at the time they were recorded.
    Three queries whatever the history's length.
    """
    items: list[TimelineItem] = []
    for note in notes_for_case(case):
        for version in note.versions.all():
            at = version.occurred_at if version.number == 1 else version.recorded_at
            kind = "note" if version.number == 1 else "amendment"
            items.append(
                TimelineItem(at=at, kind=kind, actor=version.recorded_by, note=note, version=version)
            )
    for event in CaseEvent.objects.filter(case=case).select_related("actor"):
        items.append(TimelineItem(at=event.at, kind=event.code, actor=event.actor, event=event))
    items.sort(key=lambda item: item.at)
    return items


def team_overview(
    user: User, *, today: date | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """For a supervisor (their teams) or a manager (every team): each practitioner's caseload at a glance."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    if user.role == Role.MANAGER:
        teams = Team.objects.filter(organisation_id=user.org_id)
    elif user.role == Role.SUPERVISOR:
        teams = Team.objects.filter(organisation_id=user.org_id, supervisors=user)
    else:
        return []
    stale = now - timedelta(days=28)
    open_q = Q(owned_cases__status=CaseStatus.OPEN)
    members = (
        User.objects.filter(team__in=teams, organisation_id=user.org_id, is_active=True)
        .select_related("team")
        .annotate(
            open_cases=Count("owned_cases", filter=open_q, distinct=True),
            on_hold_cases=Count(
                "owned_cases", filter=Q(owned_cases__status=CaseStatus.ON_HOLD), distinct=True
            ),
            no_recent_contact=Count(
                "owned_cases",
                filter=open_q
                & (Q(owned_cases__last_contact_at__lt=stale) | Q(owned_cases__last_contact_at__isnull=True)),
                distinct=True,
            ),
        )
        .order_by("team__name", "last_name", "first_name")
    )
    overdue = dict(
        Action.objects.filter(
            organisation_id=user.org_id,
            case__owner__in=members,
            case__status=CaseStatus.OPEN,
            status=ActionStatus.OPEN,
            due_on__lt=today,
        )
        .values_list("case__owner")
        .annotate(n=Count("pk"))
        .values_list("case__owner", "n")
    )
    late = dict(
        NoteVersion.objects.filter(
            organisation_id=user.org_id,
            note__case__owner__in=members,
            number=1,
            is_late=True,
            recorded_at__gte=now - timedelta(days=90),
        )
        .values_list("note__case__owner")
        .annotate(n=Count("pk"))
        .values_list("note__case__owner", "n")
    )
    rows = []
    for member in members:
        rows.append(
            {
                "practitioner": member,
                "team": member.team,
                "open_cases": member.open_cases,
                "on_hold_cases": member.on_hold_cases,
                "no_recent_contact": member.no_recent_contact,
                "overdue_actions": overdue.get(member.pk, 0),
                "late_notes_90_days": late.get(member.pk, 0),
            }
        )
    return rows


def team_member_for_user(user: User, member_id: int) -> User:
    """A practitioner whose caseload the user may review, or 404."""
    if user.role == Role.MANAGER:
        qs = User.objects.filter(organisation_id=user.org_id)
    elif user.role == Role.SUPERVISOR:
        qs = User.objects.filter(organisation_id=user.org_id, team__supervisors=user)
    else:
        qs = User.objects.none()
    member = qs.filter(pk=member_id).first()
    if member is None:
        raise Http404("No such practitioner in your teams.")
    return member


# New clients and cases ---------------------------------------------------------------------

CASE_OPENER_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR})


def can_open_cases(user: User) -> bool:
    """Practitioners and supervisors take on new clients; managers only read (PC17)."""
    return user.is_authenticated and user.organisation_id is not None and user.role in CASE_OPENER_ROLES


def case_owner_choices(user: User) -> list[User]:
    """Whom the user may make the owner of a new case: themselves, and for a supervisor
    the practitioners in the teams they supervise (PC12, K17)."""
    if not can_open_cases(user):
        return []
    if user.role != Role.SUPERVISOR:
        return [user]
    members = (
        User.objects.filter(
            organisation_id=user.org_id,
            team__supervisors=user,
            role=Role.PRACTITIONER,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [user, *members]


@dataclass(frozen=True)
class PossibleDuplicates:
    """Clients already in the organisation who may be the person being added.

    ``visible`` holds those with a case the user may see, each with ``visible_cases``; for
    the rest only ``others`` is told, so nothing is revealed about records the user may not open.
    """

    visible: Sequence[Client]
    others: bool

    def __bool__(self) -> bool:
        return bool(self.visible) or self.others


def _phone_digits(expression: Any) -> Any:
    for char in (" ", "-", "(", ")", "."):
        expression = Replace(expression, Value(char), Value(""))
    return expression


def possible_duplicate_clients(
    user: User,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    email: str = "",
    phone: str = "",
    limit: int = 5,
) -> PossibleDuplicates:
    """Same name and date of birth, or the same email address or phone number (PC16, K6).

    Three queries at most, whatever the number of matches; none when nothing is given to match.
    """
    if user.organisation_id is None:
        return PossibleDuplicates([], False)
    match = Q()
    if date_of_birth is not None and first_name.strip() and last_name.strip():
        match |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
    if email.strip():
        match |= Q(email__iexact=email.strip())
    digits = "".join(ch for ch in phone if ch not in " -().")
    if digits:
        match |= Q(phone_digits=digits)
    if not match:
        return PossibleDuplicates([], False)
    matches = (
        Client.objects.filter(organisation_id=user.org_id)
        .annotate(
            phone_digits=_phone_digits(F("phone")),
            is_visible=Exists(cases_visible_to(user).filter(client_id=OuterRef("pk"))),
            is_restricted=Exists(Case.objects.filter(client_id=OuterRef("pk"), is_restricted=True)),
        )
        .filter(match)
    )
    visible = list(
        matches.filter(is_visible=True)
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=cases_visible_to(user).select_related("case_type", "owner").order_by("-opened_on"),
                to_attr="visible_cases",
            )
        )
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    # A client on a restricted case is never hinted at to someone not named on it.
    others = matches.filter(is_visible=False, is_restricted=False).exists()
    return PossibleDuplicates(visible, others)


def existing_client_for_new_case(user: User, client_id: int) -> Client | None:
    """A client the user may open another case for: one with a case they can see, or None."""
    if user.organisation_id is None:
        return None
    visible = cases_visible_to(user).filter(client_id=OuterRef("pk"))
    return Client.objects.filter(organisation_id=user.org_id, pk=client_id).filter(Exists(visible)).first()


def restriction_choices(case: Case) -> list[User]:
    """Who may be named on a restricted case: its owner, supervisors and data-protection officers."""
    return list(
        User.objects.filter(organisation_id=case.organisation_id, is_active=True)
        .filter(Q(role__in=(Role.SUPERVISOR, Role.DATA_PROTECTION)) | Q(pk=case.owner_id))
        .order_by("first_name", "last_name", "username")
    )


def case_holders(organisation_id: int) -> list[User]:
    """Active practitioners and supervisors: who can take work on, such as a closing case's actions."""
    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, role__in=(Role.PRACTITIONER, Role.SUPERVISOR)
        ).order_by("first_name", "last_name", "username")
    )


def action_owner_choices(case: Case) -> list[User]:
    """Who may own an action on the case: active staff in its organisation who hold cases."""
    return list(
        User.objects.filter(
            organisation_id=case.organisation_id,
            is_active=True,
            role__in=(Role.PRACTITIONER, Role.SUPERVISOR, Role.MANAGER),
        )
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class MyAction:
    action: Action
    can_open: bool  # whether the user may open the action's case (else only its reference shows)


@dataclass(frozen=True)
class ActionGroup:
    title: str
    items: list[MyAction]


MY_ACTIONS_LIMIT = 200


def open_actions_assigned(user: User) -> QuerySet[Action]:
    return Action.objects.filter(
        organisation_id=user.org_id, assigned_to=user, status=ActionStatus.OPEN
    ).exclude(case__status=CaseStatus.CLOSED)


def my_actions(user: User, today: date | None = None) -> list[ActionGroup]:
    """The user's open actions on any case, grouped: overdue, due this week, later (PC9)."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    actions = list(
        open_actions_assigned(user)
        .select_related("case", "case__client", "case__case_type", "case__owner")
        .order_by("due_on", "pk")[:MY_ACTIONS_LIMIT]
    )
    visible = set(
        cases_visible_to(user).filter(pk__in={a.case_id for a in actions}).values_list("pk", flat=True)
    )
    groups = [
        ActionGroup("Overdue", []),
        ActionGroup("Due this week", []),
        ActionGroup("Later", []),
    ]
    for action in actions:
        index = 0 if action.due_on < today else 1 if action.due_on <= week_end else 2
        groups[index].items.append(MyAction(action, action.case_id in visible))
    return [group for group in groups if group.items]


def my_open_action_count(user: User) -> int:
    return open_actions_assigned(user).count()


def leavers_cases(user: User, limit: int = 200) -> list[Case]:
    """Open cases the user may see whose owner's account is deactivated: waiting to be
    reallocated by their supervisor or a manager (issue 9)."""
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        return []
    return list(
        cases_visible_to(user)
        .filter(owner__is_active=False)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("client", "owner", "case_type")
        .order_by("owner__first_name", "opened_on", "pk")[:limit]
    )


def flag_choices(organisation_id: int) -> list[tuple[str, str]]:
    """The flags that can be raised: the built-in ones, then the organisation's own."""
    own = OrganisationFlag.objects.filter(organisation_id=organisation_id, is_active=True).order_by("name")
    return [*FlagCode.choices, *((flag.code, flag.name) for flag in own)]
