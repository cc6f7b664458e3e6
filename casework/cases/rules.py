"""Pure rules about case notes: completeness and the fact/opinion check (PC1, PC17; K4, K5).

No Django import here: these are plain functions over plain data.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from casework.cases import opinion

SECTION_LABELS: dict[str, str] = {
    "facts": "Facts",
    "client_view": "Client's view",
    "assessment": "Practitioner's assessment",
    "actions_agreed": "Actions agreed",
    "decisions": "Decisions",
    "follow_up": "Follow-up",
}

SECTION_MAX_CHARS = 20_000

_LEXICON_PATH = Path(__file__).parent / "data" / "fact_opinion.json"


def missing_sections(required: Iterable[str], sections: Mapping[str, str]) -> list[str]:
    """The required section codes that are empty or only white space, in the standard order."""
    wanted = set(required)
    return [code for code in SECTION_LABELS if code in wanted and not (sections.get(code) or "").strip()]


def oversized_sections(sections: Mapping[str, str], limit: int = SECTION_MAX_CHARS) -> list[str]:
    return [code for code in SECTION_LABELS if len(sections.get(code) or "") > limit]


@dataclass(frozen=True)
class Finding:
    """One piece of wording in the facts that reads as opinion."""

    term: str
    matched: str
    start: int
    end: int
    category: str
    label: str
    advice: str


@dataclass(frozen=True)
class _Term:
    term: str
    pattern: re.Pattern[str]
    category: str
    label: str
    advice: str


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[_Term, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Lexicon:
        categories = data["categories"]
        term_advice = data.get("term_advice", {})
        assert isinstance(categories, Mapping) and isinstance(term_advice, Mapping)
        terms: list[_Term] = []
        for category, spec in categories.items():
            for term in spec["terms"]:
                words = [re.escape(w) for w in term.split()]
                # Whole words; any run of spaces between words of a phrase; straight or curly apostrophes.
                body = r"\s+".join(words).replace("'", "['\u2019]")
                pattern = re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)
                terms.append(
                    _Term(
                        term=term,
                        pattern=pattern,
                        category=category,
                        label=spec["label"],
                        advice=term_advice.get(term.lower(), spec["advice"]),
                    )
                )
        # Longer phrases first so "appears to be" wins over "appears" at the same place.
        terms.sort(key=lambda t: -len(t.term))
        return cls(tuple(terms))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.from_mapping(json.loads(_LEXICON_PATH.read_text(encoding="utf-8")))


def check_facts(text: str, lexicon: Lexicon | None = None) -> list[Finding]:
    """Flag judgemental or speculative wording in the facts section. It advises; it never blocks.

    Overlapping matches keep the longest phrase; findings come back in text order.
    """
    structure = lexicon is None  # a custom word list is checked on its own
    lexicon = lexicon or default_lexicon()
    taken: list[tuple[int, int]] = []
    findings: list[Finding] = []
    # The client's quoted words and reported speech are facts about what was said (issue 10).
    protected = opinion.Spans(opinion.protected_spans(text))
    for term in lexicon.terms:
        for match in term.pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if protected.covers(start, end) or opinion.plain_sense(text, start, end):
                continue
            taken.append((start, end))
            findings.append(
                Finding(
                    term=term.term,
                    matched=match.group(0),
                    start=start,
                    end=end,
                    category=term.category,
                    label=term.label,
                    advice=term.advice,
                )
            )
    if structure:
        boundaries = [m.end() for m in re.finditer(r"[.;!?\n]", text)]
        flagged_sentences = {_sentence_of(boundaries, f.start) for f in findings}
        for extra in opinion.structural_findings(text):
            sentence = _sentence_of(boundaries, extra.start)
            overlaps = any(extra.start < t_end and t_start < extra.end for t_start, t_end in taken)
            if overlaps or sentence in flagged_sentences:
                continue
            taken.append((extra.start, extra.end))
            flagged_sentences.add(sentence)
            findings.append(
                Finding(
                    term=extra.matched.lower(),
                    matched=extra.matched,
                    start=extra.start,
                    end=extra.end,
                    category=extra.category,
                    label=extra.label,
                    advice=extra.advice,
                )
            )
    findings.sort(key=lambda f: f.start)
    return findings


def _sentence_of(boundaries: list[int], index: int) -> int:
    """Where the sentence holding ``index`` starts (``boundaries``: just after each full stop,
    semicolon, mark or line break): one finding of structure per sentence."""
    position = bisect.bisect_right(boundaries, index)
    return boundaries[position - 1] if position else 0


# Client details ------------------------------------------------------------------------------

# The oldest date of birth accepted: older than this is almost certainly a typing mistake.
CLIENT_MAX_AGE_YEARS = 120


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def date_of_birth_problem(date_of_birth: date, today: date) -> str | None:
    """Why a date of birth cannot be right, or None if it can."""
    if date_of_birth > today:
        return "The date of birth cannot be in the future."
    if date_of_birth < years_before(today, CLIENT_MAX_AGE_YEARS):
        return f"The date of birth cannot be more than {CLIENT_MAX_AGE_YEARS} years ago. Check the year."
    return None


def short_date(day: date) -> str:
    """ "4 Dec 2026": the day unpadded, as people write it (issue 9, D16)."""
    return f"{day.day} {day:%b %Y}"


def long_date(day: date) -> str:
    """ "4 December 2026"."""
    return f"{day.day} {day:%B %Y}"
