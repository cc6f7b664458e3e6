"""The fact/opinion advice beyond its word list (issue 10): judging complements, predictions
and advice, idioms and hedges are flagged; quoted and reported words and listed words in their
plain sense are not. The sentences here are new, not the corpus's."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from casework.cases.opinion import evaluative_words, is_evaluative
from casework.cases.rules import check_facts

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "fact_opinion.tsv"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mrs Price is selfish with her time.", "judgement"),
        ("The client was obnoxious at the front desk.", "judgement"),
        ("Liam is a real thug.", "judgement"),
        ("She is not committed to the programme.", "judgement"),
        ("He lacks motivation.", "judgement"),
        ("A very ignorant young woman.", "judgement"),
        ("He is going to lose the flat.", "prediction"),
        ("She ought to apologise to her landlord.", "prediction"),
        ("Client needs to accept the offer.", "prediction"),
        ("He has brought it on himself.", "idiom"),
        ("My feeling is that he knows more than he says.", "hedge"),
        ("He could have sold the car by now.", "hedge"),
    ],
)
def test_judgements_no_word_list_holds_are_flagged(text, category):
    findings = check_facts(text)
    assert [f.category for f in findings] == [category], findings
    assert findings[0].advice
    assert text[findings[0].start : findings[0].end] == findings[0].matched


@pytest.mark.parametrize(
    "text",
    [
        'He said the landlord is "a total crook".',
        "She told me she is useless at filling in forms.",
        "His manager described him as lazy.",
        "Dad said, 'she is obviously lying'.",
        "The letter clearly states the hearing is on 4 March.",
        "The figure shown on the statement is £412.",
        "He appeared in court on Tuesday.",
        "She was crying when she arrived and had a cut lip.",
        "He has been homeless since June and is unemployed.",
        "The boiler is broken and the window is damaged.",
    ],
)
def test_quoted_reported_and_plain_words_are_facts(text):
    assert check_facts(text) == []


def test_one_finding_of_structure_per_sentence_beside_the_word_list():
    findings = check_facts("I think he was obviously upset.")
    assert [f.term for f in findings] == ["I think", "obviously"]


def test_the_lexicon_is_vaders_with_british_spellings():
    words = evaluative_words()
    assert len(words) > 1500
    assert is_evaluative("disorganised") and is_evaluative("scruffy")
    assert not is_evaluative("crying") and not is_evaluative("pain")


def _figures(split: str) -> tuple[float, float]:
    with CORPUS.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["split"] == split]
    opinions = [row for row in rows if row["label"] == "opinion"]
    facts = [row for row in rows if row["label"] == "fact"]
    recall = sum(bool(check_facts(row["sentence"])) for row in opinions) / len(opinions)
    alarms = sum(bool(check_facts(row["sentence"])) for row in facts) / len(facts)
    return recall, alarms


def test_the_corpus_is_big_enough_and_split_once():
    with CORPUS.open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 300
    assert {row["split"] for row in rows} == {"dev", "held"}
    assert len({row["sentence"] for row in rows}) == len(rows)
    held = sum(row["split"] == "held" for row in rows) / len(rows)
    assert 0.3 < held < 0.5


@pytest.mark.parametrize("split", ["dev", "held"])
def test_the_advice_meets_its_targets_on_the_corpus(split):
    """A guard against regressions: recall at least 85 % and false alarms at most 5 %. The
    held-out part is measured, never tuned on (bench/fact_opinion.py prints the detail)."""
    recall, alarms = _figures(split)
    assert recall >= 0.85
    assert alarms <= 0.05
