"""The demo organisation as plain data: who works there, and the plan of every record.

A plan (``DemoPlan``) holds values only, no model instances, so it can be compared between
runs (``DemoPlan.digest``) and checked before anything touches the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from casework.accounts.models import Role
from casework.cases import defaults
from casework.cases.models import ActionOwner, ActionStatus

DEMO_SLUG = "demo"
DEMO_NAME = "Valleys Employment and Advice Service"
DEMO_PASSWORD = "casework-demo"  # noqa: S105 - a published demo password, shown on the sign-in help  # nosec B105
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
    StaffMember("eleri", "Eleri", "Watkins", Role.DATA_PROTECTION, None),
    StaffMember("david", "David", "Thomas", Role.ADMIN, None),
)
STAFF_BY_USERNAME = {member.username: member for member in STAFF}

CASE_TYPE_NAMES = dict(defaults.CASE_TYPES)


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
    audit: dict[str, Any] = field(default_factory=dict)  # what the audit event adds to the defaults


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
    next_review_on: date | None = None
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


def long_date(day: date) -> str:
    """A date as case notes write it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def day_name(day: date) -> str:
    """An appointment day: Tuesday 3 March."""
    return f"{day:%A} {day.day} {day:%B}"


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def previous_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def weekdays(start: date, end: date) -> list[date]:
    """Weekdays from ``start`` to ``end`` inclusive."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def owner_label(kind: str, assigned_to: str | None, owner_name: str) -> str:
    if kind == ActionOwner.STAFF and assigned_to:
        return STAFF_BY_USERNAME[assigned_to].display_name
    return "Client" if kind == ActionOwner.CLIENT else owner_name
