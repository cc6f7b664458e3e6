"""The priority engine: criteria, explained scores, bands, quadrants and time scales.

PC7 (criteria as data), PC8 (assessing cases against them), PC9 (the next deadline), PC10 (red
cases), PC14 (past their time scale), PC15 (the rationale); K14-K16, K19.
"""

import gc
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.priorities.engine import (
    CRITERION_KINDS,
    DEADLINE_KINDS,
    CaseFacts,
    Criterion,
    DeadlineFact,
    Engine,
    EngineSettings,
    FlagFact,
    InvalidCriteria,
    assess,
    assess_many,
    default_criteria,
    priority_order,
    validate_criterion,
    validate_settings,
)

NOW = datetime(2026, 3, 13, 10, 30, tzinfo=UTC)  # Friday 13 March 2026, 10:30 in London (GMT)
TODAY = date(2026, 3, 13)
DEFAULT = Engine(default_criteria())


def case(**fields) -> CaseFacts:
    """An open case seen yesterday, opened in January, of medium complexity, with nothing else."""
    values = {"case_id": 1, "opened_on": date(2026, 1, 5), "last_contact_at": NOW - timedelta(days=1)}
    values.update(fields)
    return CaseFacts(**values)


def flag(code="safeguarding", kind="risk", label="Safeguarding concern", raised_at=NOW) -> FlagFact:
    return FlagFact(code, kind, raised_at, label)


def deadline(due_on: date, kind="statutory", description="Mandatory reconsideration") -> DeadlineFact:
    return DeadlineFact(kind, description, due_on)


def engine_of(kind: str, points: int = 10, axis: str = "urgency", **params) -> Engine:
    return Engine([Criterion("c", "The criterion", kind, points, axis, params)])


def sentences(assessment) -> list[tuple[int, str]]:
    return [(r.points, r.sentence) for r in assessment.rationale]


# -- the whole picture ------------------------------------------------------------------------


def test_a_quiet_case_scores_nothing():
    assessment = DEFAULT.assess(case(), NOW)
    assert (assessment.score, assessment.band, assessment.quadrant) == (0, "green", "neither")
    assert (assessment.rationale, assessment.past_time_scale, assessment.next_deadline) == ((), (), None)
    assert (assessment.summary, assessment.band_label, assessment.quadrant_label) == ("", "Green", "Monitor")


def test_pc15_the_rationale_names_the_criteria_that_put_a_case_where_it_is():
    # Given a safeguarding concern raised two days ago and a statutory deadline on Wednesday
    facts = case(
        flags=(flag(raised_at=NOW - timedelta(days=2)),),
        deadlines=(deadline(date(2026, 3, 18)),),
    )
    # When it is assessed with the default criteria
    assessment = DEFAULT.assess(facts, NOW)
    # Then the score, band, quadrant and rationale say why
    assert assessment.summary == (
        "safeguarding concern raised 2 days ago; "
        "statutory deadline (Mandatory reconsideration) in 3 working days"
    )
    assert [(r.criterion_id, r.criterion_name, r.points) for r in assessment.rationale] == [
        ("safeguarding", "Safeguarding concern", 50),
        ("statutory_deadline", "Statutory deadline within 5 working days", 30),
    ]
    assert (assessment.score, assessment.urgency, assessment.importance) == (80, 80, 50)
    assert (assessment.band, assessment.quadrant, assessment.quadrant_label) == (
        "red",
        "urgent_important",
        "Do now",
    )


def test_the_rationale_lists_the_most_points_first_and_keeps_order_for_ties():
    facts = case(
        flags=(flag("mental_health", "vulnerability", "Mental health condition"),),
        deadlines=(deadline(date(2026, 3, 16), kind="agreed", description="Send payslips"),),
        last_contact_at=NOW - timedelta(days=20),
        complexity=3,
    )
    assert sentences(DEFAULT.assess(facts, NOW)) == [
        (15, "vulnerability: mental health condition"),
        (15, "no contact for 20 days (time scale 14 days)"),
        (10, "agreed deadline (Send payslips) in 1 working day"),
        (10, "high complexity"),
    ]


# -- flags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised_at", "sentence"),
    [
        (NOW - timedelta(hours=1), "safeguarding concern raised today"),
        (datetime(2026, 3, 12, 23, 59, tzinfo=UTC), "safeguarding concern raised yesterday"),
        (NOW - timedelta(days=2), "safeguarding concern raised 2 days ago"),
    ],
)
def test_flag_criterion_says_when_the_flag_was_raised(raised_at, sentence):
    assessment = engine_of("flag", 50, "both", codes=["safeguarding"]).assess(
        case(flags=(flag(raised_at=raised_at),)), NOW
    )
    assert sentences(assessment) == [(50, sentence)]


def test_days_ago_are_counted_in_london_local_days():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time)
    now = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    raised = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assessment = engine_of("flag", codes=["safeguarding"]).assess(case(flags=(flag(raised_at=raised),)), now)
    assert assessment.summary == "safeguarding concern raised today"


def test_flag_criterion_ignores_other_flags_and_names_every_match():
    engine = engine_of("flag", 40, codes=["risk_to_self", "domestic_abuse"])
    assert engine.assess(case(flags=(flag(),)), NOW).score == 0
    facts = case(
        flags=(
            flag("domestic_abuse", label="Domestic abuse", raised_at=NOW - timedelta(days=1)),
            flag("risk_to_self", label="Risk to self", raised_at=NOW - timedelta(days=4)),
        )
    )
    assert sentences(engine.assess(facts, NOW)) == [
        (40, "risk to self and domestic abuse raised, the earliest 4 days ago")
    ]


def test_points_for_each_flag_are_capped():
    engine = engine_of("flag", 10, codes=["a", "b", "c"], per_flag=True, max_points=25)
    flags = tuple(flag(code, label=code.upper()) for code in "abc")
    assert [engine.assess(case(flags=flags[:n]), NOW).score for n in (1, 2, 3)] == [10, 20, 25]


def test_vulnerability_counts_vulnerability_flags_only():
    engine = engine_of("vulnerability", 15, "importance")
    assert engine.assess(case(flags=(flag(),)), NOW).score == 0
    facts = case(
        flags=(
            flag("care_leaver", "vulnerability", "Care leaver", NOW - timedelta(days=9)),
            flag("mental_health", "vulnerability", "Mental health condition", NOW - timedelta(days=30)),
            flag(),
        )
    )
    assessment = engine.assess(facts, NOW)
    assert sentences(assessment) == [(15, "vulnerability: mental health condition and care leaver")]
    assert (assessment.urgency, assessment.importance, assessment.quadrant) == (0, 15, "important_not_urgent")
    only_care_leavers = engine_of("vulnerability", 15, codes=["care_leaver"])
    assert only_care_leavers.assess(facts, NOW).summary == "vulnerability: care leaver"


@pytest.mark.parametrize(
    ("label", "code", "phrase"),
    [
        ("Safeguarding concern", "safeguarding", "safeguarding concern"),
        ("ADHD", "adhd", "ADHD"),
        ("", "risk_to_others", "risk to others"),
    ],
)
def test_flag_phrases_read_mid_sentence(label, code, phrase):
    assert FlagFact(code, "risk", NOW, label).phrase == phrase


# -- deadlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "sentence"),
    [
        (date(2026, 3, 20), "statutory deadline (Mandatory reconsideration) in 5 working days"),
        (date(2026, 3, 22), "statutory deadline (Mandatory reconsideration) in 5 working days"),  # Sunday
        (date(2026, 3, 16), "statutory deadline (Mandatory reconsideration) in 1 working day"),
        (date(2026, 3, 13), "statutory deadline (Mandatory reconsideration) due today"),
        (
            date(2026, 3, 14),
            "statutory deadline (Mandatory reconsideration) due Saturday 14 March, "
            "with no working day left before it",
        ),
        (date(2026, 3, 10), "statutory deadline (Mandatory reconsideration) overdue by 3 days"),
        (date(2026, 3, 12), "statutory deadline (Mandatory reconsideration) overdue by 1 day"),
    ],
)
def test_deadline_within_fires_up_to_n_working_days_ahead_and_when_overdue(due_on, sentence):
    engine = engine_of("deadline_within", 30, deadline_kinds=["statutory"], working_days=5)
    assert sentences(engine.assess(case(deadlines=(deadline(due_on),)), NOW)) == [(30, sentence)]


def test_deadline_within_does_not_fire_beyond_n_working_days_or_for_other_kinds():
    engine = engine_of("deadline_within", 30, deadline_kinds=["statutory"], working_days=5)
    assert engine.assess(case(deadlines=(deadline(date(2026, 3, 23)),)), NOW).score == 0  # 6 working days
    assert engine.assess(case(deadlines=(deadline(TODAY, kind="agreed"),)), NOW).score == 0


def test_deadline_working_days_skip_bank_holidays():
    # Thursday 2 April 2026: Good Friday and Easter Monday come before Tuesday 7 April
    now = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    engine = engine_of("deadline_within", 30, deadline_kinds=["statutory"], working_days=1)
    facts = case(deadlines=(deadline(date(2026, 4, 7), description=""),))
    assert engine.assess(facts, now).summary == "statutory deadline in 1 working day"


def test_the_nearest_deadline_is_described_and_others_are_counted():
    engine = engine_of("deadline_within", 10, deadline_kinds=["agreed", "internal"], working_days=3)
    facts = case(
        deadlines=(
            deadline(date(2026, 3, 18), "agreed", "Return the form"),
            deadline(date(2026, 3, 16), "internal", "Referral response"),
            deadline(date(2026, 3, 17), "statutory", "Appeal"),
            deadline(date(2026, 4, 30), "agreed", "Later"),
        )
    )
    assert engine.assess(facts, NOW).summary == (
        "service deadline (Referral response) in 1 working day, and 1 more within 3 working days"
    )


def test_scaled_deadline_points_grow_as_the_deadline_draws_near():
    engine = engine_of("deadline_within", 30, deadline_kinds=["statutory"], working_days=5, scaled=True)
    due_dates = [date(2026, 3, 20), date(2026, 3, 19), date(2026, 3, 16), TODAY, date(2026, 3, 1)]
    scores = [engine.assess(case(deadlines=(deadline(d),)), NOW).score for d in due_dates]
    assert scores == [5, 10, 25, 30, 30]  # ceil(30 * (6 - left) / 6)


def test_pc9_next_deadline_is_the_nearest_unmet_one_whatever_the_criteria():
    facts = case(
        deadlines=(deadline(date(2026, 4, 30), "agreed", "Send payslips"), deadline(date(2026, 3, 10)))
    )
    for engine in (DEFAULT, Engine([])):
        next_deadline = engine.assess(facts, NOW).next_deadline
        assert next_deadline is not None
        assert next_deadline[:5] == ("statutory", "Mandatory reconsideration", date(2026, 3, 10), -3, -3)
        assert next_deadline.sentence == "statutory deadline (Mandatory reconsideration) overdue by 3 days"
    later = Engine([]).assess(case(deadlines=(deadline(date(2026, 3, 18)),)), NOW).next_deadline
    assert later is not None and (later.working_days_left, later.days_left) == (3, 5)


# -- contact and first contact ----------------------------------------------------------------


def test_contact_overdue_after_the_contact_time_scale():
    engine = engine_of("contact_overdue", 15)
    # 14 days since contact (27 February, late evening) is within the time scale; 15 is not.
    seen_27th = case(last_contact_at=datetime(2026, 2, 27, 23, 59, tzinfo=UTC))
    seen_26th = case(last_contact_at=datetime(2026, 2, 26, 23, 59, tzinfo=UTC))
    assert (engine.assess(seen_27th, NOW).score, engine.assess(seen_27th, NOW).past_time_scale) == (0, ())
    assessment = engine.assess(seen_26th, NOW)
    assert sentences(assessment) == [(15, "no contact for 15 days (time scale 14 days)")]
    assert assessment.past_time_scale == ("contact",)


def test_contact_time_scale_is_shorter_while_a_risk_flag_is_active():
    engine = engine_of("contact_overdue", 15)
    facts = case(last_contact_at=NOW - timedelta(days=8))
    assert engine.assess(facts, NOW).score == 0
    at_risk = replace(facts, flags=(flag(raised_at=NOW - timedelta(days=30)),))
    assert engine.assess(at_risk, NOW).summary == "no contact for 8 days (time scale 7 days while at risk)"
    # The case's own time scale applies without risk; the risk time scale only ever shortens it.
    monthly = replace(facts, last_contact_at=NOW - timedelta(days=20), contact_interval_days=28)
    assert engine.assess(monthly, NOW).score == 0
    assert engine.assess(replace(monthly, flags=at_risk.flags), NOW).score == 15
    no_risk_scale = Engine(engine.criteria, EngineSettings(contact_interval_days_at_risk=None))
    assert no_risk_scale.assess(at_risk, NOW).score == 0


def test_awaiting_first_contact_after_two_working_days_from_referral():
    engine = engine_of("awaiting_first_contact", 25)
    opened_tuesday = case(opened_on=date(2026, 3, 10), last_contact_at=None)
    opened_wednesday = case(opened_on=date(2026, 3, 11), last_contact_at=None)
    assert engine.assess(opened_wednesday, NOW).score == 0
    assessment = engine.assess(opened_tuesday, NOW)
    assert sentences(assessment) == [
        (25, "no first contact 3 working days after referral (time scale 2 working days)")
    ]
    assert assessment.past_time_scale == ("first_contact",)
    # Once there has been contact, it is no longer awaiting first contact.
    assert engine.assess(replace(opened_tuesday, last_contact_at=NOW), NOW).score == 0


@pytest.mark.parametrize(
    ("opened_on", "raised_at", "minutes_or_hours"),
    [
        (TODAY, datetime(2026, 3, 13, 9, 45, tzinfo=UTC), None),  # 45 working minutes so far
        (TODAY, datetime(2026, 3, 13, 9, 0, tzinfo=UTC), "90 working minutes"),
        (date(2026, 3, 12), datetime(2026, 3, 12, 16, 45, tzinfo=UTC), "105 working minutes"),
        (date(2026, 3, 11), datetime(2026, 3, 11, 9, 0, tzinfo=UTC), "17 working hours"),
        # Raised before the referral: the clock starts when the case opens.
        (TODAY, datetime(2026, 3, 9, 9, 0, tzinfo=UTC), "90 working minutes"),
    ],
)
def test_first_contact_within_one_working_hour_of_a_risk_flag(opened_on, raised_at, minutes_or_hours):
    engine = engine_of("awaiting_first_contact", 25)
    facts = case(
        opened_on=opened_on,
        last_contact_at=None,
        flags=(flag("risk_to_self", label="Risk to self", raised_at=raised_at),),
    )
    assessment = engine.assess(facts, NOW)
    if minutes_or_hours is None:
        assert (assessment.score, assessment.past_time_scale) == (0, ())
    else:
        assert assessment.summary == (
            f"no first contact {minutes_or_hours} after risk to self was raised (time scale 1 working hour)"
        )
        assert assessment.past_time_scale == ("first_contact",)


def test_first_contact_at_risk_can_be_switched_off():
    engine = Engine(
        [Criterion("c", "First contact", "awaiting_first_contact", 25)],
        EngineSettings(first_contact_working_hours_at_risk=None),
    )
    facts = case(opened_on=TODAY, last_contact_at=None, flags=(flag(raised_at=NOW - timedelta(hours=3)),))
    assert engine.assess(facts, NOW).score == 0


def test_time_scales_pause_while_a_case_is_on_hold_but_deadlines_and_reviews_do_not():
    facts = case(
        status="on_hold",
        last_contact_at=NOW - timedelta(days=40),
        deadlines=(deadline(TODAY),),
        next_review_due=date(2026, 3, 1),
    )
    assessment = DEFAULT.assess(facts, NOW)
    assert [r.criterion_id for r in assessment.rationale] == ["statutory_deadline", "review_overdue"]
    assert assessment.past_time_scale == ("review",)
    unpaused = Engine(default_criteria(), EngineSettings(pause_time_scales_on_hold=False))
    assert unpaused.assess(facts, NOW).past_time_scale == ("contact", "review")


def test_pc14_past_time_scale_does_not_depend_on_the_criteria():
    facts = case(last_contact_at=NOW - timedelta(days=30), next_review_due=date(2026, 3, 12))
    assessment = Engine([]).assess(facts, NOW)
    assert (assessment.score, assessment.past_time_scale) == (0, ("contact", "review"))


# -- reviews, actions, complexity, closed cases -----------------------------------------------


def test_review_overdue():
    engine = engine_of("review_overdue", 10)
    assert engine.assess(case(next_review_due=TODAY), NOW).score == 0
    assert sentences(engine.assess(case(next_review_due=date(2026, 3, 12)), NOW)) == [
        (10, "case review overdue by 1 day")
    ]


def test_overdue_actions_add_points_for_each_up_to_a_cap():
    engine = engine_of("overdue_actions", 5, max_points=20)
    due_dates = (date(2026, 3, 10), date(2026, 3, 8), TODAY, date(2026, 3, 20))
    assert sentences(engine.assess(case(open_action_due_dates=due_dates), NOW)) == [
        (10, "2 agreed actions overdue, oldest by 5 days")
    ]
    assert sentences(engine.assess(case(open_action_due_dates=due_dates[:1]), NOW)) == [
        (5, "1 agreed action overdue by 3 days")
    ]
    many = tuple(date(2026, 3, day) for day in range(1, 8))
    assert engine.assess(case(open_action_due_dates=many), NOW).score == 20
    assert engine.assess(case(open_action_due_dates=(TODAY,)), NOW).score == 0


def test_complexity_from_a_level():
    engine = Engine(
        [
            Criterion("medium", "Medium complexity", "complexity", 5, "importance", {"min_level": 2}),
            Criterion("high", "High complexity", "complexity", 5, "importance", {"min_level": 3}),
        ]
    )
    assert [engine.assess(case(complexity=level), NOW).score for level in (1, 2, 3)] == [0, 5, 10]
    assert engine.assess(case(complexity=3), NOW).summary == "high complexity; high complexity"
    assert engine.assess(case(complexity=2), NOW).summary == "medium complexity"


def test_a_closed_case_is_not_prioritised():
    facts = case(status="closed", flags=(flag(),), deadlines=(deadline(TODAY),), last_contact_at=None)
    assessment = DEFAULT.assess(facts, NOW)
    assert (assessment.score, assessment.band, assessment.quadrant) == (0, "green", "neither")
    assert sentences(assessment) == [(0, "case closed, so not prioritised")]
    assert (assessment.past_time_scale, assessment.next_deadline) == ((), None)


# -- bands and quadrants ----------------------------------------------------------------------


@pytest.mark.parametrize(("points", "band"), [(19, "green"), (20, "amber"), (49, "amber"), (50, "red")])
def test_pc10_band_thresholds(points, band):
    engine = engine_of("complexity", points, min_level=1)
    assert engine.assess(case(), NOW).band == band


@pytest.mark.parametrize(
    ("urgency", "importance", "quadrant", "label"),
    [
        (20, 15, "urgent_important", "Do now"),
        (19, 15, "important_not_urgent", "Plan"),
        (20, 14, "urgent_not_important", "Act soon"),
        (19, 14, "neither", "Monitor"),
    ],
)
def test_quadrants(urgency, importance, quadrant, label):
    engine = Engine(
        [
            Criterion("u", "Urgent", "complexity", urgency, "urgency", {"min_level": 1}),
            Criterion("i", "Important", "complexity", importance, "importance", {"min_level": 1}),
        ]
    )
    assessment = engine.assess(case(), NOW)
    assert (assessment.urgency, assessment.importance) == (urgency, importance)
    assert (assessment.quadrant, assessment.quadrant_label) == (quadrant, label)


def test_both_counts_towards_urgency_and_importance_once_in_the_score():
    assessment = engine_of("complexity", 30, "both", min_level=1).assess(case(), NOW)
    assert (assessment.score, assessment.urgency, assessment.importance) == (30, 30, 30)


# -- validation -------------------------------------------------------------------------------


def test_default_criteria_are_valid_and_use_known_kinds():
    for criterion in default_criteria():
        assert validate_criterion(criterion.kind, criterion.params, criterion.points, criterion.axis) == []
        assert criterion.kind in CRITERION_KINDS
    assert validate_settings(EngineSettings()) == []


@pytest.mark.parametrize(
    ("kind", "params", "points", "axis", "errors"),
    [
        ("flag", {"codes": ["safeguarding"]}, 50, "both", []),
        ("magic", {}, 5, "urgency", ["There is no kind of criterion called 'magic'."]),
        ("flag", {"codes": ["safeguarding"]}, -1, "urgency", ["Points must be a whole number, 0 or more."]),
        ("flag", {"codes": ["safeguarding"]}, True, "urgency", ["Points must be a whole number, 0 or more."]),
        (
            "flag",
            {"codes": ["safeguarding"]},
            5,
            "sideways",
            ["A criterion counts towards urgency, importance or both."],
        ),
        ("flag", {}, 5, "urgency", ["Flags: required."]),
        ("flag", {"codes": []}, 5, "urgency", ["Flags: choose at least one."]),
        ("flag", {"codes": "safeguarding"}, 5, "urgency", ["Flags: give a list of codes."]),
        (
            "flag",
            {"codes": ["safeguarding"], "colour": "red"},
            5,
            "urgency",
            ["Flag raised has no setting called 'colour'."],
        ),
        (
            "flag",
            {"codes": ["x"], "max_points": 10},
            5,
            "urgency",
            ["Most points only applies with points for each flag."],
        ),
        ("vulnerability", {}, 15, "importance", []),
        ("deadline_within", {"deadline_kinds": ["statutory"], "working_days": 5}, 30, "urgency", []),
        (
            "deadline_within",
            {"deadline_kinds": ["statutory"], "working_days": -1},
            30,
            "urgency",
            ["Within (working days): must be 0 or more."],
        ),
        (
            "deadline_within",
            {"deadline_kinds": ["statutory"], "working_days": "5"},
            30,
            "urgency",
            ["Within (working days): give a whole number."],
        ),
        (
            "deadline_within",
            {"deadline_kinds": ["court"], "working_days": 5},
            30,
            "urgency",
            ["Kinds of deadline: unknown 'court'."],
        ),
        (
            "deadline_within",
            {"deadline_kinds": ["agreed"], "working_days": 3, "scaled": "yes"},
            30,
            "urgency",
            ["Scale points by nearness: give yes or no."],
        ),
        ("complexity", {"min_level": 4}, 10, "importance", ["From level: must be 3 or less."]),
        ("overdue_actions", {"max_points": 20}, 5, "urgency", []),
        ("contact_overdue", {"days": 3}, 15, "urgency", ["Contact overdue has no setting called 'days'."]),
        ("complexity", None, 10, "importance", ["Parameters must be a set of named values."]),
    ],
)
def test_validate_criterion(kind, params, points, axis, errors):
    assert validate_criterion(kind, params, points, axis) == errors


def test_validate_criterion_checks_flag_codes_when_told_them():
    errors = validate_criterion(
        "flag", {"codes": ["safeguarding", "ghost"]}, 5, "urgency", known_flag_codes={"safeguarding"}
    )
    assert errors == ["Flags: unknown 'ghost'."]


def test_validate_settings():
    assert validate_settings(EngineSettings(red_threshold=10, amber_threshold=20)) == [
        "The red threshold must be a whole number no lower than the amber threshold."
    ]
    assert validate_settings(EngineSettings(amber_threshold=0, urgency_threshold=0)) == [
        "The amber threshold must be a whole number, 1 or more.",
        "Urgency threshold must be a whole number, 1 or more.",
    ]
    assert validate_settings(EngineSettings(first_contact_working_hours_at_risk=0)) == [
        "First contact working hours at risk must be more than 0."
    ]


def test_the_engine_refuses_invalid_criteria_with_every_reason():
    criteria = [
        Criterion("a", "Safeguarding", "flag", -5, "urgency", {"codes": ["safeguarding"]}),
        Criterion("a", "Again", "complexity", 5, "urgency", {"min_level": 3}),
    ]
    with pytest.raises(InvalidCriteria) as raised:
        Engine(criteria)
    assert raised.value.errors == [
        "Safeguarding: Points must be a whole number, 0 or more.",
        "Again: another criterion has the same id 'a'.",
    ]


def test_every_kind_documents_its_parameters():
    for code, kind in CRITERION_KINDS.items():
        assert kind.code == code and kind.label and kind.help
        assert all(p.label and p.type in {"int", "bool", "flag_codes", "deadline_kinds"} for p in kind.params)


# -- batches, ordering and purity -------------------------------------------------------------


def test_assess_many_keeps_input_order_and_matches_assess():
    cases = [
        case(case_id=1),
        case(case_id=2, flags=(flag(),)),
        case(case_id=3, status="closed"),
        case(case_id=4, deadlines=(deadline(TODAY),)),
    ]
    assert DEFAULT.assess_many(cases, NOW) == [DEFAULT.assess(c, NOW) for c in cases]
    assert assess_many(cases, default_criteria(), None, NOW) == DEFAULT.assess_many(cases, NOW)
    assert assess(cases[1], default_criteria(), EngineSettings(), NOW) == DEFAULT.assess(cases[1], NOW)
    assert list(DEFAULT.iter_assess(cases, NOW)) == DEFAULT.assess_many(cases, NOW)


def test_assess_many_leaves_the_garbage_collector_as_it_found_it():
    DEFAULT.assess_many([case()], NOW)
    assert gc.isenabled()
    gc.disable()
    try:
        DEFAULT.assess_many([case()], NOW)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_priority_order_puts_highest_score_then_most_urgent_then_nearest_deadline_first():
    cases = [
        case(case_id="quiet"),
        case(case_id="far", complexity=3, deadlines=(deadline(date(2026, 6, 1), "agreed"),)),
        case(case_id="near", complexity=3, deadlines=(deadline(date(2026, 5, 1), "agreed"),)),
        case(case_id="urgent", last_contact_at=NOW - timedelta(days=20)),
        case(case_id="safeguarding", flags=(flag(),)),
    ]
    ordered = priority_order(DEFAULT.assess_many(cases, NOW))
    assert [a.case_id for a in ordered] == ["safeguarding", "urgent", "near", "far", "quiet"]


def test_now_must_have_a_time_zone():
    with pytest.raises(ValueError, match="naive"):
        DEFAULT.assess(case(), datetime(2026, 3, 13, 10, 30))


def test_the_engine_and_calendar_do_not_import_django():
    code = (
        "import sys, casework.priorities.engine, casework.priorities.calendar; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "[]"


# -- properties -------------------------------------------------------------------------------

FLAG_CODES = ["safeguarding", "risk_to_self", "domestic_abuse", "mental_health", "care_leaver", "language"]


def moments(start=datetime(2025, 12, 1), end=datetime(2026, 12, 31)):
    return st.datetimes(min_value=start, max_value=end, timezones=st.just(UTC))


flag_kinds = st.sampled_from(["risk", "vulnerability"])
labels = st.sampled_from(["", "Safeguarding concern", "Care leaver"])


@st.composite
def scenarios(draw, with_deadline=False):
    """A case and a moment to assess it at, with its dates clustered around that moment so that
    time scales and deadlines are often near their boundaries."""
    now = draw(moments())
    today = now.date()
    day = st.integers(-30, 30).map(lambda n: today + timedelta(days=n))
    recently = st.integers(-60 * 24 * 30, 60 * 24).map(lambda m: now + timedelta(minutes=m))
    flags = st.builds(FlagFact, st.sampled_from(FLAG_CODES), flag_kinds, recently, labels)
    deadlines = st.builds(DeadlineFact, st.sampled_from(DEADLINE_KINDS), st.sampled_from(["", "Appeal"]), day)
    facts = draw(
        st.builds(
            CaseFacts,
            case_id=st.integers(1, 10**6),
            opened_on=st.one_of(st.integers(-8, 0), st.integers(-400, 0)).map(
                lambda n: today + timedelta(days=n)
            ),
            status=st.sampled_from(["open", "open", "open", "on_hold", "closed"]),
            complexity=st.integers(1, 3),
            flags=st.lists(flags, max_size=3).map(tuple),
            deadlines=st.lists(deadlines, min_size=with_deadline, max_size=3).map(tuple),
            last_contact_at=st.none() | recently,
            open_action_due_dates=st.lists(day, max_size=4).map(tuple),
            next_review_due=st.none() | day,
            contact_interval_days=st.none() | st.integers(1, 30),
        )
    )
    return facts, now


any_flag = st.builds(FlagFact, st.sampled_from(FLAG_CODES), flag_kinds, moments(datetime(2025, 6, 1)), labels)
risk_flag = st.builds(
    FlagFact, st.sampled_from(FLAG_CODES), st.just("risk"), moments(datetime(2025, 6, 1)), labels
)


@st.composite
def criteria_strategy(draw, kinds=None):
    """Any valid set of criteria an administrator could define (or one of each of ``kinds``)."""
    if kinds is None:
        kinds = draw(st.lists(st.sampled_from(sorted(CRITERION_KINDS)), max_size=8))
    criteria = []
    for i, kind in enumerate(kinds):
        params: dict = {}
        if kind in ("flag", "vulnerability"):
            codes = draw(st.lists(st.sampled_from(FLAG_CODES), min_size=kind == "flag", unique=True))
            if codes or kind == "flag":
                params["codes"] = codes
            if draw(st.booleans()):
                params["per_flag"] = True
                if draw(st.booleans()):
                    params["max_points"] = draw(st.integers(0, 100))
        elif kind == "deadline_within":
            params["deadline_kinds"] = draw(
                st.lists(st.sampled_from(DEADLINE_KINDS), min_size=1, unique=True)
            )
            params["working_days"] = draw(st.integers(0, 20))
            params["scaled"] = draw(st.booleans())
        elif kind == "overdue_actions" and draw(st.booleans()):
            params["max_points"] = draw(st.integers(0, 100))
        elif kind == "complexity":
            params["min_level"] = draw(st.integers(1, 3))
        points = draw(st.integers(0, 60) | st.integers(1, 60))
        axis = draw(st.sampled_from(["urgency", "importance", "both"]))
        criteria.append(Criterion(i, f"Criterion {i}", kind, points, axis, params))
    return criteria


@st.composite
def settings_strategy(draw):
    amber = draw(st.integers(1, 60))
    return EngineSettings(
        red_threshold=draw(st.integers(amber, 120)),
        amber_threshold=amber,
        urgency_threshold=draw(st.integers(1, 60)),
        importance_threshold=draw(st.integers(1, 60)),
        first_contact_working_days=draw(st.integers(0, 5)),
        first_contact_working_hours_at_risk=draw(st.none() | st.sampled_from([0.5, 1, 4])),
        contact_interval_days=draw(st.integers(1, 30)),
        contact_interval_days_at_risk=draw(st.none() | st.integers(1, 30)),
        pause_time_scales_on_hold=draw(st.booleans()),
    )


@st.composite
def every_kind(draw):
    """One criterion of every kind, so that every rule meets every case."""
    kinds = sorted(CRITERION_KINDS)
    criteria = draw(criteria_strategy(kinds=kinds))
    return Engine(criteria, draw(settings_strategy()))


engines = st.one_of(
    st.just(DEFAULT),
    st.builds(Engine, criteria_strategy(), settings_strategy()),
    every_kind(),
)


def engines_for(kind: str):
    """Engines with criteria of one kind only, to meet that kind's boundaries more often; the
    score is a sum of non-negative points, so if each kind is monotone so is any mix of them."""
    if kind == "any mix":
        return engines
    return st.builds(Engine, criteria_strategy(kinds=[kind, kind]), settings_strategy())


KINDS_AND_MIXES = [*sorted(CRITERION_KINDS), "any mix"]


@pytest.mark.parametrize("kind", KINDS_AND_MIXES)
@settings(max_examples=25)  # per kind of criterion: 225 cases in all
@given(data=st.data(), scenario=scenarios(), new_flag=risk_flag)
def test_property_adding_a_risk_flag_never_lowers_the_score(kind, data, scenario, new_flag):
    engine = data.draw(engines_for(kind))
    facts, now = scenario
    before = engine.assess(facts, now)
    after = engine.assess(replace(facts, flags=(*facts.flags, new_flag)), now)
    assert after.score >= before.score


@given(engines, scenarios(), any_flag)
def test_property_adding_any_flag_never_lowers_the_score(engine, scenario, new_flag):
    facts, now = scenario
    before = engine.assess(facts, now)
    assert engine.assess(replace(facts, flags=(new_flag, *facts.flags)), now).score >= before.score


@pytest.mark.parametrize("kind", KINDS_AND_MIXES)
@settings(max_examples=25)  # per kind of criterion: 225 cases in all
@given(data=st.data(), scenario=scenarios(with_deadline=True))
def test_property_moving_a_deadline_closer_never_lowers_the_score(kind, data, scenario):
    engine = data.draw(engines_for(kind))
    facts, now = scenario
    index = data.draw(st.integers(0, len(facts.deadlines) - 1))
    earlier = data.draw(st.integers(1, 30))
    moved = list(facts.deadlines)
    moved[index] = replace(moved[index], due_on=moved[index].due_on - timedelta(days=earlier))
    before = engine.assess(facts, now)
    assert engine.assess(replace(facts, deadlines=tuple(moved)), now).score >= before.score


@pytest.mark.parametrize("kind", KINDS_AND_MIXES)
@settings(max_examples=25)  # per kind of criterion: 225 cases in all
@given(data=st.data(), scenario=scenarios(), minutes=st.integers(1, 60 * 24 * 20))
def test_property_time_passing_without_change_never_lowers_the_score(kind, data, scenario, minutes):
    engine = data.draw(engines_for(kind))
    facts, now = scenario
    later = now + timedelta(minutes=minutes)
    assert engine.assess(facts, later).score >= engine.assess(facts, now).score


@given(engines, scenarios())
def test_property_rationale_adds_up_and_band_and_quadrant_follow_the_thresholds(engine, scenario):
    facts, now = scenario
    assessment = engine.assess(facts, now)
    s = engine.settings
    reasons = assessment.rationale
    assert sum(r.points for r in reasons) == assessment.score
    assert sum(r.points for r in reasons if r.axis != "importance") == assessment.urgency
    assert sum(r.points for r in reasons if r.axis != "urgency") == assessment.importance
    assert all(r.points >= 0 and r.sentence for r in reasons)
    assert [r.points for r in reasons] == sorted((r.points for r in reasons), reverse=True)
    expected_band = (
        "red"
        if assessment.score >= s.red_threshold
        else "amber"
        if assessment.score >= s.amber_threshold
        else "green"
    )
    assert assessment.band == expected_band
    urgent, important = (
        assessment.urgency >= s.urgency_threshold,
        assessment.importance >= s.importance_threshold,
    )
    expected_quadrant = {
        (True, True): "urgent_important",
        (False, True): "important_not_urgent",
        (True, False): "urgent_not_important",
        (False, False): "neither",
    }[urgent, important]
    assert assessment.quadrant == expected_quadrant
    assert assessment.summary == "; ".join(r.sentence for r in reasons)
    if facts.status == "closed":
        assert (assessment.score, assessment.band) == (0, "green")


@settings(max_examples=50)
@given(criteria_strategy(), settings_strategy(), st.lists(scenarios(), max_size=5), moments())
def test_property_deterministic(criteria, engine_settings, scenarios_, now):
    cases = [facts for facts, _ in scenarios_]
    first = Engine(criteria, engine_settings)
    again = Engine(criteria, engine_settings)
    results = first.assess_many(cases, now)
    assert results == first.assess_many(cases, now) == again.assess_many(cases, now)
    assert results == [again.assess(c, now) for c in cases]
    # The time scales and the next deadline are facts about the case, not about the criteria.
    bare = Engine([], engine_settings).assess_many(cases, now)
    assert [(a.past_time_scale, a.next_deadline) for a in results] == [
        (a.past_time_scale, a.next_deadline) for a in bare
    ]
