"""Opinion in the facts that no word list holds: the structure of a judgement (issue 10; K4, K5).

The word list in ``data/fact_opinion.json`` catches the words of speculation and judgement.
This module adds what a list cannot: a person or place described with a judging complement
("is chaotic", "was a bully", "is not engaging", "has no respect for staff"), predictions and
advice written as facts ("is bound to drop out", "should really move out"), idioms that judge
("has his head in the sand"), and hedges ("does not seem to", "my impression is").

It also knows what is *not* the practitioner's opinion, so the advice stays quiet there:
the client's own words in quotation marks, reported speech ("she said she is useless with
money", "his teacher described him as..."), and listed words in their plain sense ("the
amount shown on the letter", "appeared in court", "clearly states").

Evaluative words come from the VADER sentiment lexicon (Hutto and Gilbert, 2014; MIT
licence; installed with the ``vaderSentiment`` package from PyPI and read from its files, so
nothing is fetched at run time), plus a short list of British words it lacks. Pure Python:
no Django, no model, about a tenth of a millisecond a sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words the VADER lexicon lacks or spells the American way, judged as it would judge them.
EXTRA_EVALUATIVE = _words(
    """
    scruffy rubbish filthy creepy mouthy stroppy unrealistic overbearing belligerent immature
    disorganised unorganised squalid inappropriate unreliable nosy work-shy workshy unemployable
    entitled irresponsible feckless gobby cocky lippy slovenly grubby unkempt manky minging
    dodgy shifty sly sneaky devious vindictive spoilt spoiled clingy flaky unhelpful uncooperative
    unco-operative obstructive confrontational challenging volatile erratic chaotic defiant
    oppositional neglectful inadequate incompetent incapable dysfunctional unmanageable
    wayward feral wild naughty rowdy unruly moody lazy useless hopeless pathetic
    """
)
# Words that describe a state, an event or a body, not a judgement of the person.
NOT_JUDGEMENT = _words(
    """
    pain ill sick injured hurt crying cried upset late homeless unemployed evicted arrested
    dead died ill-health disabled pregnant tired exhausted worried anxious scared afraid
    frightened lonely alone sad hungry cold wet bleeding bruised broke broken damaged stolen
    lost missing absent sanctioned excluded suspended overdue unpaid refused rejected closed
    ended cancelled lonely grieving bereaved depressed
    """
)
LABEL_NOUNS = (
    r"bully|liar|troublemaker|trouble-maker|time[- ]waster|hoarder|alcoholic|addict|junkie|"
    r"gambler|cheat|scrounger|nuisance|know-it-all|attention[- ]seeker|bad influence|"
    r"poor parent|bad parent|hopeless case|lost cause|waste of space|drama queen|wind-up merchant|"
    r"loner|thief|thug|yob|chav|nutter|psycho|control freak|layabout|skiver|sponger"
)
IDIOMS = (
    r"head in the sand|burying (?:his|her|their) head|chip on (?:his|her|their) shoulder|"
    r"all talk|(?:his|her|their) own worst enemy|away with the fairies|pull(?:ing)? the wool|"
    r"losing the plot|lost the plot|taking us for a ride|taking the mick|taking the piss|"
    r"owes (?:him|her|them) a living|dragging (?:his|her|their) feet|playing the system|"
    r"gaming the system|milking it|coasting|full of (?:himself|herself|themselves)|"
    r"living beyond (?:his|her|their) means|runs? rings round|loose cannon|firm hand|"
    r"sorry for (?:himself|herself|themselves)|pull (?:his|her|their) weight|lifestyle choice|"
    r"butter wouldn't melt|on another planet|has it in for|thinks (?:he|she|they) knows? best|"
    r"(?:his|her|their) own fault|brought it on (?:himself|herself|themselves)|a law unto|"
    r"not the sharpest|a few sandwiches|off (?:his|her|their) head|needs a kick"
)
SUBJECT_WORDS = (
    r"he|she|they|it|him|her|client|the client|tenant|the tenant|mum|dad|mother|father|"
    r"parent|parents|family|the family|children|the children|child|the child|partner|"
    r"landlord|grandmother|grandfather|carer|young person|yp|[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?|"
    r"(?:the|his|her|their)\s+[a-z-]+"
)
COPULA = (
    r"is|was|are|were|'s|\u2019s|seems?|seemed|looks?|looked|looking|came across as|comes across as|"
    r"sounds?|sounded|sounding|acting|acted|behaved|behaving|turned up|became|becoming|gets|got|getting"
)
INTENSIFIERS = (
    r"(?:(?:not|very|so|really|quite|a bit|a little|completely|totally|extremely|too|rather|such|"
    r"being|getting|always|often|just|still|even|pretty|incredibly|utterly|fairly)\s+)*"
)
REPORTING = (
    r"said|says|say|told|tells|tell|described|describes|reported|reports|wrote that|writes that|"
    r"wrote:|writes:|explained|"
    r"explains|stated|states|claimed|claims|admitted|admits|asked|asks|mentioned|mentions|"
    r"disclosed|discloses|complained|complains|insisted|insists|shouted|replied|replies|"
    r"according to|in (?:his|her|their) words|feels that|believes that"
)
# Emphatic or speculative words followed by a verb of record are in their plain sense:
# "clearly states", "obviously visible", "shown on the letter", "appeared in court".
PLAIN_SENSE_AFTER = (
    r"states?|stated|shows?|showed|shown|listed|dated|visible|marked|written|signed|labelled|"
    r"printed|enrolled|booked|confirmed|agreed|paid|sent|received|recorded|displayed"
)


@dataclass(frozen=True)
class StructuralFinding:
    start: int
    end: int
    matched: str
    category: str
    label: str
    advice: str


ADVICE = {
    "judgement": (
        "Judges the person",
        "This labels the person. Say what happened instead: what they did or said, when, and how "
        "often, for example 'missed 3 appointments and did not reply to 2 letters'.",
    ),
    "prediction": (
        "Prediction or advice",
        "This is a forecast or your advice, not something that happened. Put it in the "
        "practitioner's assessment, with the facts that lead you to it.",
    ),
    "idiom": (
        "A figure of speech that judges",
        "This saying carries a judgement. Record the facts it stands for: what was said or done.",
    ),
    "hedge": (
        "Speculation",
        "This reads as a guess or a belief. Record what you saw or heard, or move it to the "
        "practitioner's assessment.",
    ),
}


@lru_cache(maxsize=1)
def evaluative_words() -> frozenset[str]:
    """Negative words of the VADER lexicon (mean valence -0.8 or lower), and our additions."""
    words = set(EXTRA_EVALUATIVE)
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            try:
                valence = float(parts[1])
            except ValueError:
                continue
            if valence <= -0.8:
                words.add(parts[0].lower())
    return frozenset(words - NOT_JUDGEMENT)


def _british(word: str) -> list[str]:
    """A British spelling and its American form, as VADER holds the latter."""
    forms = [word]
    if "is" in word:
        forms.append(re.sub(r"is(e|ed|ing|ation)$", r"iz\1", word))
    if word.endswith("our"):
        forms.append(word[:-3] + "or")
    return forms


# Words ending in -ing that judge (an -ing word after "was" is otherwise a verb: "was crying").
JUDGING_ING = _words(
    """
    appalling disgusting annoying irritating frustrating alarming boring demanding intimidating
    patronising condescending infuriating exhausting embarrassing disappointing shocking
    uncaring unwilling manipulating controlling domineering
    """
)


def is_evaluative(word: str) -> bool:
    word = word.lower().strip("'\u2019")
    if word in NOT_JUDGEMENT:
        return False
    if word.endswith("ing") and word not in JUDGING_ING:
        return False
    return word in JUDGING_ING or any(form in evaluative_words() for form in _british(word))


_QUOTE = re.compile(
    r"[\"“”«»][^\"“”«»]{1,400}[\"“”«»]|(?:(?<=\s)|^)['\u2018][^'\u2019\n]{2,200}['\u2019](?=[\s.,;:!?)]|$)"
)
_SENTENCE = re.compile(r"[^.;!?\n]+[.;!?]?", re.MULTILINE)
_REPORTED = re.compile(rf"\b(?:{REPORTING})\b", re.IGNORECASE)
_COMPLEMENT = re.compile(
    rf"\b(?:{COPULA})\s+{INTENSIFIERS}(?:an?\s+|the\s+)?(?P<word>[A-Za-z-]+)(?:\s+(?P<second>[A-Za-z-]+))?",
    re.IGNORECASE,
)
# "An arrogant young man", "a very rude woman": a judging word before a word for a person.
_ATTRIBUTIVE = re.compile(
    r"\b(?:an?|this|that)\s+(?:very\s+|really\s+|quite\s+|rather\s+)?(?P<word>[A-Za-z-]+)\s+"
    r"(?:young\s+|old\s+|little\s+)?(?:man|woman|lad|girl|boy|person|individual|character|lady|"
    r"gentleman|family|mother|father|parent|mum|dad|tenant|client|child|teenager|household)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    rf"\b(?:is|was|are|were|'s|\u2019s|being|seems like|such)\s+(?:a|an|the)\s+"
    rf"(?:real\s+|total\s+|bit of a\s+|complete\s+)?(?:[a-z-]+\s+)?(?:{LABEL_NOUNS})\b",
    re.IGNORECASE,
)
_NOT_DOING = re.compile(
    r"\b(?:(?:is|was|are|were|'s)\s+)?not\s+(?:really\s+|at all\s+)?"
    r"(?:engaging|interested|bothered|motivated|committed|ready|job[- ]ready|academic|serious|"
    r"trying|fit to|capable|willing)\b",
    re.IGNORECASE,
)
_LACKS = re.compile(
    r"\b(?:lacks?|lacking|has no|have no|had no|shows? no|showed no|has a (?:bad|poor|negative)|"
    r"had a (?:bad|poor|negative)|with a (?:bad|poor|negative)|(?:very )?poor)\s+"
    r"(?:ambition|motivation|insight|commitment|respect|drive|attitude|self-control|boundaries|interest|"
    r"idea|sense|manners|work ethic)\b",
    re.IGNORECASE,
)
_PREDICTION = re.compile(
    r"\b(?:(?:is|are|was|were|'s)\s+(?:bound|going|likely|unlikely|sure|certain|set)\s+to|"
    r"will\s+(?:probably|never|definitely|certainly|surely|likely|just|end up|struggle|fail|lose|"
    r"not cope|not last|drop out|reoffend|relapse)|won['\u2019]?t\s+(?:last|cope|manage|bother|change)|"
    r"heading\s+for|on (?:the|a) (?:road|path) to|destined to|doomed|is a matter of time|"
    r"(?<!legally )bound to)\b",
    re.IGNORECASE,
)
_ADVICE = re.compile(
    r"\b(?:should(?:\s+really)?\s+(?!be\s+\w+ed\b|arrive|receive|get a decision|hear)\w+|"
    r"ought\s+to|needs?\s+to\s+(?:grow|stop|take|sort|pull|be more|get (?:a|his|her|their)|start|"
    r"learn|realise|realize|accept|understand|try harder|buck|wake|man up|calm)|"
    r"needs\s+a\s+(?:firm|kick|reality|wake)|must\s+(?:stop|start|learn|take|realise|accept))",
    re.IGNORECASE,
)
_IDIOM = re.compile(rf"\b(?:{IDIOMS})\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:does(?:\s+not|n['\u2019]t)\s+seem|did(?:\s+not|n['\u2019]t)\s+seem|seems?\s+to\s+think|"
    r"my (?:impression|feeling|sense|view) is|I (?:get|got|had) the (?:sense|feeling|impression)|"
    r"I doubt|I reckon|I wonder|I expect|as though|as if|I would say|I'd say|in my (?:view|opinion)|"
    r"(?:may|might|could)\s+(?:be|have been)\s+\w+ing|"
    r"(?:may|might|could)\s+have\s+(?!(?:a|an|the|to|his|her|their|some|no|any)\b)\w+|"
    r"(?:it is|it's|it was|is)\s+(?:\w+\s+)?(?:obvious|evident|apparent|plain to see))\b",
    re.IGNORECASE,
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where the words are not the practitioner's: quoted words, and reported speech from a
    reporting verb to the end of its sentence."""
    spans = [match.span() for match in _QUOTE.finditer(text)]
    for sentence in _SENTENCE.finditer(text):
        reported = _REPORTED.search(sentence.group(0))
        if reported is not None:
            spans.append((sentence.start() + reported.start(), sentence.end()))
    return spans


def plain_sense(text: str, start: int, end: int) -> bool:
    """A listed word used in its plain sense: "clearly states", "shown on", "appeared in court"."""
    after = text[end : end + 40].lower()
    word = text[start:end].lower()
    if re.match(rf"\s+(?:{PLAIN_SENSE_AFTER})\b", after):
        return True
    return (
        word in ("appeared", "appears", "appear") and re.match(r"\s+(?:in|at|on|before)\b", after) is not None
    )


class Spans:
    """Stretches of text, merged and sorted, to ask quickly whether one holds a range."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and end <= self.ends[index]


def structural_findings(text: str) -> Iterator[StructuralFinding]:
    """Judgements the word list cannot hold, outside quoted and reported words."""
    protected = Spans(protected_spans(text))

    def found(match: re.Match[str], category: str, group: int | str = 0) -> StructuralFinding | None:
        start, end = match.span(group)
        if protected.covers(start, end):
            return None
        label, advice = ADVICE[category]
        return StructuralFinding(start, end, text[start:end], category, label, advice)

    for pattern, category in (
        (_LABEL, "judgement"),
        (_NOT_DOING, "judgement"),
        (_LACKS, "judgement"),
        (_PREDICTION, "prediction"),
        (_ADVICE, "prediction"),
        (_IDIOM, "idiom"),
        (_HEDGE, "hedge"),
    ):
        for match in pattern.finditer(text):
            if (finding := found(match, category)) is not None:
                yield finding
    for pattern in (_COMPLEMENT, _ATTRIBUTIVE):
        for match in pattern.finditer(text):
            for group in ("word", "second") if pattern is _COMPLEMENT else ("word",):
                word = match.group(group)
                if word and is_evaluative(word) and (finding := found(match, "judgement", group)) is not None:
                    yield finding
                    break
