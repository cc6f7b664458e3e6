"""The priority engine: facts about a case + criteria + settings + now -> an assessment.

Serves PC7 (criteria for setting priorities, as data), PC8 (assess cases against them), PC9 (the
deadline to act on next), PC10 (high-priority cases: the red band), PC14 (cases past their time
scale) and PC15 (a clear rationale); K14-K16 and K19.

Pure Python, no Django import: the Django side turns rows into ``CaseFacts`` and ``Criterion``
values and stores or shows the ``Assessment`` that comes back.

How a case is scored
--------------------
* Each **criterion** that fires adds its points to the **score** and says why in one plain
  sentence (a ``Reason``). The rationale's points always add up to the score exactly.
* A criterion counts towards **urgency**, **importance** or **both**. Urgency and importance are
  the sums of points on each axis; comparing them with the organisation's two thresholds places
  the case in a **quadrant** ("Do now", "Plan", "Act soon", "Monitor").
* The score places the case in a **band**: red at or above ``red_threshold``, amber at or above
  ``amber_threshold``, green below.
* Points are never negative and every criterion fires on "more risk" or "less time", so adding a
  flag, moving a deadline closer or letting time pass without contact never lowers a score.
* **Time scales** (first contact, contact interval, case review) are organisation settings and
  are checked for every case whatever the criteria say, so "past their time scale" (PC14) never
  depends on how an administrator weighted them. Time scales can depend on risk: with an active
  risk flag the first contact is due within ``first_contact_working_hours_at_risk`` working
  hours of the flag being raised, and contact every ``contact_interval_days_at_risk`` days.
* A closed case is not prioritised: it scores 0, green, with one zero-point reason saying so.
  An on-hold case is assessed, but its first-contact and contact time scales are paused (unless
  ``pause_time_scales_on_hold`` is off); deadlines and reviews still count.

Facts describe the present: pass only active flags, unmet deadlines and open actions. The engine
works out from ``now`` which of those are overdue, so an assessment computed at read time is
always current, with no need to re-save a case as deadlines draw near.

Speed
-----
``Engine`` validates and compiles the criteria once. For each distinct ``now`` it precomputes
date thresholds ("a deadline due on or before 12 June is within 5 working days"; "a case opened
before 9 June is past its first-contact time scale"), so assessing one case is mostly date
comparisons; working-day counts (O(1) through the calendar's table) are only taken to word a
sentence. Outputs are ``NamedTuple`` values: immutable like frozen dataclasses, but about four
times cheaper to build, which matters at hundreds of thousands of assessments a second.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import ceil
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from casework.priorities.calendar import WorkingCalendar, default_calendar

# -- vocabularies -------------------------------------------------------------------------------

CLOSED = "closed"
ON_HOLD = "on_hold"

RISK = "risk"
VULNERABILITY = "vulnerability"
FLAG_KINDS = (RISK, VULNERABILITY)

DEADLINE_LABELS: dict[str, str] = {
    "statutory": "statutory deadline",
    "agreed": "agreed deadline",
    "internal": "service deadline",
}
DEADLINE_KINDS = tuple(DEADLINE_LABELS)

URGENCY = "urgency"
IMPORTANCE = "importance"
BOTH = "both"
AXES = (URGENCY, IMPORTANCE, BOTH)

RED, AMBER, GREEN = "red", "amber", "green"
BAND_LABELS: dict[str, str] = {RED: "Red", AMBER: "Amber", GREEN: "Green"}

URGENT_IMPORTANT = "urgent_important"
IMPORTANT_NOT_URGENT = "important_not_urgent"
URGENT_NOT_IMPORTANT = "urgent_not_important"
NEITHER = "neither"
QUADRANT_LABELS: dict[str, str] = {
    URGENT_IMPORTANT: "Do now",
    IMPORTANT_NOT_URGENT: "Plan",
    URGENT_NOT_IMPORTANT: "Act soon",
    NEITHER: "Monitor",
}
# Indexed by urgent * 2 + important.
_QUADRANTS = (NEITHER, IMPORTANT_NOT_URGENT, URGENT_NOT_IMPORTANT, URGENT_IMPORTANT)

FIRST_CONTACT = "first_contact"
CONTACT = "contact"
REVIEW = "review"
TIME_SCALE_LABELS: dict[str, str] = {
    FIRST_CONTACT: "First contact",
    CONTACT: "Contact",
    REVIEW: "Case review",
}

COMPLEXITY_LABELS: dict[int, str] = {1: "low", 2: "medium", 3: "high"}


# -- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagFact:
    """An active risk or vulnerability flag. ``label`` is how people say it ("Safeguarding concern")."""

    code: str
    kind: str  # "risk" or "vulnerability"
    raised_at: datetime
    label: str = ""

    @property
    def phrase(self) -> str:
        """The label as it reads mid-sentence: "safeguarding concern" (acronyms keep their case)."""
        label = self.label or self.code.replace("_", " ")
        if len(label) > 1 and label[1].isupper():
            return label
        return label[:1].lower() + label[1:]


@dataclass(frozen=True, slots=True)
class DeadlineFact:
    """An unmet deadline on a case."""

    kind: str  # "statutory", "agreed" or "internal"
    description: str
    due_on: date


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the engine needs to know about one case, as of now.

    ``last_contact_at`` is the last contact with the client; ``None`` means there has been none
    yet, so the case is awaiting first contact. ``open_action_due_dates`` are the due dates of the
    case's open (not done, not cancelled) actions. ``contact_interval_days`` overrides the
    organisation's contact time scale for this case (``None``: use the organisation's).
    """

    case_id: int | str
    opened_on: date
    status: str = "open"
    complexity: int = 2
    flags: tuple[FlagFact, ...] = ()
    deadlines: tuple[DeadlineFact, ...] = ()
    last_contact_at: datetime | None = None
    open_action_due_dates: tuple[date, ...] = ()
    next_review_due: date | None = None
    contact_interval_days: int | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    """One organisation-defined priority criterion (PC7, K14). See ``CRITERION_KINDS`` for kinds."""

    id: int | str
    name: str
    kind: str
    points: int
    axis: str = URGENCY
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """An organisation's band thresholds, quadrant thresholds, time scales and calendar."""

    red_threshold: int = 50
    amber_threshold: int = 20
    urgency_threshold: int = 20
    importance_threshold: int = 15
    first_contact_working_days: int = 2
    # With an active risk flag; None: the same time scale as without.
    first_contact_working_hours_at_risk: float | None = 1
    contact_interval_days: int = 14
    contact_interval_days_at_risk: int | None = 7
    pause_time_scales_on_hold: bool = True
    calendar: WorkingCalendar = field(default_factory=default_calendar, compare=False)


# -- outputs ------------------------------------------------------------------------------------


class Reason(NamedTuple):
    """One criterion that fired: what it added, and why, in a sentence (PC15)."""

    criterion_id: int | str | None
    criterion_name: str
    kind: str
    axis: str
    points: int
    sentence: str


class NextDeadline(NamedTuple):
    """The case's nearest unmet deadline (PC9).

    ``working_days_left`` counts as ``working_days_between(today, due_on)``; ``days_left`` is in
    calendar days and is negative once the deadline is overdue.
    """

    kind: str
    description: str
    due_on: date
    working_days_left: int
    days_left: int

    @property
    def sentence(self) -> str:
        """In words: "statutory deadline (Mandatory reconsideration) in 3 working days"."""
        return _deadline_phrase(
            self.kind, self.description, self.due_on, self.working_days_left, self.days_left
        )


class Assessment(NamedTuple):
    """A case's priority: score, band, quadrant and the rationale for them (PC8, PC10, PC15).

    ``past_time_scale`` names the time scales the case has missed (``"first_contact"``,
    ``"contact"``, ``"review"``), whatever its band (PC14).
    """

    case_id: int | str
    score: int
    band: str
    quadrant: str
    urgency: int
    importance: int
    rationale: tuple[Reason, ...]
    past_time_scale: tuple[str, ...]
    next_deadline: NextDeadline | None

    @property
    def summary(self) -> str:
        """The reasons in one line: "safeguarding concern raised 2 days ago; statutory deadline ..."."""
        return "; ".join(reason.sentence for reason in self.rationale)

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]

    @property
    def quadrant_label(self) -> str:
        return QUADRANT_LABELS[self.quadrant]

    @property
    def sort_key(self) -> tuple[int, int, int, int | str]:
        """Queue order: highest score first, then most urgent, then nearest deadline, then case."""
        due = self.next_deadline.due_on.toordinal() if self.next_deadline else date.max.toordinal()
        return (-self.score, -self.urgency, due, self.case_id)


# -- criterion kinds and their parameters -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter of a criterion kind, described well enough for an editor to render a field.

    ``type`` is ``"int"``, ``"bool"``, ``"flag_codes"`` (a list of flag codes) or
    ``"deadline_kinds"`` (a list drawn from ``DEADLINE_KINDS``).
    """

    name: str
    label: str
    type: str
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class CriterionKind:
    code: str
    label: str
    help: str
    params: tuple[ParamSpec, ...] = ()


_PER_FLAG = ParamSpec(
    "per_flag", "Points for each flag", "bool", help="Add the points once for each matching flag."
)
_FLAG_CAP = ParamSpec(
    "max_points", "Most points", "int", minimum=0, help="With points for each flag: never add more than this."
)

CRITERION_KINDS: dict[str, CriterionKind] = {
    kind.code: kind
    for kind in (
        CriterionKind(
            "flag",
            "Flag raised",
            "Fires while any of the listed flags is active on the case (for example a safeguarding concern).",
            (
                ParamSpec("codes", "Flags", "flag_codes", required=True, help="The flag codes that count."),
                _PER_FLAG,
                _FLAG_CAP,
            ),
        ),
        CriterionKind(
            "vulnerability",
            "Vulnerability",
            "Fires while the case has any active vulnerability flag (or one of the listed ones).",
            (
                ParamSpec(
                    "codes", "Only these flags", "flag_codes", help="Leave empty for any vulnerability."
                ),
                _PER_FLAG,
                _FLAG_CAP,
            ),
        ),
        CriterionKind(
            "deadline_within",
            "Deadline drawing near",
            "Fires when an unmet deadline of the listed kinds is due within the number of working days, "
            "or is overdue. With scaling, the points grow as the deadline draws nearer and are in full "
            "from the day it is due.",
            (
                ParamSpec("deadline_kinds", "Kinds of deadline", "deadline_kinds", required=True),
                ParamSpec(
                    "working_days", "Within (working days)", "int", required=True, minimum=0, maximum=365
                ),
                ParamSpec("scaled", "Scale points by nearness", "bool"),
            ),
        ),
        CriterionKind(
            "contact_overdue",
            "Contact overdue",
            "Fires when the days since the last contact exceed the case's contact time scale.",
        ),
        CriterionKind(
            "awaiting_first_contact",
            "Awaiting first contact",
            "Fires when a case has had no contact within its first-contact time scale: working days "
            "from referral, or working hours from a risk flag being raised.",
        ),
        CriterionKind(
            "review_overdue",
            "Case review overdue",
            "Fires when the case's next review date has passed.",
        ),
        CriterionKind(
            "overdue_actions",
            "Overdue actions",
            "Adds the points for each open action past its due date.",
            (ParamSpec("max_points", "Most points", "int", minimum=0, help="Never add more than this."),),
        ),
        CriterionKind(
            "complexity",
            "Complexity",
            "Fires when the case's complexity is at or above a level (1 low, 2 medium, 3 high).",
            (ParamSpec("min_level", "From level", "int", required=True, minimum=1, maximum=3),),
        ),
    )
}


class InvalidCriteria(ValueError):
    """Criteria or settings the engine cannot use; ``errors`` says what is wrong, in plain words."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_criterion(
    kind: str,
    params: Mapping[str, Any],
    points: object,
    axis: str,
    *,
    known_flag_codes: Collection[str] | None = None,
) -> list[str]:
    """What is wrong with a criterion, as messages for the criteria editor; empty when it is valid."""
    errors: list[str] = []
    if not (isinstance(points, int) and not isinstance(points, bool) and points >= 0):
        errors.append("Points must be a whole number, 0 or more.")
    if axis not in AXES:
        errors.append("A criterion counts towards urgency, importance or both.")
    spec = CRITERION_KINDS.get(kind)
    if spec is None:
        errors.append(f"There is no kind of criterion called {kind!r}.")
        return errors
    if not isinstance(params, Mapping):
        errors.append("Parameters must be a set of named values.")
        return errors
    allowed = {p.name: p for p in spec.params}
    for name in params:
        if name not in allowed:
            errors.append(f"{spec.label} has no setting called {name!r}.")
    for p in spec.params:
        value = params.get(p.name)
        if value is None:
            if p.required:
                errors.append(f"{p.label}: required.")
            continue
        errors.extend(_param_errors(p, value, known_flag_codes))
    if kind in ("flag", "vulnerability") and "max_points" in params and not params.get("per_flag"):
        errors.append("Most points only applies with points for each flag.")
    return errors


def _param_errors(p: ParamSpec, value: object, known_flag_codes: Collection[str] | None) -> list[str]:
    if p.type == "int":
        if not _is_int(value):
            return [f"{p.label}: give a whole number."]
        assert isinstance(value, int)
        if p.minimum is not None and value < p.minimum:
            return [f"{p.label}: must be {p.minimum} or more."]
        if p.maximum is not None and value > p.maximum:
            return [f"{p.label}: must be {p.maximum} or less."]
        return []
    if p.type == "bool":
        return [] if isinstance(value, bool) else [f"{p.label}: give yes or no."]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        return [f"{p.label}: give a list of codes."]
    if p.required and not value:
        return [f"{p.label}: choose at least one."]
    known = DEADLINE_KINDS if p.type == "deadline_kinds" else known_flag_codes
    if known is not None:
        unknown = [v for v in value if v not in known]
        if unknown:
            return [f"{p.label}: unknown {', '.join(repr(v) for v in unknown)}."]
    return []


def validate_settings(settings: EngineSettings) -> list[str]:
    """What is wrong with an organisation's engine settings; empty when they are valid."""
    errors = []
    if not (_is_int(settings.amber_threshold) and settings.amber_threshold >= 1):
        errors.append("The amber threshold must be a whole number, 1 or more.")
    elif not (_is_int(settings.red_threshold) and settings.red_threshold >= settings.amber_threshold):
        errors.append("The red threshold must be a whole number no lower than the amber threshold.")
    for name in ("urgency_threshold", "importance_threshold", "contact_interval_days"):
        value = getattr(settings, name)
        if not (_is_int(value) and value >= 1):
            errors.append(f"{name.replace('_', ' ').capitalize()} must be a whole number, 1 or more.")
    if not (_is_int(settings.first_contact_working_days) and settings.first_contact_working_days >= 0):
        errors.append("First contact working days must be a whole number, 0 or more.")
    hours = settings.first_contact_working_hours_at_risk
    if hours is not None and not (isinstance(hours, int | float) and hours > 0):
        errors.append("First contact working hours at risk must be more than 0.")
    days = settings.contact_interval_days_at_risk
    if days is not None and not (_is_int(days) and days >= 1):
        errors.append("Contact interval days at risk must be a whole number, 1 or more.")
    return errors


# -- defaults -----------------------------------------------------------------------------------


def default_criteria() -> tuple[Criterion, ...]:
    """A sensible starting set, seeded for a new organisation and editable by its administrator."""
    return (
        Criterion("safeguarding", "Safeguarding concern", "flag", 50, BOTH, {"codes": ["safeguarding"]}),
        Criterion(
            "risk_of_harm",
            "Risk of harm",
            "flag",
            40,
            BOTH,
            {"codes": ["risk_to_self", "risk_to_others", "domestic_abuse"]},
        ),
        Criterion(
            "statutory_deadline",
            "Statutory deadline within 5 working days",
            "deadline_within",
            30,
            URGENCY,
            {"deadline_kinds": ["statutory"], "working_days": 5},
        ),
        Criterion(
            "agreed_deadline",
            "Agreed deadline within 3 working days",
            "deadline_within",
            10,
            URGENCY,
            {"deadline_kinds": ["agreed", "internal"], "working_days": 3},
        ),
        Criterion("awaiting_first_contact", "Awaiting first contact", "awaiting_first_contact", 25, URGENCY),
        Criterion("contact_overdue", "Contact overdue", "contact_overdue", 15, URGENCY),
        Criterion("vulnerability", "Vulnerability", "vulnerability", 15, IMPORTANCE),
        Criterion("overdue_actions", "Overdue actions", "overdue_actions", 5, URGENCY, {"max_points": 20}),
        Criterion("review_overdue", "Case review overdue", "review_overdue", 10, URGENCY),
        Criterion("high_complexity", "High complexity", "complexity", 10, IMPORTANCE, {"min_level": 3}),
    )


# -- sentences ----------------------------------------------------------------------------------


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular}" if n == 1 else f"{n} {plural or singular + 's'}"


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _deadline_phrase(
    kind: str, description: str, due_on: date, working_days_left: int, days_left: int
) -> str:
    what = DEADLINE_LABELS.get(kind, f"{kind} deadline")
    if description:
        what = f"{what} ({description})"
    if days_left < 0:
        return f"{what} overdue by {_count(-days_left, 'day')}"
    if days_left == 0:
        return f"{what} due today"
    if working_days_left > 0:
        return f"{what} in {_count(working_days_left, 'working day')}"
    return f"{what} due {due_on:%A} {due_on.day} {due_on:%B}, with no working day left before it"


def _working_time(hours: float) -> str:
    if hours < 2:
        return _count(int(hours * 60), "working minute")
    return _count(int(hours), "working hour")


def _count_hours(hours: float) -> str:
    return _count(int(hours), "working hour") if hours == int(hours) else f"{hours:g} working hours"


# "0 days", "1 day", "2 days", ...: looked up rather than formatted on the hot path.
_DAYS = tuple(_count(n, "day") for n in range(1000))


def _days(n: int) -> str:
    return _DAYS[n] if 0 <= n < 1000 else _count(n, "day")


_phrases: dict[tuple[str, str], str] = {}


def _flag_phrase(flag: FlagFact) -> str:
    key = (flag.code, flag.label)
    phrase = _phrases.get(key)
    if phrase is None:
        phrase = flag.phrase
        if len(_phrases) < 10_000:
            _phrases[key] = phrase
    return phrase


# -- compiling criteria into rules --------------------------------------------------------------

# A rule that reads flags, deadlines or actions: given the moment, returns facts -> Reason | None.
Evaluator = Callable[[CaseFacts], "Reason | None"]
Preparer = Callable[["_Moment"], Evaluator]
# What every Reason from one criterion shares: (criterion_id, criterion_name, kind, axis, points).
Head = tuple[int | str | None, str, str, str, int]

# Builds a NamedTuple without going through its Python-level __new__: the hot path builds
# hundreds of thousands of these a second.
_new = tuple.__new__


def _head(criterion: Criterion) -> Head:
    return (criterion.id, criterion.name, criterion.kind, criterion.axis, criterion.points)


@dataclass(frozen=True, slots=True)
class _Moment:
    """Everything about ``now`` that every case shares."""

    now: datetime
    today: date
    calendar: WorkingCalendar


def _flag_rule(criterion: Criterion) -> Preparer:
    cid, name, kind, axis, points = _head(criterion)
    params = criterion.params
    codes = frozenset(params.get("codes") or ())
    per_flag = bool(params.get("per_flag", False))
    cap = params.get("max_points")
    only_vulnerability = kind == "vulnerability"

    def prepare(moment: _Moment) -> Evaluator:
        today, tz = moment.today, moment.calendar.tz

        def evaluate(facts: CaseFacts) -> Reason | None:
            if only_vulnerability:
                matched = [
                    f for f in facts.flags if f.kind == VULNERABILITY and (not codes or f.code in codes)
                ]
            else:
                matched = [f for f in facts.flags if f.code in codes]
            if not matched:
                return None
            awarded = points
            if per_flag:
                awarded = points * len(matched)
                if cap is not None and awarded > cap:
                    awarded = cap
            if len(matched) > 1:
                matched.sort(key=_raised_at)
                phrase = _and([_flag_phrase(f) for f in matched])
            else:
                phrase = _flag_phrase(matched[0])
            if only_vulnerability:
                sentence = f"vulnerability: {phrase}"
            else:
                days = (today - matched[0].raised_at.astimezone(tz).date()).days
                earliest = " raised " if len(matched) == 1 else " raised, the earliest "
                sentence = f"{phrase}{earliest}{_ago(days)}"
            return _new(Reason, (cid, name, kind, axis, awarded, sentence))

        return evaluate

    return prepare


def _deadline_rule(criterion: Criterion) -> Preparer:
    cid, name, kind, axis, points = _head(criterion)
    kinds = frozenset(criterion.params["deadline_kinds"])
    within = int(criterion.params["working_days"])
    scaled = bool(criterion.params.get("scaled", False))
    within_words = _count(within, "working day")

    def prepare(moment: _Moment) -> Evaluator:
        today, calendar = moment.today, moment.calendar
        # Due on or before this date: due within ``within`` working days (or overdue).
        limit = calendar.latest_date_within(today, within)

        def evaluate(facts: CaseFacts) -> Reason | None:
            nearest = None
            more = 0
            for deadline in facts.deadlines:
                if deadline.due_on <= limit and deadline.kind in kinds:
                    if nearest is None:
                        nearest = deadline
                    else:
                        more += 1
                        if deadline.due_on < nearest.due_on:
                            nearest = deadline
            if nearest is None:
                return None
            due_on = nearest.due_on
            left = calendar.working_days_between(today, due_on)
            awarded = points
            if scaled and left > 0:
                # Monotone in ``left``: a nearer deadline never earns fewer points.
                awarded = ceil(points * (within + 1 - left) / (within + 1))
            sentence = _deadline_phrase(
                nearest.kind, nearest.description, due_on, left, (due_on - today).days
            )
            if more:
                sentence = f"{sentence}, and {more} more within {within_words}"
            return _new(Reason, (cid, name, kind, axis, awarded, sentence))

        return evaluate

    return prepare


def _actions_rule(criterion: Criterion) -> Preparer:
    cid, name, kind, axis, points = _head(criterion)
    cap = criterion.params.get("max_points")

    def prepare(moment: _Moment) -> Evaluator:
        today = moment.today

        def evaluate(facts: CaseFacts) -> Reason | None:
            n = 0
            oldest = today
            for due in facts.open_action_due_dates:
                if due < today:
                    n += 1
                    if due < oldest:
                        oldest = due
            if not n:
                return None
            awarded = points * n
            if cap is not None and awarded > cap:
                awarded = cap
            if n == 1:
                sentence = f"1 agreed action overdue by {_days((today - oldest).days)}"
            else:
                sentence = f"{n} agreed actions overdue, oldest by {_days((today - oldest).days)}"
            return _new(Reason, (cid, name, kind, axis, awarded, sentence))

        return evaluate

    return prepare


_raised_at = attrgetter("raised_at")
_due_on = attrgetter("due_on")
_points = itemgetter(4)

CLOSED_REASON = Reason(None, "Case closed", CLOSED, BOTH, 0, "case closed, so not prioritised")

_PAST = {
    (False, False, False): (),
    (True, False, False): (FIRST_CONTACT,),
    (False, True, False): (CONTACT,),
    (False, False, True): (REVIEW,),
    (True, False, True): (FIRST_CONTACT, REVIEW),
    (False, True, True): (CONTACT, REVIEW),
}


# -- the engine ---------------------------------------------------------------------------------


class Engine:
    """Criteria and settings, validated and compiled once; assesses cases at a moment (PC8).

    >>> engine = Engine(default_criteria(), EngineSettings())
    >>> assessment = engine.assess(facts, now)          # one case
    >>> assessments = engine.assess_many(cases, now)    # a caseload, in input order

    Raises ``InvalidCriteria`` when a criterion or the settings are unusable. An ``Engine`` does
    not change after construction apart from a cache of the last moment asked about, so one
    engine can serve many threads.

    The rationale lists the reasons with the most points first; reasons with equal points keep
    the order flags, deadlines, first contact, contact, review, overdue actions, complexity (and
    within each of those, the order of the criteria).
    """

    def __init__(self, criteria: Iterable[Criterion], settings: EngineSettings | None = None) -> None:
        settings = settings or EngineSettings()
        criteria = tuple(criteria)
        errors = validate_settings(settings)
        seen: set[int | str] = set()
        for c in criteria:
            for message in validate_criterion(c.kind, c.params, c.points, c.axis):
                errors.append(f"{c.name}: {message}")
            if c.id in seen:
                errors.append(f"{c.name}: another criterion has the same id {c.id!r}.")
            seen.add(c.id)
        if errors:
            raise InvalidCriteria(errors)
        self.criteria = criteria
        self.settings = settings

        def heads(kind: str) -> tuple[Head, ...]:
            return tuple(_head(c) for c in criteria if c.kind == kind)

        self._flag_rules = tuple(_flag_rule(c) for c in criteria if c.kind in ("flag", "vulnerability"))
        self._deadline_rules = tuple(_deadline_rule(c) for c in criteria if c.kind == "deadline_within")
        self._action_rules = tuple(_actions_rule(c) for c in criteria if c.kind == "overdue_actions")
        self._first_contact_heads = heads("awaiting_first_contact")
        self._contact_heads = heads("contact_overdue")
        self._review_heads = heads("review_overdue")
        # Complexity reasons do not depend on time: build them once per level.
        self._complexity_reasons: dict[int, tuple[Reason, ...]] = {
            level: tuple(
                Reason(c.id, c.name, c.kind, c.axis, c.points, f"{label} complexity")
                for c in criteria
                if c.kind == "complexity" and level >= c.params["min_level"]
            )
            for level, label in COMPLEXITY_LABELS.items()
        }
        self._last: tuple[datetime, Callable[[CaseFacts], Assessment]] | None = None

    def assess(self, facts: CaseFacts, now: datetime) -> Assessment:
        return self.at(now)(facts)

    def assess_many(self, cases: Iterable[CaseFacts], now: datetime) -> list[Assessment]:
        """Assessments for ``cases`` at ``now``, in the same order.

        Pauses Python's cycle collector while it runs: the engine creates no reference cycles,
        and without the pause the collector keeps re-scanning the growing list of results,
        which halves the throughput of a large batch. To stream a very large batch without
        holding every result, use ``iter_assess``.
        """
        assess = self.at(now)
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return list(map(assess, cases))
        finally:
            if was_enabled:
                gc.enable()

    def iter_assess(self, cases: Iterable[CaseFacts], now: datetime) -> Iterator[Assessment]:
        """Assessments for ``cases`` at ``now``, one at a time (for a sweep of every open case)."""
        return map(self.at(now), cases)

    def at(self, now: datetime) -> Callable[[CaseFacts], Assessment]:
        """The assessing function for one moment (cached for the last moment asked about)."""
        last = self._last
        if last is not None and last[0] == now:
            return last[1]
        assess = self._build(now)
        self._last = (now, assess)
        return assess

    def _build(self, now: datetime) -> Callable[[CaseFacts], Assessment]:
        """Precompute what every case shares at ``now`` and return the per-case function.

        The per-case function is deliberately one flat function over local variables: it runs
        hundreds of thousands of times a second.
        """
        settings = self.settings
        calendar = settings.calendar
        tz = calendar.tz
        today = calendar.local(now).date()
        moment = _Moment(now, today, calendar)
        flag_rules = tuple(prepare(moment) for prepare in self._flag_rules)
        deadline_rules = tuple(prepare(moment) for prepare in self._deadline_rules)
        action_rules = tuple(prepare(moment) for prepare in self._action_rules)
        first_contact_heads = self._first_contact_heads
        contact_heads = self._contact_heads
        review_heads = self._review_heads
        complexity_reasons = self._complexity_reasons
        complexity_rules = any(complexity_reasons.values())

        first_contact_days = settings.first_contact_working_days
        # Opened before this date and never contacted: past the first-contact time scale.
        first_contact_before = calendar.earliest_date_within(today, first_contact_days)
        hours_at_risk = settings.first_contact_working_hours_at_risk
        default_interval = settings.contact_interval_days
        interval_at_risk = settings.contact_interval_days_at_risk
        pause_on_hold = settings.pause_time_scales_on_hold
        red, amber = settings.red_threshold, settings.amber_threshold
        urgent_from, important_from = settings.urgency_threshold, settings.importance_threshold
        quadrants = _QUADRANTS
        closed_rationale = (CLOSED_REASON,)
        past_codes = _PAST
        working_days_between = calendar.working_days_between
        # Per-moment caches keyed by values that repeat across a caseload.
        contact_cutoffs: dict[int, datetime] = {}
        working_days_left: dict[date, int] = {}
        first_contact_sentences: dict[date, str] = {}

        def assess(facts: CaseFacts) -> Assessment:
            status = facts.status
            if status == CLOSED:
                return _new(Assessment, (facts.case_id, 0, GREEN, NEITHER, 0, 0, closed_rationale, (), None))
            reasons: list[Reason] = []
            flags = facts.flags
            if flags:
                for rule in flag_rules:
                    reason = rule(facts)
                    if reason is not None:
                        reasons.append(reason)

            next_deadline = None
            deadlines = facts.deadlines
            if deadlines:
                for rule in deadline_rules:
                    reason = rule(facts)
                    if reason is not None:
                        reasons.append(reason)
                nearest = deadlines[0] if len(deadlines) == 1 else min(deadlines, key=_due_on)
                due_on = nearest.due_on
                left = working_days_left.get(due_on)
                if left is None:
                    left = working_days_left[due_on] = working_days_between(today, due_on)
                next_deadline = _new(
                    NextDeadline, (nearest.kind, nearest.description, due_on, left, (due_on - today).days)
                )

            # Time scales (PC14): checked whatever the criteria, reported in ``past_time_scale``.
            first_contact = contact = review = False
            if not (pause_on_hold and status == ON_HOLD):
                last_contact = facts.last_contact_at
                if last_contact is None:
                    sentence = None
                    opened_on = facts.opened_on
                    if opened_on < first_contact_before:
                        sentence = first_contact_sentences.get(opened_on)
                        if sentence is None:
                            days = working_days_between(opened_on, today)
                            sentence = (
                                f"no first contact {_count(days, 'working day')} after referral "
                                f"(time scale {_count(first_contact_days, 'working day')})"
                            )
                            first_contact_sentences[opened_on] = sentence
                    if flags and hours_at_risk is not None:
                        sentence = _first_contact_at_risk(facts, now, hours_at_risk, calendar) or sentence
                    if sentence is not None:
                        first_contact = True
                        for head in first_contact_heads:
                            reasons.append(_new(Reason, (*head, sentence)))
                else:
                    interval = facts.contact_interval_days or default_interval
                    at_risk = False
                    if flags and interval_at_risk is not None and interval_at_risk < interval:
                        for flag in flags:
                            if flag.kind == RISK:
                                interval, at_risk = interval_at_risk, True
                                break
                    cutoff = contact_cutoffs.get(interval)
                    if cutoff is None:
                        # More than ``interval`` days since contact: last contact before this instant.
                        cutoff = contact_cutoffs[interval] = calendar.start_of_day(
                            today - timedelta(days=interval)
                        )
                    if last_contact < cutoff:
                        contact = True
                        days = (today - last_contact.astimezone(tz).date()).days
                        risk = " while at risk" if at_risk else ""
                        sentence = f"no contact for {_days(days)} (time scale {_days(interval)}{risk})"
                        for head in contact_heads:
                            reasons.append(_new(Reason, (*head, sentence)))
            review_due = facts.next_review_due
            if review_due is not None and review_due < today:
                review = True
                sentence = f"case review overdue by {_days((today - review_due).days)}"
                for head in review_heads:
                    reasons.append(_new(Reason, (*head, sentence)))

            if facts.open_action_due_dates:
                for rule in action_rules:
                    reason = rule(facts)
                    if reason is not None:
                        reasons.append(reason)
            if complexity_rules:
                level_reasons = complexity_reasons.get(facts.complexity)
                if level_reasons:
                    reasons.extend(level_reasons)

            past = past_codes[first_contact, contact, review]
            if not reasons:
                return _new(Assessment, (facts.case_id, 0, GREEN, NEITHER, 0, 0, (), past, next_deadline))
            score = urgency = importance = 0
            for reason in reasons:
                points = reason[4]
                score += points
                axis = reason[3]
                if axis == URGENCY:
                    urgency += points
                elif axis == IMPORTANCE:
                    importance += points
                else:
                    urgency += points
                    importance += points
            if len(reasons) > 1:
                reasons.sort(key=_points, reverse=True)  # stable: equal points keep their order
            band = RED if score >= red else AMBER if score >= amber else GREEN
            quadrant = quadrants[(urgency >= urgent_from) * 2 + (importance >= important_from)]
            return _new(
                Assessment,
                (
                    facts.case_id,
                    score,
                    band,
                    quadrant,
                    urgency,
                    importance,
                    tuple(reasons),
                    past,
                    next_deadline,
                ),
            )

        return assess


def _first_contact_at_risk(
    facts: CaseFacts, now: datetime, hours: float, calendar: WorkingCalendar
) -> str | None:
    """The first-contact breach set by a risk flag, worded, or None.

    Each active risk flag starts a clock of ``hours`` working hours when it is raised (or when
    the case opened, if later). The clock that ran out longest ago is reported, so another flag
    can only bring a breach forward, never cancel one.
    """
    opened = calendar.start_of_day(facts.opened_on)
    worst: tuple[float, FlagFact] | None = None
    for flag in facts.flags:
        if flag.kind != RISK:
            continue
        elapsed = calendar.working_hours_between(max(flag.raised_at, opened), now)
        if elapsed > hours and (worst is None or elapsed > worst[0]):
            worst = (elapsed, flag)
    if worst is None:
        return None
    elapsed, flag = worst
    return (
        f"no first contact {_working_time(elapsed)} after {_flag_phrase(flag)} was raised "
        f"(time scale {_count_hours(hours)})"
    )


def assess(
    facts: CaseFacts, criteria: Iterable[Criterion], settings: EngineSettings | None, now: datetime
) -> Assessment:
    """Assess one case. Compiles the criteria on every call: for many cases use ``Engine``."""
    return Engine(criteria, settings).assess(facts, now)


def assess_many(
    cases: Iterable[CaseFacts], criteria: Iterable[Criterion], settings: EngineSettings | None, now: datetime
) -> list[Assessment]:
    """Assess many cases at one moment, in input order."""
    return Engine(criteria, settings).assess_many(cases, now)


def priority_order(assessments: Iterable[Assessment]) -> list[Assessment]:
    """The Today queue order: highest score first, then most urgent, nearest deadline, case id."""
    return sorted(assessments, key=attrgetter("sort_key"))
