"""Rows for a synthetic organisation of any size, as plain tuples (issue 3 item 8).

``RowFactory`` turns a seed, a reference time and the ids of the organisation's staff and
configuration into the rows of every case table, chunk by chunk, without touching the
database or building a Django model instance: ``casework.demo.generate`` streams them in
with COPY (PostgreSQL) or ``executemany`` (SQLite). Ids are allocated here, from the
starting ids the caller reserved, so rows can refer to each other before any is written.

The wording comes from the demo organisation (``casework.demo.texts``), so notes read like
the demo's: every note has the sections its contact type requires (K6), the "actions
agreed" text lists the actions as ``note_record`` writes it, some notes are recorded late
and some are amended with a reason. Each case's history runs from its referral, up to two
years ago, to its closure or to today.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from casework.cases import rules
from casework.cases.models import _REF_ALPHABET
from casework.demo import texts
from casework.demo.notes import (
    CONTACT_MIX,
    HOME_VISIT_TYPES,
    MEETING_PLACES,
    MEETING_TYPES,
    REVIEW_EVERY_DAYS,
    meeting_sections,
    plain_sections,
)
from casework.demo.plan import client_details
from casework.demo.specs import CASE_TYPE_NAMES, TEAMS, day_name, long_date
from casework.demo.texts import CaseTypeTexts

HISTORY_DAYS = 730
# Live (open or on hold) and closed shares of all cases.
OPEN_SHARE = 0.63
ON_HOLD_SHARE = 0.07
# Most notes a case gets besides its first note, reviews and closing note: keeps the
# volume of text per case bounded for old cases while recent ones stay realistic.
MAX_CONTACT_NOTES = 5
MAX_REVIEW_NOTES = 2
CHUNK_CASES = 5000

# The columns written for each table, in order; ``id`` is always first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cases_client": (
        "id",
        "organisation_id",
        "reference",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "created_at",
        "version",
    ),
    "cases_case": (
        "id",
        "organisation_id",
        "client_id",
        "case_type_id",
        "owner_id",
        "status",
        "opened_on",
        "closed_on",
        "required_outcomes",
        "complexity",
        "last_contact_at",
        "is_restricted",
        "legal_hold",
        "next_review_on",
        "contact_interval_days",
        "version",
        "created_at",
        "updated_at",
    ),
    "cases_goal": (
        "id",
        "organisation_id",
        "case_id",
        "description",
        "measure",
        "target_on",
        "status",
        "created_at",
    ),
    "cases_casenote": ("id", "organisation_id", "case_id", "author_id", "created_at"),
    "cases_noteversion": (
        "id",
        "organisation_id",
        "note_id",
        "number",
        "contact_type_id",
        "occurred_at",
        "recorded_at",
        "recorded_by_id",
        "facts",
        "client_view",
        "assessment",
        "actions_agreed",
        "decisions",
        "follow_up",
        "amendment_reason",
        "is_late",
    ),
    "cases_noteversion_goals": ("id", "noteversion_id", "goal_id"),
    "cases_action": (
        "id",
        "organisation_id",
        "case_id",
        "goal_id",
        "source_note_id",
        "description",
        "owner_kind",
        "assigned_to_id",
        "owner_name",
        "due_on",
        "status",
        "completed_on",
        "created_by_id",
        "created_at",
        "updated_at",
        "version",
    ),
    "cases_caseflag": (
        "id",
        "organisation_id",
        "case_id",
        "code",
        "detail",
        "raised_at",
        "raised_by_id",
        "cleared_at",
    ),
    "cases_deadline": ("id", "organisation_id", "case_id", "kind", "description", "due_on", "met_on"),
    "cases_caseevent": ("id", "organisation_id", "case_id", "code", "actor_id", "at", "summary", "data"),
}
TABLES = tuple(COLUMNS)
_FLAG_LABELS = {
    "safeguarding": "Safeguarding concern",
    "risk_to_self": "Risk to self",
    "risk_to_others": "Risk to others",
    "domestic_abuse": "Domestic abuse",
    "homelessness": "Homeless or at risk of homelessness",
    "mental_health": "Mental health condition",
    "disability": "Disability",
    "care_leaver": "Care leaver",
    "learning_difficulty": "Learning difficulty",
    "financial_hardship": "Financial hardship",
    "language": "Needs an interpreter",
}


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class TeamLayout:
    """One team: which demo team it is modelled on, its supervisor and practitioners."""

    spec: int  # index into ``casework.demo.specs.TEAMS``
    supervisor: Person
    practitioners: tuple[Person, ...]


@dataclass(frozen=True)
class Layout:
    """What the rows refer to: the organisation's ids, and where each table's new ids start."""

    organisation_id: int
    note_time_scale_hours: int
    case_types: Mapping[str, int]
    contact_types: Mapping[str, int]
    client_contact_types: frozenset[str]
    required_sections: Mapping[str, tuple[str, ...]]
    teams: tuple[TeamLayout, ...]
    first_ids: Mapping[str, int]


@dataclass
class Chunk:
    """The rows of a run of cases, table by table, in the order they can be inserted."""

    rows: dict[str, list[tuple[object, ...]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    cases: int = 0


class _Fields(dict[str, str]):
    """Template fields; one missing is a fault in a template, so say which."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"A generated note needs the field {key!r}, which nothing provides.")


class _FastRandom(random.Random):
    """``random.Random`` with ``randint``, ``choice`` and ``uniform`` in one step each: the
    library's versions cost several Python calls, and the generator makes millions of them."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random()

    def weighted(self, options: Sequence[Any], cumulative: Sequence[float]) -> Any:
        return options[bisect(cumulative, self.random() * cumulative[-1])]


@lru_cache(maxsize=4096)
def _long(day: date) -> str:
    return long_date(day)


@lru_cache(maxsize=4096)
def _day_name(day: date) -> str:
    return day_name(day)


@lru_cache(maxsize=4096)
def _short(day: date) -> str:
    return rules.short_date(day)


def _status_plan(n: int, rng: random.Random) -> list[str]:
    """Exactly the planned share of each status, in a seeded random order."""
    n_open = round(n * OPEN_SHARE)
    n_hold = round(n * ON_HOLD_SHARE)
    statuses = ["open"] * n_open + ["on_hold"] * n_hold + ["closed"] * (n - n_open - n_hold)
    rng.shuffle(statuses)
    return statuses


def client_reference(index: int, salt: int) -> str:
    """A unique reference for the ``index``-th client: multiplying by an odd number is a bijection
    on 40-bit numbers, so references never repeat yet look random (as ``new_client_reference``)."""
    value = (index * 0x9E3779B97 + salt) & (2**40 - 1)
    chars = "".join(_REF_ALPHABET[(value >> (5 * i)) & 31] for i in range(8))
    return f"CW-{chars[:4]}-{chars[4:]}"


class RowFactory:
    """Seeded rows for ``cases`` cases. Iterating gives ``Chunk``s in case order."""

    def __init__(self, *, layout: Layout, cases: int, seed: int, now: datetime) -> None:
        self.layout = layout
        self.n = cases
        self.seed = seed
        self.now = now.astimezone(UTC)
        self.zone = ZoneInfo("Europe/London")
        self.today = self.now.astimezone(self.zone).date()
        self.latest = self.now - timedelta(minutes=1)
        self.late_after = timedelta(hours=layout.note_time_scale_hours)
        self.org = layout.organisation_id
        self.next_id = dict(layout.first_ids)
        self.practitioners = [(p, team) for team in layout.teams for p in team.practitioners]
        self._noon: dict[date, datetime] = {}
        self._words = {code: texts.CASE_TYPE_TEXTS[code] for code in layout.case_types}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.clients_made = 0

    # -- ids and times ------------------------------------------------------------------------

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A London wall-clock time in UTC (daytime hours only, so one offset per day will do)."""
        noon = self._noon.get(day)
        if noon is None:
            noon = self._noon[day] = datetime.combine(day, time(12), tzinfo=self.zone).astimezone(UTC)
        return noon + timedelta(hours=hour - 12, minutes=minute)

    def before_now(self, moment: datetime) -> datetime:
        return moment if moment < self.latest else self.latest

    @staticmethod
    def weekday_on_or_after(day: date) -> date:
        weekday = day.weekday()
        return day + timedelta(days=7 - weekday) if weekday >= 5 else day

    @staticmethod
    def weekday_on_or_before(day: date) -> date:
        weekday = day.weekday()
        return day - timedelta(days=weekday - 4) if weekday >= 5 else day

    # -- the plan of cases ----------------------------------------------------------------------

    def heads(self) -> list[tuple[date, str, int]]:
        """(opened on, status, practitioner index) for every case, oldest referral first.

        Cases are dealt to practitioners round-robin within each status, so each carries the
        same number of open cases (give or take one).
        """
        rng = random.Random(f"{self.seed}:heads")
        today = self.today
        heads: list[tuple[date, str]] = []
        for status in _status_plan(self.n, rng):
            if status == "closed":
                age = rng.randint(40, HISTORY_DAYS)
            elif status == "on_hold":
                age = min(HISTORY_DAYS, 35 + int(rng.expovariate(1 / 120)))
            elif rng.random() < 0.03:
                age = rng.randint(0, 2)  # a new referral, perhaps not yet contacted
            else:
                age = min(HISTORY_DAYS, 3 + int(rng.expovariate(1 / 110)))
            opened = self.weekday_on_or_before(today - timedelta(days=age))
            heads.append((opened, status))
        heads.sort(key=lambda head: head[0])
        dealt: dict[str, int] = {}
        count = len(self.practitioners)
        planned = []
        for opened, status in heads:
            turn = dealt.get(status, 0)
            dealt[status] = turn + 1
            planned.append((opened, status, turn % count))
        return planned

    def __iter__(self) -> Iterator[Chunk]:
        heads = self.heads()
        for start in range(0, self.n, CHUNK_CASES):
            chunk = Chunk()
            rng = _FastRandom(f"{self.seed}:{start}")
            for index in range(start, min(self.n, start + CHUNK_CASES)):
                _CaseRows(self, chunk, rng, index, *heads[index]).write()
                chunk.cases += 1
            for table, rows in chunk.rows.items():
                self.counts[table] += len(rows)
            yield chunk

    # -- clients --------------------------------------------------------------------------------

    def client(
        self, chunk: Chunk, rng: _FastRandom, case_type: str, opened: date
    ) -> tuple[int, str, str, str]:
        """A new client's row; returns (id, first name, last name, town)."""
        dob, first, last, town, address, phone, email = client_details(rng, case_type, self.today)
        client_id = self._id("cases_client")
        reference = client_reference(self.clients_made, self.seed)
        self.clients_made += 1
        chunk.rows["cases_client"].append(
            (client_id, self.org, reference, first, last, dob, email, phone, address, self.at(opened, 9), 1)
        )
        return client_id, first, last, town


class _CaseRows:
    """One case and everything in it, appended to the chunk's rows."""

    def __init__(
        self,
        f: RowFactory,
        chunk: Chunk,
        rng: _FastRandom,
        index: int,
        opened: date,
        status: str,
        practitioner: int,
    ) -> None:
        self.f = f
        self.rows = chunk.rows
        self.chunk = chunk
        self.rng = rng
        self.index = index
        self.opened = opened
        self.status = status
        self.owner, team = f.practitioners[practitioner]
        self.supervisor = team.supervisor
        self.team_spec = TEAMS[team.spec]
        self.case_id = f._id("cases_case")
        self.org = f.org
        self.events: list[tuple[object, ...]] = []
        self.goals: list[list[Any]] = []  # mutable rows: status is settled at the end
        self.actions: list[list[Any]] = []
        self.notes_written = 0
        self.client_contacts: list[datetime] = []

    # -- the case -------------------------------------------------------------------------------

    def write(self) -> None:
        f, rng, today = self.f, self.rng, self.f.today
        case_type = rng.weighted(*_team_case_types(self.team_spec))
        words: CaseTypeTexts = f._words[case_type]
        self.words = words
        self.visits = case_type in HOME_VISIT_TYPES
        client_id, first, last, town = f.client(self.chunk, rng, case_type, self.opened)
        age = (today - self.opened).days
        closed_on = hold_on = None
        if self.status == "closed":
            closed_on = self.opened + timedelta(days=rng.randint(min(30, age - 1), min(age - 1, 300)))
            closed_on = max(self.opened, f.weekday_on_or_before(closed_on))
            end = closed_on
        elif self.status == "on_hold":
            hold_on = f.weekday_on_or_before(self.opened + timedelta(days=rng.randint(21, age - 2)))
            end = hold_on - timedelta(days=1)
        elif age > 50 and rng.random() < 0.12:
            end = today - timedelta(days=rng.randint(22, 45))  # drifting: nobody in touch for weeks
        else:
            end = today - timedelta(days=min(age, int(rng.expovariate(1 / 5))))
        self.closed_on, self.hold_on = closed_on, hold_on
        self.closed_at = f.at(closed_on, 17) if closed_on is not None else f.latest
        self.settle_by = closed_on or hold_on or today
        self.achieved = closed_on is not None and rng.random() < 0.75
        hearing_on = self.opened + timedelta(days=rng.randint(70, 120))
        context = _Fields({key: rng.choice(options) for key, options in words.vocabulary.items()})
        context.update(
            first=first,
            last=last,
            town=town,
            office=self.team_spec.office,
            practitioner=self.owner.first_name,
            supervisor=self.supervisor.display_name,
            opened=_long(self.opened),
            age=str(age),
            hearing_date=_long(hearing_on),
        )
        self.context = context
        created_at = f.at(self.opened, 9)
        self.created_at = created_at
        complexity = rng.weighted((1, 2, 3), (35, 80, 100))
        self.event("case_opened", created_at, self.owner.id, f"{case_type_name(case_type)} case opened", "{}")

        new_referral = self.status == "open" and age <= 2 and rng.random() < 0.6
        first_recorded = created_at + timedelta(minutes=20)
        last_review = self.opened
        if not new_referral:
            first_recorded, last_review = self.notes(end)
        flags = self.flags(first_recorded)
        if "safeguarding" in flags:
            complexity = 3
        self.deadlines(first_recorded, end)
        self.settle_goals()
        version = 1
        if self.status == "on_hold" and hold_on is not None:
            reason = rng.choice(texts.ON_HOLD_REASONS).format_map(context)
            self.status_event("on_hold", f.before_now(f.at(hold_on, 17, 10)), reason)
            version = 2
        if closed_on is not None:
            reason = "outcome achieved" if self.achieved else "closed without the outcome being achieved"
            self.status_event("closed", f.before_now(self.closed_at), reason)
            version = 2
        draw = rng.random()
        interval = 7 if draw < 0.08 else 28 if draw < 0.13 else None
        live = closed_on is None
        next_review = last_review + timedelta(days=REVIEW_EVERY_DAYS) if live else None
        self.rows["cases_case"].append(
            (
                self.case_id,
                self.org,
                client_id,
                f.layout.case_types[case_type],
                self.owner.id,
                self.status,
                self.opened,
                closed_on,
                rng.choice(words.required_outcomes).format_map(context),
                complexity,
                max(self.client_contacts, default=None),
                False,
                False,
                next_review,
                interval,
                version,
                created_at,
                f.latest,
            )
        )
        self.flush()

    def flush(self) -> None:
        rows = self.rows
        rows["cases_goal"].extend(tuple(goal) for goal in self.goals)
        rows["cases_action"].extend(tuple(action) for action in self.actions)
        self.events.sort(key=_event_time)
        rows["cases_caseevent"].extend(self.events)

    def event(self, code: str, at: datetime, actor: int, summary: str, data: str) -> None:
        self.events.append(
            (self.f._id("cases_caseevent"), self.org, self.case_id, code, actor, at, summary[:500], data)
        )

    def status_event(self, status: str, at: datetime, reason: str) -> None:
        label = "on hold" if status == "on_hold" else status
        self.event(
            "status_changed",
            at,
            self.owner.id,
            f"Case {label}: {reason}",
            f'{{"from": "open", "to": "{status}", "reason": "{_json_text(reason)}"}}',
        )

    # -- notes ----------------------------------------------------------------------------------

    def schedule(self, end: date) -> list[tuple[date, str]]:
        rng, opened = self.rng, self.opened
        plan: dict[date, str] = {opened: "first"}
        review = opened + timedelta(days=REVIEW_EVERY_DAYS)
        reviews = []
        while review < end:
            reviews.append(self.f.weekday_on_or_before(review))
            review += timedelta(days=REVIEW_EVERY_DAYS)
        for day in reviews[-MAX_REVIEW_NOTES:]:
            plan[day] = "review"
        if self.closed_on is not None:
            plan[self.closed_on] = "closing"
        span = (end - opened).days
        if span > 0:
            if end not in plan:
                plan[self.f.weekday_on_or_before(end)] = "contact"
            wanted = min(MAX_CONTACT_NOTES - 1, round(span / rng.uniform(11, 16)))
            for _ in range(wanted):
                day = self.f.weekday_on_or_after(opened + timedelta(days=rng.randint(1, span)))
                if day < end and day not in plan:
                    plan[day] = "contact"
        return sorted(plan.items())

    def notes(self, end: date) -> tuple[datetime, date]:
        """Writes the case's notes; returns when the first was recorded and the last review day."""
        first_recorded = None
        last_review = self.opened
        for day, kind in self.schedule(end):
            recorded = self.note(day, kind)
            if first_recorded is None:
                first_recorded = recorded
            if kind in ("first", "review"):
                last_review = day
        assert first_recorded is not None
        return first_recorded, last_review

    def contact_type(self, kind: str) -> str:
        rng = self.rng
        if kind == "first":
            return rng.weighted(MEETING_TYPES, (80, 92, 100))
        if kind in ("review", "closing"):
            return "case_review"
        return rng.weighted(*_MIX[self.visits])

    def note(self, day: date, kind: str) -> datetime:
        f, rng, context = self.f, self.rng, self.context
        contact_type = self.contact_type(kind)
        occurred = f.at(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        if occurred > f.latest:
            occurred = f.latest - timedelta(minutes=30)
        late = kind != "closing" and rng.random() < 0.07 and occurred < f.now - timedelta(days=6)
        delay = timedelta(hours=rng.randint(26, 100)) if late else timedelta(minutes=rng.randint(20, 300))
        recorded = max(occurred, f.before_now(occurred + delay))
        next_day = f.weekday_on_or_after(day + timedelta(days=rng.randint(7, 14)))
        fields = _Fields(context)
        fields.update(
            note_date=_long(day),
            recent_date=_long(day - timedelta(days=rng.randint(3, 12))),
            next_date=_day_name(next_day),
            next_time=rng.choice(("10:00", "11:30", "14:00", "15:30")),
        )
        author = self.owner
        if kind == "review" and rng.random() < 0.4:
            author = self.supervisor
        note_id = f._id("cases_casenote")
        actions = 0
        link_goals = False
        words = self.words
        if kind == "first" or contact_type in MEETING_TYPES:
            if kind == "first":
                self.new_goals(day, recorded)
                link_goals = True
                template = rng.choice(words.first_meetings)
                actions = rng.choice((2, 2, 3))
            else:
                template = rng.choice(words.meetings)
                actions = rng.weighted((0, 1, 2), (35, 80, 100))
            contact_type = MEETING_PLACES.get(template.where, contact_type)
            sections = meeting_sections(rng, contact_type, template, fields)
        elif contact_type == "phone":
            sections = plain_sections(rng.choice(words.phone_calls), fields)
            actions = 1 if rng.random() < 0.15 else 0
        elif contact_type == "email":
            sections = plain_sections(rng.choice(words.emails), fields)
        elif contact_type == "agency":
            sections = plain_sections(rng.choice(words.agency_contacts), fields)
        elif contact_type == "did_not_attend":
            sections = plain_sections(rng.choice(texts.DID_NOT_ATTEND), fields)
        else:
            sections = self.review(kind, day, fields)
        if actions:
            lines = [sections.get("actions_agreed", "")]
            for _ in range(actions):
                lines.append(self.new_action(day, recorded, author.id, note_id))
            sections["actions_agreed"] = "\n".join(line for line in lines if line)
        elif contact_type in MEETING_TYPES:
            sections["actions_agreed"] = rng.choice(texts.NO_NEW_ACTIONS).format_map(fields)
        if contact_type in ("face_to_face", "phone", "video", "home_visit") and rng.random() < 0.03:
            # As in the demo: now and then an opinion in the facts, for the fact check to find.
            sections["facts"] += " " + rng.choice(texts.OPINION_IN_FACTS).format_map(fields)
        missing = [code for code in f.layout.required_sections[contact_type] if not sections.get(code)]
        if missing:
            raise ValueError(f"A generated {contact_type} note lacks {missing}: a template is incomplete.")
        if contact_type in f.layout.client_contact_types:
            self.client_contacts.append(occurred)
        self.rows["cases_casenote"].append((note_id, self.org, self.case_id, author.id, recorded))
        is_late = recorded - occurred > f.late_after
        version_ids = [
            self.version(note_id, 1, contact_type, occurred, recorded, author.id, sections, "", is_late)
        ]
        amend_at = recorded + timedelta(hours=rng.randint(2, 120))
        if kind != "closing" and rng.random() < 0.05 and amend_at < f.latest:
            amended = dict(sections)
            amended["facts"] += words.left_out.format_map(fields)
            version_ids.append(
                self.version(
                    note_id,
                    2,
                    contact_type,
                    occurred,
                    amend_at,
                    author.id,
                    amended,
                    texts.AMENDMENT_LEFT_OUT,
                    is_late,
                )
            )
        if link_goals:
            links = self.rows["cases_noteversion_goals"]
            for version_id in version_ids:
                for goal in self.goals:
                    links.append((self.f._id("cases_noteversion_goals"), version_id, goal[0]))
        if kind == "closing":
            self.closed_at = recorded + timedelta(minutes=5)
        self.notes_written += 1
        return recorded

    def version(
        self,
        note_id: int,
        number: int,
        contact_type: str,
        occurred: datetime,
        recorded: datetime,
        author: int,
        sections: Mapping[str, str],
        reason: str,
        is_late: bool,
    ) -> int:
        version_id = self.f._id("cases_noteversion")
        get = sections.get
        self.rows["cases_noteversion"].append(
            (
                version_id,
                self.org,
                note_id,
                number,
                self.f.layout.contact_types[contact_type],
                occurred,
                recorded,
                author,
                get("facts", ""),
                get("client_view", ""),
                get("assessment", ""),
                get("actions_agreed", ""),
                get("decisions", ""),
                get("follow_up", ""),
                reason,
                is_late,
            )
        )
        return version_id

    def review(self, kind: str, day: date, fields: _Fields) -> dict[str, str]:
        contacts = self.client_contacts
        today = self.f.today
        open_actions = [a for a in self.actions if a[10] == "open"]
        counts = {
            "note_count": str(self.notes_written),
            "last_contact": _long(contacts[-1].astimezone(self.f.zone).date()) if contacts else "none yet",
            "open_actions": str(len(open_actions)),
            "overdue_actions": str(sum(1 for a in open_actions if a[9] < min(day, today))),
            "done_actions": str(sum(1 for a in self.actions if a[10] == "done")),
            "next_review": _long(day + timedelta(days=REVIEW_EVERY_DAYS)),
        }
        fields.update(counts)
        if kind == "closing":
            reasons = self.words.outcomes_achieved if self.achieved else texts.CLOSED_NOT_ACHIEVED
            fields["closing_reason"] = self.rng.choice(reasons).format_map(fields)
            template = texts.CLOSING_REVIEW if self.achieved else texts.CLOSING_REVIEW_NOT_ACHIEVED
        else:
            template = self.rng.choice(texts.CASE_REVIEWS)
        return plain_sections(template, fields)

    # -- goals and actions ------------------------------------------------------------------------

    def new_goals(self, day: date, created_at: datetime) -> None:
        rng = self.rng
        for template in rng.sample(self.words.goals, rng.choice((2, 2, 3))):
            goal_id = self.f._id("cases_goal")
            description = template.description.format_map(self.context)
            self.goals.append(
                [
                    goal_id,
                    self.org,
                    self.case_id,
                    description,
                    template.measure.format_map(self.context),
                    day + timedelta(weeks=template.weeks),
                    "open",
                    created_at,
                ]
            )
            self.event("goal_added", created_at, self.owner.id, description, f'{{"goal_id": {goal_id}}}')

    def settle_goals(self) -> None:
        f, rng = self.f, self.rng
        for goal in self.goals:
            target: date = goal[5]
            if self.closed_on is not None:
                goal[6] = "achieved" if self.achieved else "not_achieved"
            elif target < self.settle_by and rng.random() < 0.45:
                goal[6] = "achieved"
            else:
                continue
            at = f.before_now(max(goal[7] + timedelta(hours=1), f.at(min(target, self.settle_by), 16)))
            label = "achieved" if goal[6] == "achieved" else "not achieved"
            self.event("goal_updated", at, self.owner.id, f"{goal[3]}: {label}", f'{{"goal_id": {goal[0]}}}')

    def new_action(self, day: date, created_at: datetime, author: int, note_id: int) -> str:
        """Adds an action agreed at a note and returns its line for "actions agreed"."""
        f, rng, words = self.f, self.rng, self.words
        template = rng.choice(words.actions)
        kind = template.owner_kind
        description = template.description.format_map(self.context)
        owner_name = template.owner_name.format_map(self.context) if kind == "other" else ""
        assigned = self.owner.id if kind == "staff" else None
        due_on = day + timedelta(days=max(1, template.due_in_days + rng.randint(-1, 4)))
        goal_id = self.goals[rng.randrange(len(self.goals))][0] if self.goals and rng.random() < 0.6 else None
        action_id = f._id("cases_action")
        label = self.owner.display_name if kind == "staff" else "Client" if kind == "client" else owner_name
        self.event(
            "action_added",
            created_at,
            author,
            f"{description} (owner: {label}; due {_short(due_on)})",
            f'{{"action_id": {action_id}}}',
        )
        status, completed_on, changed_at = self.settle_action(due_on, created_at)
        self.actions.append(
            [
                action_id,
                self.org,
                self.case_id,
                goal_id,
                note_id,
                description,
                kind,
                assigned,
                owner_name,
                due_on,
                status,
                completed_on,
                author,
                created_at,
                changed_at or created_at,
                1 if changed_at is None else 2,
            ]
        )
        if changed_at is not None:
            label_done = "done" if status == "done" else "cancelled"
            self.event(
                "action_updated",
                changed_at,
                self.owner.id,
                f"{description}: marked {label_done}",
                f'{{"action_id": {action_id}, "changes": {{"status": ["open", "{status}"]}}}}',
            )
        return f"- {description} (owner: {label}; due {_short(due_on)})"

    def settle_action(self, due_on: date, created_at: datetime) -> tuple[str, date | None, datetime | None]:
        """Done, cancelled or still open (perhaps overdue), as in the demo's ``settle_action``."""
        f, rng, settle_by = self.f, self.rng, self.settle_by
        closed = self.closed_on is not None
        created_on = created_at.astimezone(f.zone).date()
        status = "open"
        changed_on = settle_by
        if due_on <= settle_by:
            draw = rng.random()
            if draw < 0.8:
                status = "done"
                latest = min(due_on + timedelta(days=3), settle_by)
                changed_on = created_on + timedelta(days=rng.randint(0, max(0, (latest - created_on).days)))
            elif draw < 0.87 or closed:
                status = "cancelled"
                changed_on = min(due_on + timedelta(days=2), settle_by)
        elif closed:
            status = "cancelled"
        elif rng.random() < 0.15 and created_on < settle_by:
            status = "done"
            changed_on = created_on + timedelta(days=rng.randint(0, (settle_by - created_on).days))
        if status == "open":
            return status, None, None
        changed_at = f.before_now(max(f.at(changed_on, 16, 30), created_at + timedelta(minutes=30)))
        return status, changed_on if status == "done" else None, changed_at

    # -- flags and deadlines ------------------------------------------------------------------------

    def flags(self, first_recorded: datetime) -> set[str]:
        f, rng = self.f, self.rng
        raised: set[str] = set()
        for code, chance in self.words.flag_chances.items():
            if rng.random() >= chance:
                continue
            # Most flags are raised at the first meeting; some later, as things come to light.
            at = first_recorded
            if rng.random() < 0.3:
                span = max(0, ((self.closed_on or self.hold_on or f.today) - self.opened).days)
                at = max(
                    first_recorded, f.before_now(f.at(self.opened + timedelta(days=rng.randint(0, span)), 11))
                )
            detail = rng.choice(texts.FLAG_DETAILS[code]).format_map(
                _Fields(self.context, note_date=_long(at.astimezone(f.zone).date()))
            )
            cleared_at = None
            if self.achieved and code in texts.FLAGS_CLEARED_ON_CLOSURE:
                cleared_at = f.before_now(self.closed_at)
            flag_id = f._id("cases_caseflag")
            self.rows["cases_caseflag"].append(
                (flag_id, self.org, self.case_id, code, detail, at, self.owner.id, cleared_at)
            )
            label = _FLAG_LABELS.get(code, code)
            self.event(
                "flag_raised",
                at,
                self.owner.id,
                f"{label}: {detail}",
                f'{{"flag_id": {flag_id}, "code": "{code}"}}',
            )
            if cleared_at is not None:
                self.event(
                    "flag_cleared",
                    cleared_at,
                    self.owner.id,
                    f"{label} cleared",
                    f'{{"flag_id": {flag_id}, "code": "{code}"}}',
                )
            raised.add(code)
        return raised

    def deadlines(self, created_at: datetime, end: date) -> None:
        f, rng, words = self.f, self.rng, self.words
        count = 0 if rng.random() < 0.45 else (2 if rng.random() < 0.25 else 1)
        planned = [
            (t, self.opened + timedelta(days=t.due_in_days + rng.randint(-5, 12)))
            for t in rng.sample(words.deadlines, count)
        ]
        if self.closed_on is None and self.status == "open" and rng.random() < 0.3:
            # A deadline still ahead (or just missed) on a live case.
            planned.append((rng.choice(words.deadlines), f.today + timedelta(days=rng.randint(-3, 40))))
        for template, due_on in planned:
            met_on = None
            if due_on <= end and due_on < f.today and rng.random() < 0.85:
                met_on = max(self.opened, due_on - timedelta(days=rng.randint(0, 6)))
            elif self.closed_on is not None:
                met_on = max(self.opened, min(due_on, self.closed_on))
            description = template.description.format_map(self.context)[:300]
            deadline_id = f._id("cases_deadline")
            self.rows["cases_deadline"].append(
                (deadline_id, self.org, self.case_id, template.kind, description, due_on, met_on)
            )
            self.event(
                "deadline_added",
                created_at,
                self.owner.id,
                f"{description} (due {_short(due_on)})",
                f'{{"deadline_id": {deadline_id}}}',
            )
            if met_on is not None:
                self.event(
                    "deadline_met",
                    f.before_now(max(created_at, f.at(met_on, 12))),
                    self.owner.id,
                    f"{description}: met",
                    f'{{"deadline_id": {deadline_id}}}',
                )


def _event_time(row: Sequence[object]) -> datetime:
    return row[5]  # type: ignore[return-value]


def _json_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def case_type_name(code: str) -> str:
    return CASE_TYPE_NAMES.get(code, code)


def _team_case_types(team: Any) -> tuple[tuple[str, ...], tuple[float, ...]]:
    found = _TEAM_CASE_TYPES.get(team.name)
    if found is not None:
        return found
    keys = tuple(team.case_types)
    running, cumulative = 0.0, []
    for key in keys:
        running += team.case_types[key]
        cumulative.append(running)
    found = _TEAM_CASE_TYPES[team.name] = keys, tuple(cumulative)
    return found


def _mix(visits: bool) -> tuple[tuple[str, ...], tuple[float, ...]]:
    mix = dict(CONTACT_MIX)
    if visits:
        mix["home_visit"] = 8
    running, cumulative = 0.0, []
    for weight in mix.values():
        running += weight
        cumulative.append(running)
    return tuple(mix), tuple(cumulative)


_TEAM_CASE_TYPES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
_MIX = {False: _mix(False), True: _mix(True)}
