"""The fact/opinion check and note completeness rules (PC1, K4, K5)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.cases import rules
from casework.cases.rules import Lexicon, check_facts, missing_sections


@pytest.mark.parametrize(
    ("text", "term", "category"),
    [
        ("I think he was upset about the sanction.", "I think", "speculative"),
        ("She seems keen on the course.", "seems", "speculative"),
        ("The flat appears to be damp.", "appears to be", "speculative"),
        ("He was lazy about job search.", "lazy", "judgemental"),
        ("Client was AGGRESSIVE at reception.", "aggressive", "judgemental"),
        ("Obviously the claim was wrong.", "obviously", "emphatic"),
        ("This is clearly not working.", "clearly", "emphatic"),
        ("He can\u2019t be bothered with applications.", "can't be bothered", "judgemental"),
        ("She was being attention-seeking.", "attention-seeking", "judgemental"),
    ],
)
def test_flags_opinion_in_facts(text, term, category):
    findings = check_facts(text)
    assert [(f.term, f.category) for f in findings] == [(term, category)]
    finding = findings[0]
    assert text[finding.start : finding.end].lower().replace("\u2019", "'") == term.lower()
    assert finding.advice


def test_longest_phrase_wins_and_findings_are_in_text_order():
    findings = check_facts("He appears to be homeless and seems tired; I think he was obviously upset.")
    assert [f.term for f in findings] == ["appears to be", "seems", "I think", "obviously"]


def test_whole_words_only():
    # "clearly" inside "unclearly", "seems" inside "seamstress", "rude" inside "prudent" are not flags.
    assert check_facts("Spoke unclearly. Works as a seamstress. Made a prudent budget.") == []


def test_term_specific_advice_is_used():
    [finding] = check_facts("He was aggressive.")
    assert "raised his voice" in finding.advice


def test_word_list_is_data():
    lexicon = Lexicon.from_mapping(
        {"categories": {"custom": {"label": "Custom", "advice": "Say what you saw.", "terms": ["grumpy"]}}}
    )
    [finding] = check_facts("Client was grumpy and seems tired.", lexicon)
    assert (finding.term, finding.label) == ("grumpy", "Custom")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_findings_never_overlap_and_point_at_their_words(text):
    findings = check_facts(text)
    for a, b in itertools.pairwise(findings):
        assert a.end <= b.start
    for f in findings:
        assert text[f.start : f.end] == f.matched


def test_missing_sections_in_standard_order_and_ignores_white_space():
    required = ["follow_up", "facts", "client_view"]
    assert missing_sections(required, {"facts": "  ", "client_view": "Wants days only"}) == [
        "facts",
        "follow_up",
    ]
    assert missing_sections([], {}) == []


def test_oversized_sections():
    assert rules.oversized_sections({"facts": "x" * (rules.SECTION_MAX_CHARS + 1), "decisions": "ok"}) == [
        "facts"
    ]
