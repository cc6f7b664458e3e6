"""Writing one case's notes: the schedule of contacts, each note's sections, the goals and
actions agreed in them, and the odd amendment (PC1, PC9, PC17; K4, K5).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from casework.accounts.models import User
from casework.cases import rules
from casework.cases.models import ActionOwner, GoalStatus
from casework.cases.services import ActionInput, _actions_summary
from casework.demo import texts
from casework.demo.specs import (
    ActionSpec,
    CaseSpec,
    ClientSpec,
    ContactRule,
    EventSpec,
    GoalSpec,
    NoteSpec,
    VersionSpec,
    day_name,
    long_date,
    next_weekday,
    owner_label,
    previous_weekday,
    weekdays,
)
from casework.demo.texts import CaseTypeTexts, NoteTemplate


class Planner(Protocol):
    """What a NotesWriter needs of ``plan.Planner``, which creates it (a Protocol, so the two
    modules do not import each other)."""

    rng: random.Random
    zone: ZoneInfo
    now: datetime
    time_scale: timedelta
    contact_rules: Mapping[str, ContactRule]
    staff_users: dict[str, User]

    def phone(self) -> str: ...

    def at(self, day: date, hour: int, minute: int = 0) -> datetime: ...

    def before_now(self, moment: datetime) -> datetime: ...

    def weighted(self, weights: Mapping[str, float]) -> str: ...

    def settle_action(self, spec: CaseSpec, index: int, settle_by: date) -> None: ...


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
MEETING_PLACES = {"office": "face_to_face", "own": "face_to_face", "home": "home_visit"}
REVIEW_EVERY_DAYS = 42


def meeting_sections(
    rng: random.Random, contact_type: str, template: NoteTemplate, fields: Mapping[str, str]
) -> dict[str, str]:
    """The sections of a meeting note (face to face, video or home visit), filled in; the
    facts open with where it happened. (Also used by ``casework.demo.scale_rows``.)"""
    assessment = template.assessment
    if contact_type == "face_to_face" and rng.random() < 0.3:
        assessment = ""
    if contact_type == "home_visit" and not assessment:
        assessment = texts.HOME_VISIT_ASSESSMENT
    sections = {
        "facts": template.facts
        if template.where == "own"
        else f"{rng.choice(texts.MEETING_OPENINGS[contact_type])} {template.facts}",
        "client_view": template.client_view,
        "assessment": assessment,
        "actions_agreed": template.actions_agreed or rng.choice(texts.ACTIONS_INTRO),
        "follow_up": template.follow_up or rng.choice(texts.FOLLOW_UPS),
    }
    return {code: text.format_map(fields) for code, text in sections.items() if text}


def plain_sections(template: NoteTemplate, fields: Mapping[str, str]) -> dict[str, str]:
    """The sections of any other note, filled in; empty ones left out."""
    sections = {
        "facts": template.facts,
        "client_view": template.client_view,
        "assessment": template.assessment,
        "decisions": template.decisions,
        "follow_up": template.follow_up,
    }
    return {code: text.format_map(fields) for code, text in sections.items() if text}


class NotesWriter:
    """Writes one case's notes in date order, with the goals and actions agreed in them."""

    def __init__(
        self,
        planner: Planner,
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
            plan[previous_weekday(review)] = "review"
            review += timedelta(days=REVIEW_EVERY_DAYS)
        if spec.closed_on is not None:
            plan[spec.closed_on] = "closing"
        free = [d for d in weekdays(spec.opened_on + timedelta(days=1), self.end) if d not in plan]
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
        next_day = next_weekday(day + timedelta(days=rng.randint(7, 14)))
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
        if kind == "first" or contact_type in MEETING_TYPES:
            if kind == "first":
                goals = self.goals(day, recorded_at)
                template = self.template("first", self.words.first_meetings)
                count = rng.choice([2, 2, 3])
            else:
                template = self.template("meeting", self.words.meetings, ordered=True)
                count = rng.choices([0, 1, 2], weights=[35, 45, 20])[0]
            # A meeting that can only have happened in one kind of place is recorded as that kind.
            contact_type = MEETING_PLACES.get(template.where, contact_type)
            sections = self.meeting(contact_type, template, fields)
            actions = self.actions(day, recorded_at, author, count)
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
        return meeting_sections(self.rng, contact_type, template, fields)

    def plain(self, template: NoteTemplate, fields: Mapping[str, str]) -> dict[str, str]:
        return plain_sections(template, fields)

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
            spec.next_review_on = day + timedelta(days=REVIEW_EVERY_DAYS)
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
            label = owner_label(kind, action.assigned_to, action.owner_name)
            due = rules.short_date(action.due_on)
            # As ``_action_create`` records it.
            spec.events.append(
                EventSpec(
                    code="action_added",
                    at=created_at,
                    actor=author,
                    summary=f"{action.description} (owner: {label}; due {due})"[:500],
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
