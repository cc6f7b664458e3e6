"""Planning the demo organisation: a seeded random choice of clients and cases (no database).

Every choice comes from one ``random.Random(seed)``, consumed in a fixed order, and every
date is an offset from the reference time, so one seed and one reference time always give
the same plan.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from casework.accounts.models import Role, User
from casework.cases import rules
from casework.cases.models import _REF_ALPHABET, ActionStatus, CaseStatus, DeadlineKind, FlagCode, GoalStatus
from casework.demo import texts
from casework.demo.notes import REVIEW_EVERY_DAYS, NotesWriter
from casework.demo.specs import (
    CASE_TYPE_NAMES,
    DEFAULT_CLIENTS,
    DEFAULT_CONTACT_RULES,
    DEFAULT_SEED,
    HISTORY_DAYS,
    STAFF,
    STAFF_BY_USERNAME,
    TEAMS,
    CaseSpec,
    ClientSpec,
    ContactRule,
    DeadlineSpec,
    DemoPlan,
    EventSpec,
    FlagSpec,
    age_on,
    long_date,
    next_weekday,
    previous_weekday,
)
from casework.demo.texts import CaseTypeTexts

# Ages of a case type's clients, in years.
CLIENT_AGES = {
    "youth": (16, 19),
    "careers": (16, 18),
    "employment": (18, 62),
    "housing": (19, 70),
    "welfare": (24, 81),
}


class ClientDetails(NamedTuple):
    date_of_birth: date
    first_name: str
    last_name: str
    town: str
    address: str
    phone: str
    email: str


def client_details(rng: random.Random, case_type: str, today: date) -> ClientDetails:
    """A made-up client of a case type: a first name that suits the age, an address in one of
    the invented towns, a phone number in Ofcom's drama range, often an example.com e-mail.
    (Also used by ``casework.demo.scale_rows``.)"""
    low, high = CLIENT_AGES[case_type]
    date_of_birth = today - timedelta(days=rng.randint(low * 365 + 30, high * 365 + 300))
    age = (today - date_of_birth).days // 365
    names: tuple[str, ...] = texts.OTHER_FIRST_NAMES
    if age < 45:
        names += texts.YOUNGER_FIRST_NAMES
    if age >= 35:
        names += texts.OLDER_FIRST_NAMES
    first = rng.choice(names)
    last = rng.choice(texts.CLIENT_LAST_NAMES)
    town, district = rng.choice(texts.TOWNS)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    address = "\n".join(
        [
            f"{rng.choice(texts.ADDRESS_PREFIXES)}{rng.randint(1, 120)} {rng.choice(texts.STREETS)}",
            town,
            f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}",
        ]
    )
    # Ofcom's drama range, so no number in the demo can ring a real person.
    phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.9 else ""
    email = ""
    if rng.random() < 0.7:
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}{rng.randint(1, 99)}@{rng.choice(['example.com', 'example.org'])}"
    return ClientDetails(date_of_birth, first, last, town, address, phone, email)


class Planner:
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
        self.caseloads: dict[tuple[str, bool], int] = {}
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
        return f"07700 900{self.rng.randint(0, 999):03d}"

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
        person = client_details(self.rng, case_type, self.today)
        return ClientSpec(
            reference=self.reference(),
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            phone=person.phone,
            email=person.email,
            address=person.address,
            created_at=self.at(first_opened, 9, 0),
            town=person.town,
        )

    # The plan ---------------------------------------------------------------------------------

    def plan(self) -> DemoPlan:
        rng = self.rng
        clients: list[ClientSpec] = []
        cases: list[CaseSpec] = []
        returning = max(1, round(self.client_count * 0.03))
        for index in range(self.client_count):
            team = index % len(TEAMS)  # referrals come to both teams alike
            case_type = self.weighted(TEAMS[team].case_types)
            if index < returning:
                # A client who came back: an earlier case, closed, then a new one.
                earlier_type = self.weighted(TEAMS[team].case_types)
                earlier_open = next_weekday(self.today - timedelta(days=rng.randint(150, HISTORY_DAYS)))
                earlier_close = previous_weekday(earlier_open + timedelta(days=rng.randint(45, 80)))
                opened_on = next_weekday(earlier_close + timedelta(days=rng.randint(10, 35)))
                client = self.client(earlier_type, earlier_open)
                clients.append(client)
                cases.append(
                    self.case(index, client, team, earlier_type, earlier_open, closed_on=earlier_close)
                )
                cases.append(self.case(index, client, team, case_type, opened_on, status=CaseStatus.OPEN))
                continue
            if rng.random() < 0.025:
                opened_on = previous_weekday(self.today - timedelta(days=rng.randint(0, 2)))
            else:
                opened_on = next_weekday(self.today - timedelta(days=rng.randint(3, HISTORY_DAYS)))
                if opened_on >= self.today:
                    opened_on = previous_weekday(self.today - timedelta(days=3))
            client = self.client(case_type, opened_on)
            clients.append(client)
            cases.append(self.case(index, client, team, case_type, opened_on))
        return DemoPlan(seed=self.seed, now=self.now, clients=clients, cases=cases)

    def owner_for(self, team: int, status: str) -> str:
        """Deal cases to whoever in the team has fewest, as a team leader would: open and closed
        cases are dealt separately, so everyone carries a similar live caseload (about 45)."""
        practitioners = [m.username for m in STAFF if m.team == team and m.role == Role.PRACTITIONER]
        closed = status == CaseStatus.CLOSED
        fewest = min(self.caseloads.get((u, closed), 0) for u in practitioners)
        owner = self.rng.choice([u for u in practitioners if self.caseloads.get((u, closed), 0) == fewest])
        self.caseloads[owner, closed] = fewest + 1
        return owner

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
        supervisor = next(m for m in STAFF if m.team == team and m.role == Role.SUPERVISOR)
        age = (self.today - opened_on).days
        hold_on: date | None = None
        if closed_on is not None:
            status = CaseStatus.CLOSED
        elif status is None:
            draw = rng.random()
            if age >= 45 and draw < 0.13:
                status = CaseStatus.CLOSED
                closed_on = previous_weekday(opened_on + timedelta(days=rng.randint(35, age - 2)))
            elif age >= 30 and draw < 0.2:
                status = CaseStatus.ON_HOLD
                hold_on = previous_weekday(opened_on + timedelta(days=rng.randint(21, age - 2)))
            else:
                status = CaseStatus.OPEN
        owner = self.owner_for(team, status)
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
            age=str(age_on(client.date_of_birth, opened_on)),
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
        writer = NotesWriter(
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
        if status == CaseStatus.CLOSED:
            spec.next_review_on = None
        elif spec.next_review_on is None:
            spec.next_review_on = opened_on + timedelta(days=REVIEW_EVERY_DAYS)
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
            why = texts.FLAGS_CLEARED_ON_CLOSURE.get(flag.code)
            if achieved and why:
                flag.cleared_at = at
                # As ``flag_clear`` records it.
                spec.events.append(
                    EventSpec(
                        code="flag_cleared",
                        at=at,
                        actor=spec.owner,
                        summary=f"{FlagCode(flag.code).label} cleared: {why}",
                        data={"code": flag.code},
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
            # As ``flag_raise`` records it.
            spec.events.append(
                EventSpec(
                    code="flag_raised",
                    at=raised_at,
                    actor=spec.owner,
                    summary=f"{FlagCode(code).label}: {detail}"[:500],
                    data={"code": code},
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
            # As ``deadline_add`` and ``deadline_meet`` record them.
            kind = DeadlineKind(template.kind).label
            spec.events.append(
                EventSpec(
                    code="deadline_added",
                    at=created_at,
                    actor=spec.owner,
                    summary=f"{kind} deadline: {deadline.description}, due {rules.short_date(due_on)}"[:500],
                    ref=("deadline", index),
                )
            )
            if met_on is not None:
                spec.events.append(
                    EventSpec(
                        code="deadline_met",
                        at=self.before_now(max(created_at, self.at(met_on, 12, 0))),
                        actor=spec.owner,
                        summary=f"Deadline met: {deadline.description}"[:500],
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


def plan_demo(
    *,
    now: datetime,
    seed: int = DEFAULT_SEED,
    clients: int = DEFAULT_CLIENTS,
    note_time_scale_hours: int = 24,
    contact_rules: Mapping[str, ContactRule] | None = None,
) -> DemoPlan:
    """The demo data as plain values: the same arguments always give the same plan."""
    return Planner(
        seed=seed,
        clients=clients,
        now=now,
        note_time_scale_hours=note_time_scale_hours,
        contact_rules=contact_rules or DEFAULT_CONTACT_RULES,
    ).plan()
