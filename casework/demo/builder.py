"""Builds the demo organisation behind ``casework demo``.

Two steps. ``plan_demo`` turns a seed and a reference time into plain data (the *plan*):
every client, case, note, amendment, action and history event, with no database access, so
the same seed and the same reference time always give the same plan (``DemoPlan.digest``).
``build_demo`` then creates the organisation through ``organisation_create`` and inserts
the plan with ``bulk_create``: signed notes and their versions are computed in full first,
because a database trigger refuses any UPDATE of them.

The rows are the ones the services would write (``casework.cases.services``): lateness
against the organisation's note time scale, the "actions agreed" text with one line per
action, a reason on every amendment, ``last_contact_at`` from the latest client contact,
and a case history of openings, actions, goals, flags, deadlines and status changes.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, is_dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from casework.accounts.models import Organisation, Role, Team, User
from casework.accounts.services import organisation_create
from casework.cases import defaults, rules
from casework.cases.models import (
    _REF_ALPHABET,
    Action,
    ActionOwner,
    ActionStatus,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseStatus,
    CaseType,
    Client,
    ContactType,
    Deadline,
    FlagCode,
    Goal,
    GoalStatus,
    NoteVersion,
)
from casework.cases.services import ActionInput, _actions_summary
from casework.demo import texts
from casework.demo.texts import CaseTypeTexts, NoteTemplate

DEMO_SLUG = "demo"
DEMO_NAME = "Valleys Employment and Advice Service"
DEMO_PASSWORD = "casework-demo"  # noqa: S105 - a published demo password, shown on the sign-in help
DEFAULT_SEED = 14  # LSIAG14
DEFAULT_CLIENTS = 400
HISTORY_DAYS = 182


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str
    team: int | None  # index into TEAMS

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@valleys-advice.example.org"


@dataclass(frozen=True)
class TeamSpec:
    name: str
    office: str
    # Case type code -> relative share of the team's new cases.
    case_types: dict[str, int]


TEAMS = (
    TeamSpec("Employment and Skills", "Pontyberw", {"employment": 25, "careers": 13, "youth": 12}),
    TeamSpec("Housing and Welfare", "Aberwennol", {"housing": 27, "welfare": 23}),
)

STAFF = (
    StaffMember("alex", "Alex", "Morgan", Role.PRACTITIONER, 0),
    StaffMember("rhys", "Rhys", "Davies", Role.PRACTITIONER, 0),
    StaffMember("priya", "Priya", "Sharma", Role.PRACTITIONER, 0),
    StaffMember("megan", "Megan", "Hughes", Role.PRACTITIONER, 0),
    StaffMember("ffion", "Ffion", "Jones", Role.PRACTITIONER, 1),
    StaffMember("tom", "Tom", "Bennett", Role.PRACTITIONER, 1),
    StaffMember("aisha", "Aisha", "Rahman", Role.PRACTITIONER, 1),
    StaffMember("gareth", "Gareth", "Lloyd", Role.PRACTITIONER, 1),
    StaffMember("sam", "Sam", "Price", Role.SUPERVISOR, 0),
    StaffMember("helen", "Helen", "Roberts", Role.SUPERVISOR, 1),
    StaffMember("catrin", "Catrin", "Evans", Role.MANAGER, None),
    StaffMember("david", "David", "Thomas", Role.ADMIN, None),
)
STAFF_BY_USERNAME = {member.username: member for member in STAFF}
# Alex's share is a little lower, so the caseload page shows a realistic 40-50 cases.
CASE_SHARE = {"alex": 0.85}

CASE_TYPE_NAMES = dict(defaults.CASE_TYPES)

# Relative frequency of each kind of contact after the first appointment.
CONTACT_MIX = {
    "face_to_face": 30,
    "phone": 24,
    "email": 12,
    "video": 8,
    "home_visit": 4,
    "agency": 12,
    "did_not_attend": 6,
}
HOME_VISIT_TYPES = {"housing", "welfare", "youth"}
MEETING_TYPES = ("face_to_face", "video", "home_visit")
REVIEW_EVERY_DAYS = 42


@dataclass(frozen=True)
class ContactRule:
    """What the organisation's contact type requires, as the plan needs it."""

    required_sections: tuple[str, ...]
    is_client_contact: bool


DEFAULT_CONTACT_RULES = {
    code: ContactRule(tuple(required), is_contact)
    for code, _name, required, is_contact in defaults.CONTACT_TYPES
}


# --- The plan: plain data ---------------------------------------------------------------------


@dataclass
class ClientSpec:
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    created_at: datetime
    town: str


@dataclass
class FlagSpec:
    code: str
    detail: str
    raised_at: datetime
    raised_by: str
    cleared_at: datetime | None = None


@dataclass
class DeadlineSpec:
    kind: str
    description: str
    due_on: date
    met_on: date | None


@dataclass
class GoalSpec:
    description: str
    measure: str
    target_on: date
    status: str
    created_at: datetime


@dataclass
class VersionSpec:
    number: int
    contact_type: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str
    sections: dict[str, str]
    is_late: bool
    amendment_reason: str = ""


@dataclass
class NoteSpec:
    author: str
    versions: list[VersionSpec]
    goals: list[int] = field(default_factory=list)  # indexes into the case's goals
    opinion_in_facts: bool = False


@dataclass
class ActionSpec:
    description: str
    owner_kind: str
    assigned_to: str | None
    owner_name: str
    due_on: date
    created_at: datetime
    created_by: str
    note: int | None  # index into the case's notes
    goal: int | None  # index into the case's goals
    status: str = ActionStatus.OPEN
    completed_on: date | None = None
    changed_at: datetime | None = None  # when it was marked done or cancelled


@dataclass
class EventSpec:
    """A case-history row. ``ref`` names the planned object whose id goes into ``data``."""

    code: str
    at: datetime
    actor: str
    summary: str
    data: dict[str, Any] = field(default_factory=dict)
    ref: tuple[str, int] | None = None


@dataclass
class CaseSpec:
    client: int  # index into the plan's clients
    case_type: str
    owner: str
    status: str
    opened_on: date
    closed_on: date | None
    complexity: int
    required_outcomes: str
    created_at: datetime
    last_contact_at: datetime | None = None
    flags: list[FlagSpec] = field(default_factory=list)
    deadlines: list[DeadlineSpec] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)
    notes: list[NoteSpec] = field(default_factory=list)
    actions: list[ActionSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)


@dataclass
class DemoPlan:
    seed: int
    now: datetime
    clients: list[ClientSpec]
    cases: list[CaseSpec]

    def digest(self) -> str:
        """A SHA-256 over the whole plan: equal digests mean equal demo data."""
        data = json.dumps(self, sort_keys=True, default=_plain, separators=(",", ":"))
        return hashlib.sha256(data.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return vars(value)
    return str(value)


# --- Planning ---------------------------------------------------------------------------------


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def day_name(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _previous_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _weekdays(start: date, end: date) -> list[date]:
    """Weekdays from ``start`` to ``end`` inclusive."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _owner_label(kind: str, assigned_to: str | None, owner_name: str) -> str:
    if kind == ActionOwner.STAFF and assigned_to:
        return STAFF_BY_USERNAME[assigned_to].display_name
    return "Client" if kind == ActionOwner.CLIENT else owner_name


class _Planner:
    def __init__(
        self,
        *,
        seed: int,
        clients: int,
        now: datetime,
        note_time_scale_hours: int,
        contact_rules: Mapping[str, ContactRule],
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.client_count = clients
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.today = now.astimezone(self.zone).date()
        self.time_scale = timedelta(hours=note_time_scale_hours)
        self.contact_rules = contact_rules
        self.references: set[str] = set()
        self.phones_used: set[str] = set()
        # Unsaved users, so the "actions agreed" lines come from the service's own formatter.
        self.staff_users = {
            m.username: User(username=m.username, first_name=m.first_name, last_name=m.last_name)
            for m in STAFF
        }

    # Small helpers --------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A Europe/London (or configured) wall-clock time, stored in UTC."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=1))

    def phone(self) -> str:
        # Ofcom's drama range, so no number in the demo can ring a real person.
        number = f"07700 900{self.rng.randint(0, 999):03d}"
        self.phones_used.add(number)
        return number

    def reference(self) -> str:
        while True:
            chars = "".join(self.rng.choice(_REF_ALPHABET) for _ in range(8))
            reference = f"CW-{chars[:4]}-{chars[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def weighted(self, weights: Mapping[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    # Clients --------------------------------------------------------------------------------

    def client(self, case_type: str, first_opened: date) -> ClientSpec:
        rng = self.rng
        first = rng.choice(texts.CLIENT_FIRST_NAMES)
        last = rng.choice(texts.CLIENT_LAST_NAMES)
        low, high = {
            "youth": (16, 19),
            "careers": (15, 34),
            "employment": (18, 62),
            "housing": (19, 70),
            "welfare": (24, 81),
        }[case_type]
        date_of_birth = self.today - timedelta(days=rng.randint(low * 365 + 30, high * 365 + 300))
        town, district = rng.choice(texts.TOWNS)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        address = "\n".join(
            [
                f"{rng.choice(texts.ADDRESS_PREFIXES)}{rng.randint(1, 120)} {rng.choice(texts.STREETS)}",
                town,
                f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}",
            ]
        )
        phone = self.phone() if rng.random() < 0.9 else ""
        email = ""
        if rng.random() < 0.7:
            local = f"{first}.{last}".lower().replace("'", "")
            email = f"{local}{rng.randint(1, 99)}@{rng.choice(['example.com', 'example.org'])}"
        return ClientSpec(
            reference=self.reference(),
            first_name=first,
            last_name=last,
            date_of_birth=date_of_birth,
            phone=phone,
            email=email,
            address=address,
            created_at=self.at(first_opened, 9, 0),
            town=town,
        )

    # The plan ---------------------------------------------------------------------------------

    def plan(self) -> DemoPlan:
        rng = self.rng
        clients: list[ClientSpec] = []
        cases: list[CaseSpec] = []
        returning = max(1, round(self.client_count * 0.03))
        for index in range(self.client_count):
            team = rng.choices(range(len(TEAMS)), weights=[1, 1])[0]
            case_type = self.weighted(TEAMS[team].case_types)
            if index < returning:
                # A client who came back: an earlier case, closed, then a new one.
                earlier_type = self.weighted(TEAMS[team].case_types)
                earlier_open = _next_weekday(self.today - timedelta(days=rng.randint(150, HISTORY_DAYS)))
                earlier_close = _previous_weekday(earlier_open + timedelta(days=rng.randint(45, 80)))
                opened_on = _next_weekday(earlier_close + timedelta(days=rng.randint(10, 35)))
                client = self.client(earlier_type, earlier_open)
                clients.append(client)
                cases.append(
                    self.case(index, client, team, earlier_type, earlier_open, closed_on=earlier_close)
                )
                cases.append(self.case(index, client, team, case_type, opened_on, status=CaseStatus.OPEN))
                continue
            if rng.random() < 0.025:
                opened_on = _previous_weekday(self.today - timedelta(days=rng.randint(0, 2)))
            else:
                opened_on = _next_weekday(self.today - timedelta(days=rng.randint(3, HISTORY_DAYS)))
                if opened_on >= self.today:
                    opened_on = _previous_weekday(self.today - timedelta(days=3))
            client = self.client(case_type, opened_on)
            clients.append(client)
            cases.append(self.case(index, client, team, case_type, opened_on))
        return DemoPlan(seed=self.seed, now=self.now, clients=clients, cases=cases)

    def owner_for(self, team: int) -> str:
        practitioners = [m.username for m in STAFF if m.team == team and m.role == Role.PRACTITIONER]
        return self.rng.choices(practitioners, weights=[CASE_SHARE.get(u, 1.0) for u in practitioners])[0]

    def case(
        self,
        client_index: int,
        client: ClientSpec,
        team: int,
        case_type: str,
        opened_on: date,
        *,
        status: str | None = None,
        closed_on: date | None = None,
    ) -> CaseSpec:
        rng = self.rng
        words: CaseTypeTexts = texts.CASE_TYPE_TEXTS[case_type]
        owner = self.owner_for(team)
        supervisor = next(m for m in STAFF if m.team == team and m.role == Role.SUPERVISOR)
        age = (self.today - opened_on).days
        hold_on: date | None = None
        if closed_on is not None:
            status = CaseStatus.CLOSED
        elif status is None:
            draw = rng.random()
            if age >= 45 and draw < 0.13:
                status = CaseStatus.CLOSED
                closed_on = _previous_weekday(opened_on + timedelta(days=rng.randint(35, age - 2)))
            elif age >= 30 and draw < 0.2:
                status = CaseStatus.ON_HOLD
                hold_on = _previous_weekday(opened_on + timedelta(days=rng.randint(21, age - 2)))
            else:
                status = CaseStatus.OPEN
        achieved = status == CaseStatus.CLOSED and rng.random() < 0.75

        context: dict[str, str] = {key: rng.choice(options) for key, options in words.vocabulary.items()}
        hearing_on = opened_on + timedelta(days=rng.randint(70, 120))
        context.update(
            first=client.first_name,
            last=client.last_name,
            town=client.town,
            office=TEAMS[team].office,
            practitioner=STAFF_BY_USERNAME[owner].first_name,
            supervisor=supervisor.display_name,
            opened=long_date(opened_on),
            hearing_date=long_date(hearing_on),
        )
        spec = CaseSpec(
            client=client_index,
            case_type=case_type,
            owner=owner,
            status=status,
            opened_on=opened_on,
            closed_on=closed_on,
            complexity=rng.choices([1, 2, 3], weights=[35, 45, 20])[0],
            required_outcomes=rng.choice(words.required_outcomes).format_map(context),
            created_at=self.at(opened_on, 9, 0),
        )
        spec.events.append(
            EventSpec(
                code="case_opened",
                at=spec.created_at,
                actor=owner,
                summary=f"{CASE_TYPE_NAMES[case_type]} case opened",
            )
        )
        # The last day with contact on the case, and the day its open actions stop moving.
        if closed_on is not None:
            end = closed_on
        elif hold_on is not None:
            end = hold_on - timedelta(days=1)
        else:
            end = self.today - timedelta(days=1)
            if age > 50 and rng.random() < 0.12:
                # A drifting case: nobody has been in touch for weeks.
                end = self.today - timedelta(days=rng.randint(22, 45))
        settle_by = closed_on or hold_on or self.today
        writer = _NotesWriter(
            self,
            spec,
            client,
            words,
            context,
            supervisor=supervisor.username,
            end=end,
            settle_by=settle_by,
            achieved=achieved,
            hearing_on=hearing_on,
        )
        writer.write()
        self.flags(spec, words, context)
        self.deadlines(spec, words, context, end)
        self.settle_goals(spec, achieved, settle_by)
        if status == CaseStatus.ON_HOLD and hold_on is not None:
            reason = rng.choice(texts.ON_HOLD_REASONS).format_map(context)
            self.status_event(spec, CaseStatus.ON_HOLD, self.before_now(self.at(hold_on, 17, 10)), reason)
        if status == CaseStatus.CLOSED and closed_on is not None:
            self.close(spec, closed_on, achieved)
        spec.last_contact_at = max(
            (
                version.occurred_at
                for note in spec.notes
                for version in note.versions
                if self.contact_rules[version.contact_type].is_client_contact
            ),
            default=None,
        )
        spec.events.sort(key=lambda event: event.at)
        return spec

    def close(self, spec: CaseSpec, closed_on: date, achieved: bool) -> None:
        closing = spec.notes[-1].versions[0] if spec.notes else None
        at = closing.recorded_at + timedelta(minutes=5) if closing else self.at(closed_on, 17, 0)
        at = self.before_now(at)
        reason = "outcome achieved" if achieved else "closed without the outcome being achieved"
        self.status_event(spec, CaseStatus.CLOSED, at, reason)
        for index, flag in enumerate(spec.flags):
            if achieved and flag.code in texts.FLAGS_CLEARED_ON_CLOSURE:
                flag.cleared_at = at
                spec.events.append(
                    EventSpec(
                        code="flag_cleared",
                        at=at,
                        actor=spec.owner,
                        summary=f"{FlagCode(flag.code).label} cleared",
                        ref=("flag", index),
                    )
                )

    def status_event(self, spec: CaseSpec, status: str, at: datetime, reason: str) -> None:
        """As ``case_set_status`` records it."""
        label = CaseStatus(status).label.lower()
        spec.events.append(
            EventSpec(
                code="status_changed",
                at=at,
                actor=spec.owner,
                summary=f"Case {label}: {reason}"[:500],
                data={"from": CaseStatus.OPEN.value, "to": status, "reason": reason},
            )
        )

    def first_moment(self, spec: CaseSpec) -> tuple[datetime, date]:
        """When the first note was recorded (or the case opened), and that day."""
        if spec.notes:
            first = spec.notes[0].versions[0]
            return first.recorded_at, first.occurred_at.astimezone(self.zone).date()
        return spec.created_at + timedelta(minutes=20), spec.opened_on

    def flags(self, spec: CaseSpec, words: CaseTypeTexts, context: dict[str, str]) -> None:
        raised_at, day = self.first_moment(spec)
        for code, chance in words.flag_chances.items():
            if self.rng.random() >= chance:
                continue
            detail = self.rng.choice(texts.FLAG_DETAILS[code]).format_map(
                {**context, "note_date": long_date(day)}
            )
            spec.flags.append(FlagSpec(code=code, detail=detail, raised_at=raised_at, raised_by=spec.owner))
            spec.events.append(
                EventSpec(
                    code="flag_raised",
                    at=raised_at,
                    actor=spec.owner,
                    summary=f"{FlagCode(code).label}: {detail}"[:500],
                    ref=("flag", len(spec.flags) - 1),
                )
            )
        if any(flag.code == FlagCode.SAFEGUARDING for flag in spec.flags):
            spec.complexity = 3

    def deadlines(self, spec: CaseSpec, words: CaseTypeTexts, context: dict[str, str], end: date) -> None:
        rng = self.rng
        count = 0 if rng.random() < 0.45 else (2 if rng.random() < 0.25 else 1)
        created_at, _ = self.first_moment(spec)
        for template in rng.sample(words.deadlines, count):
            due_on = spec.opened_on + timedelta(days=template.due_in_days + rng.randint(-5, 12))
            met_on = None
            if due_on <= end and rng.random() < 0.85:
                met_on = max(spec.opened_on, due_on - timedelta(days=rng.randint(0, 6)))
            elif spec.closed_on is not None:
                met_on = min(due_on, spec.closed_on)
            deadline = DeadlineSpec(
                kind=template.kind,
                description=template.description.format_map(context),
                due_on=due_on,
                met_on=met_on,
            )
            spec.deadlines.append(deadline)
            index = len(spec.deadlines) - 1
            spec.events.append(
                EventSpec(
                    code="deadline_added",
                    at=created_at,
                    actor=spec.owner,
                    summary=f"{deadline.description} (due {due_on:%d %b %Y})",
                    ref=("deadline", index),
                )
            )
            if met_on is not None:
                spec.events.append(
                    EventSpec(
                        code="deadline_met",
                        at=self.before_now(max(created_at, self.at(met_on, 12, 0))),
                        actor=spec.owner,
                        summary=f"{deadline.description}: met",
                        ref=("deadline", index),
                    )
                )

    def settle_action(self, spec: CaseSpec, index: int, settle_by: date) -> None:
        """Decide whether an action was done, cancelled or is still open (perhaps overdue)."""
        rng = self.rng
        action = spec.actions[index]
        closed = spec.status == CaseStatus.CLOSED
        created_on = action.created_at.astimezone(self.zone).date()
        status: str = ActionStatus.OPEN
        changed_on = settle_by
        if action.due_on <= settle_by:
            draw = rng.random()
            if draw < 0.8:
                status = ActionStatus.DONE
                latest = min(action.due_on + timedelta(days=3), settle_by)
                changed_on = created_on + timedelta(days=rng.randint(0, max(0, (latest - created_on).days)))
            elif draw < 0.87 or closed:
                status = ActionStatus.CANCELLED
                changed_on = min(action.due_on + timedelta(days=2), settle_by)
        elif closed:
            status = ActionStatus.CANCELLED
        elif rng.random() < 0.15 and created_on < settle_by:
            status = ActionStatus.DONE
            changed_on = created_on + timedelta(days=rng.randint(0, (settle_by - created_on).days))
        if status == ActionStatus.OPEN:
            return
        action.status = status
        action.completed_on = changed_on if status == ActionStatus.DONE else None
        action.changed_at = self.before_now(
            max(self.at(changed_on, 16, 30), action.created_at + timedelta(minutes=30))
        )
        # As ``action_update`` records it.
        spec.events.append(
            EventSpec(
                code="action_updated",
                at=action.changed_at,
                actor=spec.owner,
                summary=f"{action.description}: marked {ActionStatus(status).label.lower()}"[:500],
                data={"changes": {"status": [ActionStatus.OPEN.value, status]}},
                ref=("action", index),
            )
        )

    def settle_goals(self, spec: CaseSpec, achieved: bool, settle_by: date) -> None:
        for index, goal in enumerate(spec.goals):
            if spec.status == CaseStatus.CLOSED:
                goal.status = GoalStatus.ACHIEVED if achieved else GoalStatus.NOT_ACHIEVED
            elif goal.target_on < settle_by and self.rng.random() < 0.45:
                goal.status = GoalStatus.ACHIEVED
            else:
                continue
            day = min(goal.target_on, settle_by)
            at = self.before_now(max(goal.created_at + timedelta(hours=1), self.at(day, 16, 0)))
            spec.events.append(
                EventSpec(
                    code="goal_updated",
                    at=at,
                    actor=spec.owner,
                    summary=f"{goal.description}: {GoalStatus(goal.status).label.lower()}"[:500],
                    ref=("goal", index),
                )
            )


class _NotesWriter:
    """Writes one case's notes in date order, with the goals and actions agreed in them."""

    def __init__(
        self,
        planner: _Planner,
        spec: CaseSpec,
        client: ClientSpec,
        words: CaseTypeTexts,
        context: dict[str, str],
        *,
        supervisor: str,
        end: date,
        settle_by: date,
        achieved: bool,
        hearing_on: date,
    ) -> None:
        self.p = planner
        self.rng = planner.rng
        self.spec = spec
        self.client = client
        self.words = words
        self.context = context
        self.supervisor = supervisor
        self.end = end
        self.settle_by = settle_by
        self.achieved = achieved
        self.hearing_on = hearing_on
        # Actions and meetings are listed in the order a case usually goes, so a case's story
        # keeps that order, skipping a step here and there.
        self.unused_actions = [a for a in reversed(words.actions) if self.rng.random() < 0.85]
        self.pools: dict[str, list[NoteTemplate]] = {}

    def template(self, name: str, options: Sequence[NoteTemplate], ordered: bool = False) -> NoteTemplate:
        """Templates without repeats until a pool runs out, so a case does not read the same twice."""
        pool = self.pools.get(name)
        if not pool:
            if ordered:
                pool = [t for t in reversed(options) if self.rng.random() < 0.8] or list(reversed(options))
            else:
                pool = list(options)
                self.rng.shuffle(pool)
            self.pools[name] = pool
        return pool.pop()

    def schedule(self) -> list[tuple[date, str]]:
        spec, rng = self.spec, self.rng
        if self.end < spec.opened_on:
            return []  # a new referral: nobody has seen the client yet
        plan: dict[date, str] = {spec.opened_on: "first"}
        review = spec.opened_on + timedelta(days=REVIEW_EVERY_DAYS)
        while review < self.end:
            plan[_previous_weekday(review)] = "review"
            review += timedelta(days=REVIEW_EVERY_DAYS)
        if spec.closed_on is not None:
            plan[spec.closed_on] = "closing"
        free = [d for d in _weekdays(spec.opened_on + timedelta(days=1), self.end) if d not in plan]
        span = (self.end - spec.opened_on).days
        for day in rng.sample(free, min(len(free), round(span / rng.uniform(11, 16)))):
            plan[day] = "contact"
        return sorted(plan.items())

    def write(self) -> None:
        for day, kind in self.schedule():
            self.note(day, kind)

    def contact_type(self, kind: str) -> str:
        if kind == "first":
            return self.rng.choices(MEETING_TYPES, weights=[80, 12, 8])[0]
        if kind in ("review", "closing"):
            return "case_review"
        mix = dict(CONTACT_MIX)
        if self.spec.case_type in HOME_VISIT_TYPES:
            mix["home_visit"] = 8
        return self.p.weighted(mix)

    def note(self, day: date, kind: str) -> None:
        p, rng, spec = self.p, self.rng, self.spec
        contact_type = self.contact_type(kind)
        author = self.supervisor if kind == "review" and rng.random() < 0.4 else spec.owner
        occurred_at = p.at(day, rng.choice([9, 10, 11, 12, 13, 14, 15, 16]), rng.choice([0, 15, 30, 45]))
        late = kind != "closing" and rng.random() < 0.07 and occurred_at < p.now - timedelta(days=6)
        delay = timedelta(hours=rng.randint(26, 100)) if late else timedelta(minutes=rng.randint(20, 300))
        recorded_at = max(occurred_at, p.before_now(occurred_at + delay))
        next_day = _next_weekday(day + timedelta(days=rng.randint(7, 14)))
        fields = {
            **self.context,
            "note_date": long_date(day),
            "recent_date": long_date(day - timedelta(days=rng.randint(3, 12))),
            "next_date": day_name(next_day),
            "next_time": rng.choice(["10:00", "11:30", "14:00", "15:30"]),
        }
        amend_at = recorded_at + timedelta(hours=rng.randint(2, 120))
        amendment = None
        if kind != "closing" and rng.random() < 0.06 and amend_at < p.now - timedelta(minutes=5):
            amendment = self.amendment_kind(contact_type)

        actions: list[ActionSpec] = []
        goals: list[int] = []
        if kind == "first":
            goals = self.goals(day, recorded_at)
            sections = self.meeting(contact_type, self.template("first", self.words.first_meetings), fields)
            actions = self.actions(day, recorded_at, author, rng.choice([2, 2, 3]))
        elif contact_type in MEETING_TYPES:
            sections = self.meeting(
                contact_type, self.template("meeting", self.words.meetings, ordered=True), fields
            )
            actions = self.actions(day, recorded_at, author, rng.choices([0, 1, 2], weights=[35, 45, 20])[0])
        elif contact_type == "phone":
            sections = self.plain(self.template("phone", self.words.phone_calls), fields)
            if rng.random() < 0.15:
                actions = self.actions(day, recorded_at, author, 1)
        elif contact_type == "email":
            sections = self.plain(self.template("email", self.words.emails), fields)
        elif contact_type == "agency":
            sections = self.plain(self.template("agency", self.words.agency_contacts), fields)
        elif contact_type == "did_not_attend":
            sections = self.plain(self.template("dna", texts.DID_NOT_ATTEND), fields)
        else:
            sections = self.review(kind, day, fields)
        if contact_type in MEETING_TYPES and not actions:
            sections["actions_agreed"] = rng.choice(texts.NO_NEW_ACTIONS).format_map(fields)
        opinion = contact_type in ("face_to_face", "phone", "video", "home_visit") and rng.random() < 0.03
        if opinion:
            # On purpose: the fact/opinion check has something to point out in the demo.
            sections["facts"] += " " + rng.choice(texts.OPINION_IN_FACTS).format_map(fields)
        goals = sorted({*goals, *(action.goal for action in actions if action.goal is not None)})
        for action in actions:
            action.note = len(spec.notes)
        # The same "actions agreed" text note_record writes: the practitioner's words, then a line each.
        sections["actions_agreed"] = _actions_summary(
            [self.action_input(action) for action in actions], sections.get("actions_agreed", "")
        )
        sections = {code: text for code, text in sections.items() if text}
        first_sections, later = self.apply_amendment(amendment, sections, fields, next_day)
        version = VersionSpec(
            number=1,
            contact_type=contact_type,
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            recorded_by=author,
            sections=first_sections,
            is_late=recorded_at - occurred_at > p.time_scale,
        )
        note = NoteSpec(author=author, versions=[version], goals=goals, opinion_in_facts=opinion)
        if later is not None:
            reason, amended = later
            note.versions.append(
                VersionSpec(
                    number=2,
                    contact_type=contact_type,
                    occurred_at=occurred_at,
                    recorded_at=amend_at,
                    recorded_by=author,
                    sections=amended,
                    # The contact time is unchanged, so lateness is the original's (as note_amend does).
                    is_late=version.is_late,
                    amendment_reason=reason,
                )
            )
        for each in note.versions:
            self.check_required(each)
        spec.notes.append(note)
        for action in actions:
            spec.actions.append(action)
            self.p.settle_action(spec, len(spec.actions) - 1, self.settle_by)

    def check_required(self, version: VersionSpec) -> None:
        required = self.p.contact_rules[version.contact_type].required_sections
        missing = rules.missing_sections(required, version.sections)
        if missing:
            raise ValueError(f"A demo {version.contact_type} note lacks {missing}: a template is incomplete.")

    # Sections -----------------------------------------------------------------------------------

    def meeting(self, contact_type: str, template: NoteTemplate, fields: dict[str, str]) -> dict[str, str]:
        rng = self.rng
        assessment = template.assessment
        if contact_type == "face_to_face" and rng.random() < 0.3:
            assessment = ""
        if contact_type == "home_visit" and not assessment:
            assessment = texts.HOME_VISIT_ASSESSMENT
        sections = {
            "facts": f"{rng.choice(texts.MEETING_OPENINGS[contact_type])} {template.facts}",
            "client_view": template.client_view,
            "assessment": assessment,
            "actions_agreed": template.actions_agreed or rng.choice(texts.ACTIONS_INTRO),
            "follow_up": template.follow_up or rng.choice(texts.FOLLOW_UPS),
        }
        return {code: text.format_map(fields) for code, text in sections.items() if text}

    def plain(self, template: NoteTemplate, fields: Mapping[str, str]) -> dict[str, str]:
        sections = {
            "facts": template.facts,
            "client_view": template.client_view,
            "assessment": template.assessment,
            "decisions": template.decisions,
            "follow_up": template.follow_up,
        }
        return {code: text.format_map(fields) for code, text in sections.items() if text}

    def review(self, kind: str, day: date, fields: dict[str, str]) -> dict[str, str]:
        """A case review, with the case's own figures as they stood on the day (PC14)."""
        spec = self.spec
        contacts = [
            version.occurred_at
            for note in spec.notes
            for version in note.versions[:1]
            if self.p.contact_rules[version.contact_type].is_client_contact
        ]
        last_contact = long_date(max(contacts).astimezone(self.p.zone).date()) if contacts else "none yet"
        done = [a for a in spec.actions if a.completed_on is not None and a.completed_on <= day]
        zone = self.p.zone
        closed = [
            a
            for a in spec.actions
            if a.changed_at is not None and a.changed_at.astimezone(zone).date() <= day
        ]
        still_open = [a for a in spec.actions if a not in closed]
        counts = {
            "note_count": str(len(spec.notes)),
            "last_contact": last_contact,
            "open_actions": str(len(still_open)),
            "overdue_actions": str(sum(1 for a in still_open if a.due_on < day)),
            "done_actions": str(len(done)),
            "next_review": long_date(day + timedelta(days=REVIEW_EVERY_DAYS)),
        }
        if kind == "closing":
            reasons = self.words.outcomes_achieved if self.achieved else texts.CLOSED_NOT_ACHIEVED
            counts["closing_reason"] = self.rng.choice(reasons).format_map(fields)
            template = texts.CLOSING_REVIEW if self.achieved else texts.CLOSING_REVIEW_NOT_ACHIEVED
        else:
            template = self.template("review", texts.CASE_REVIEWS)
        return self.plain(template, {**fields, **counts})

    # Goals and actions --------------------------------------------------------------------------

    def goals(self, day: date, created_at: datetime) -> list[int]:
        spec = self.spec
        for template in self.rng.sample(self.words.goals, self.rng.choice([2, 2, 3])):
            goal = GoalSpec(
                description=template.description.format_map(self.context),
                measure=template.measure.format_map(self.context),
                target_on=day + timedelta(weeks=template.weeks),
                status=GoalStatus.OPEN,
                created_at=created_at,
            )
            spec.goals.append(goal)
            spec.events.append(
                EventSpec(
                    code="goal_added",
                    at=created_at,
                    actor=spec.owner,
                    summary=goal.description,
                    ref=("goal", len(spec.goals) - 1),
                )
            )
        return list(range(len(spec.goals)))

    def actions(self, day: date, created_at: datetime, author: str, count: int) -> list[ActionSpec]:
        spec, rng = self.spec, self.rng
        made: list[ActionSpec] = []
        for _ in range(min(count, len(self.unused_actions))):
            template = self.unused_actions.pop()
            kind = template.owner_kind
            action = ActionSpec(
                description=template.description.format_map(self.context),
                owner_kind=kind,
                assigned_to=spec.owner if kind == ActionOwner.STAFF else None,
                owner_name=template.owner_name.format_map(self.context) if kind == ActionOwner.OTHER else "",
                due_on=day + timedelta(days=max(1, template.due_in_days + rng.randint(-1, 4))),
                created_at=created_at,
                created_by=author,
                note=None,
                goal=rng.randrange(len(spec.goals)) if spec.goals and rng.random() < 0.6 else None,
            )
            made.append(action)
            label = _owner_label(kind, action.assigned_to, action.owner_name)
            # As ``_action_create`` records it.
            spec.events.append(
                EventSpec(
                    code="action_added",
                    at=created_at,
                    actor=author,
                    summary=f"{action.description} (owner: {label}; due {action.due_on:%d %b %Y})"[:500],
                    ref=("action", len(spec.actions) + len(made) - 1),
                )
            )
        return made

    def action_input(self, action: ActionSpec) -> ActionInput:
        return ActionInput(
            description=action.description,
            due_on=action.due_on,
            owner_kind=action.owner_kind,
            assigned_to=self.p.staff_users[action.assigned_to] if action.assigned_to else None,
            owner_name=action.owner_name,
        )

    # Amendments -----------------------------------------------------------------------------

    def amendment_kind(self, contact_type: str) -> str:
        kinds = ["phone", "left_out", "next_date"]
        if contact_type in ("face_to_face", "home_visit"):
            kinds.append("third_party")
        if self.spec.case_type == "welfare" and contact_type in MEETING_TYPES:
            kinds += ["hearing", "hearing"]
        return self.rng.choice(kinds)

    def apply_amendment(
        self, kind: str | None, sections: dict[str, str], fields: dict[str, str], next_day: date
    ) -> tuple[dict[str, str], tuple[str, dict[str, str]] | None]:
        """The first version's sections, and the amendment's reason and sections if there is one."""
        if kind is None:
            return sections, None
        first, later = dict(sections), dict(sections)
        old_next = fields["next_date"]
        if kind == "next_date" and old_next not in sections.get("follow_up", ""):
            kind = "left_out"
        if kind == "phone":
            reason, sentence = texts.AMENDMENT_PHONE
            self.client.phone = self.p.phone()
            later["facts"] += sentence.format_map({**fields, "new_phone": self.client.phone})
        elif kind == "next_date":
            reason = texts.AMENDMENT_NEXT_DATE
            later["follow_up"] = sections["follow_up"].replace(
                old_next, day_name(next_day + timedelta(days=7))
            )
        elif kind == "third_party":
            reason, wrong, right = texts.AMENDMENT_THIRD_PARTY
            extra = {
                "third_party": self.rng.choice(texts.THIRD_PARTY_NAMES),
                "third_party_phone": self.p.phone(),
            }
            first["facts"] += wrong.format_map({**fields, **extra})
            later["facts"] += right.format_map(fields)
        elif kind == "hearing":
            reason = texts.AMENDMENT_HEARING
            corrected = long_date(self.hearing_on + timedelta(days=7))
            first["facts"] += texts.HEARING_SENTENCE.format_map(fields)
            later["facts"] += texts.HEARING_SENTENCE.format_map({**fields, "hearing_date": corrected})
        else:
            reason = texts.AMENDMENT_LEFT_OUT
            later["facts"] += self.words.left_out.format_map(fields)
        return first, (reason, later)


def plan_demo(
    *,
    now: datetime,
    seed: int = DEFAULT_SEED,
    clients: int = DEFAULT_CLIENTS,
    note_time_scale_hours: int = 24,
    contact_rules: Mapping[str, ContactRule] | None = None,
) -> DemoPlan:
    """The demo data as plain values: the same arguments always give the same plan."""
    return _Planner(
        seed=seed,
        clients=clients,
        now=now,
        note_time_scale_hours=note_time_scale_hours,
        contact_rules=contact_rules or DEFAULT_CONTACT_RULES,
    ).plan()


# --- Writing the plan to the database ------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    organisation: Organisation
    teams: int
    staff: int
    clients: int
    cases: int
    cases_by_status: dict[str, int]
    notes: int
    late_notes: int
    amended_notes: int
    actions: int
    overdue_actions: int
    goals: int
    flags: int
    deadlines: int

    def lines(self) -> list[str]:
        status = self.cases_by_status
        return [
            f"{self.teams} teams, {self.staff} staff, {self.clients} clients",
            f"{self.cases} cases: {status.get('open', 0)} open, {status.get('on_hold', 0)} on hold, "
            f"{status.get('closed', 0)} closed",
            f"{self.notes:,} case notes: {self.late_notes} recorded late, {self.amended_notes} amended",
            f"{self.actions:,} actions ({self.overdue_actions} overdue), {self.goals} goals, "
            f"{self.flags} risk and vulnerability flags, {self.deadlines} deadlines",
        ]


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=DEMO_SLUG).first()


def taken_usernames() -> list[str]:
    """Demo usernames already used by accounts outside the demo organisation."""
    return sorted(
        User.objects.filter(username__in=STAFF_BY_USERNAME)
        .exclude(organisation__slug=DEMO_SLUG)
        .values_list("username", flat=True)
    )


def build_demo(
    *, seed: int = DEFAULT_SEED, clients: int = DEFAULT_CLIENTS, now: datetime | None = None
) -> DemoSummary:
    """Create the demo organisation and everything in it, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        organisation = organisation_create(name=DEMO_NAME, slug=DEMO_SLUG)
        contact_types = {c.code: c for c in ContactType.objects.filter(organisation=organisation)}
        plan = plan_demo(
            now=now,
            seed=seed,
            clients=clients,
            note_time_scale_hours=organisation.note_time_scale_hours,
            contact_rules={
                code: ContactRule(tuple(c.required_sections), c.is_client_contact)
                for code, c in contact_types.items()
            },
        )
        _Writer(organisation, plan, contact_types).write()
    return summarise(organisation, plan)


def summarise(organisation: Organisation, plan: DemoPlan) -> DemoSummary:
    today = plan.now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    cases = plan.cases
    by_status: dict[str, int] = {}
    for case in cases:
        by_status[case.status] = by_status.get(case.status, 0) + 1
    notes = [note for case in cases for note in case.notes]
    actions = [action for case in cases for action in case.actions]
    return DemoSummary(
        organisation=organisation,
        teams=len(TEAMS),
        staff=len(STAFF),
        clients=len(plan.clients),
        cases=len(cases),
        cases_by_status=by_status,
        notes=len(notes),
        late_notes=sum(note.versions[0].is_late for note in notes),
        amended_notes=sum(len(note.versions) > 1 for note in notes),
        actions=len(actions),
        overdue_actions=sum(a.status == ActionStatus.OPEN and a.due_on < today for a in actions),
        goals=sum(len(case.goals) for case in cases),
        flags=sum(len(case.flags) for case in cases),
        deadlines=sum(len(case.deadlines) for case in cases),
    )


class _Writer:
    """Inserts a plan with one ``bulk_create`` per table; ids come back from each insert."""

    def __init__(
        self, organisation: Organisation, plan: DemoPlan, contact_types: Mapping[str, ContactType]
    ) -> None:
        self.org = organisation
        self.plan = plan
        self.contact_types = contact_types
        self.users: dict[str, User] = {}

    def write(self) -> None:
        self.staff()
        org = self.org
        case_types = {c.code: c for c in CaseType.objects.filter(organisation=org)}
        clients = Client.objects.bulk_create(
            Client(
                organisation=org,
                reference=c.reference,
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.date_of_birth,
                phone=c.phone,
                email=c.email,
                address=c.address,
                created_at=c.created_at,
            )
            for c in self.plan.clients
        )
        specs = self.plan.cases
        cases = Case.objects.bulk_create(
            Case(
                organisation=org,
                client=clients[s.client],
                case_type=case_types[s.case_type],
                owner=self.users[s.owner],
                status=s.status,
                opened_on=s.opened_on,
                closed_on=s.closed_on,
                required_outcomes=s.required_outcomes,
                complexity=s.complexity,
                last_contact_at=s.last_contact_at,
                created_at=s.created_at,
            )
            for s in specs
        )
        flags = self.per_case(
            CaseFlag,
            cases,
            [
                [
                    CaseFlag(
                        organisation=org,
                        code=f.code,
                        detail=f.detail,
                        raised_at=f.raised_at,
                        raised_by=self.users[f.raised_by],
                        cleared_at=f.cleared_at,
                    )
                    for f in s.flags
                ]
                for s in specs
            ],
        )
        deadlines = self.per_case(
            Deadline,
            cases,
            [
                [
                    Deadline(
                        organisation=org,
                        kind=d.kind,
                        description=d.description,
                        due_on=d.due_on,
                        met_on=d.met_on,
                    )
                    for d in s.deadlines
                ]
                for s in specs
            ],
        )
        goals = self.per_case(
            Goal,
            cases,
            [
                [
                    Goal(
                        organisation=org,
                        description=g.description,
                        measure=g.measure,
                        target_on=g.target_on,
                        status=g.status,
                        created_at=g.created_at,
                    )
                    for g in s.goals
                ]
                for s in specs
            ],
        )
        notes = self.per_case(
            CaseNote,
            cases,
            [
                [
                    CaseNote(
                        organisation=org, author=self.users[n.author], created_at=n.versions[0].recorded_at
                    )
                    for n in s.notes
                ]
                for s in specs
            ],
        )
        self.versions(specs, notes, goals)
        actions = self.per_case(
            Action,
            cases,
            [
                [
                    Action(
                        organisation=org,
                        goal=goals[i][a.goal] if a.goal is not None else None,
                        source_note=notes[i][a.note] if a.note is not None else None,
                        description=a.description,
                        owner_kind=a.owner_kind,
                        assigned_to=self.users[a.assigned_to] if a.assigned_to else None,
                        owner_name=a.owner_name,
                        due_on=a.due_on,
                        status=a.status,
                        completed_on=a.completed_on,
                        created_by=self.users[a.created_by],
                        created_at=a.created_at,
                    )
                    for a in s.actions
                ]
                for i, s in enumerate(specs)
            ],
        )
        objects = {"flag": flags, "deadline": deadlines, "goal": goals, "action": actions}
        CaseEvent.objects.bulk_create(
            CaseEvent(
                organisation=org,
                case=cases[i],
                code=e.code,
                actor=self.users[e.actor],
                at=e.at,
                summary=e.summary,
                data=self.event_data(e, objects, i),
            )
            for i, s in enumerate(specs)
            for e in s.events
        )

    @staticmethod
    def event_data(
        event: EventSpec, objects: Mapping[str, list[list[models.Model]]], case: int
    ) -> dict[str, Any]:
        if event.ref is None:
            return dict(event.data)
        kind, index = event.ref
        return {f"{kind}_id": objects[kind][case][index].pk, **event.data}

    def staff(self) -> None:
        teams = [Team.objects.create(organisation=self.org, name=t.name) for t in TEAMS]
        # One hash for the shared demo password: hashing it a dozen times would only cost time.
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create(
            User(
                organisation=self.org,
                username=m.username,
                first_name=m.first_name,
                last_name=m.last_name,
                email=m.email,
                role=m.role,
                team=teams[m.team] if m.team is not None else None,
                password=password,
            )
            for m in STAFF
        )
        self.users = {user.username: user for user in users}
        for member in STAFF:
            if member.role == Role.SUPERVISOR and member.team is not None:
                teams[member.team].supervisors.add(self.users[member.username])

    def per_case(
        self, model: type[models.Model], cases: Sequence[Case], rows: Sequence[Sequence[Any]]
    ) -> list[list[Any]]:
        """Insert each case's rows in one go and hand them back grouped by case."""
        for case, case_rows in zip(cases, rows, strict=True):
            for row in case_rows:
                row.case = case
        created = model._default_manager.bulk_create([row for case_rows in rows for row in case_rows])
        grouped: list[list[Any]] = []
        position = 0
        for case_rows in rows:
            grouped.append(created[position : position + len(case_rows)])
            position += len(case_rows)
        return grouped

    def versions(
        self, specs: Sequence[CaseSpec], notes: Sequence[Sequence[CaseNote]], goals: Sequence[Sequence[Goal]]
    ) -> None:
        rows: list[NoteVersion] = []
        links: list[list[Goal]] = []
        for i, spec in enumerate(specs):
            for note_spec, note in zip(spec.notes, notes[i], strict=True):
                for v in note_spec.versions:
                    rows.append(
                        NoteVersion(
                            organisation=self.org,
                            note=note,
                            number=v.number,
                            contact_type=self.contact_types[v.contact_type],
                            occurred_at=v.occurred_at,
                            recorded_at=v.recorded_at,
                            recorded_by=self.users[v.recorded_by],
                            amendment_reason=v.amendment_reason,
                            is_late=v.is_late,
                            **{code: v.sections.get(code, "") for code in rules.SECTION_LABELS},
                        )
                    )
                    links.append([goals[i][g] for g in note_spec.goals])
        created = NoteVersion.objects.bulk_create(rows)
        through = NoteVersion.goals.through
        through.objects.bulk_create(
            through(noteversion_id=version.pk, goal_id=goal.pk)
            for version, version_goals in zip(created, links, strict=True)
            for goal in version_goals
        )


def delete_demo() -> bool:
    """Delete the demo organisation and everything in it. False if there was none.

    Foreign keys to users and case types PROTECT them, so rows go leaf first: each model that
    belongs to the organisation is deleted once nothing protected still points at it.
    """
    organisation = demo_organisation()
    if organisation is None:
        return False
    with transaction.atomic():
        pending = [
            model
            for model in reversed(apps.get_models())
            if model is not Organisation and _organisation_field(model)
        ]
        while pending:
            progress = False
            for model in list(pending):
                try:
                    model._default_manager.filter(**{_organisation_field(model): organisation}).delete()
                except (ProtectedError, RestrictedError):
                    continue
                pending.remove(model)
                progress = True
            if not progress:
                names = ", ".join(model.__name__ for model in pending)
                raise RuntimeError(f"Could not delete the demo organisation's {names}.")
        organisation.delete()
    return True


def _organisation_field(model: type[models.Model]) -> str:
    for model_field in model._meta.get_fields():
        if isinstance(model_field, models.ForeignKey) and model_field.related_model is Organisation:
            return model_field.name
    return ""
