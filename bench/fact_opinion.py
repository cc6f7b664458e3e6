"""How well the fact/opinion advice (``casework.cases.rules.check_facts``) separates opinion from
fact on sentences it was not written beside (issue 10).

    .venv/bin/python bench/fact_opinion.py [--dev]

The corpus is ``tests/corpus/fact_opinion.tsv``: sentences written for this purpose from
careers, employment, housing, welfare, debt, youth, children's and mental-health work, in the
registers practitioners write (terse, lower case, reported speech), each labelled fact or
opinion and by kind. Its split into development and held-out parts was made once, by a hash
of each sentence; the check may be tuned on the development part only. Figures are printed
for the held-out part (``--dev`` adds the development part, marked as such).

Recall: opinions flagged / opinions. False alarms: facts flagged / facts. Precision: opinions
flagged / everything flagged. The time per sentence is a median and p95 over five passes,
with a baseline (splitting the sentence into words) timed in the same run.
"""

from __future__ import annotations

import csv
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

import django  # noqa: E402

django.setup()

from casework.cases.rules import check_facts  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "fact_opinion.tsv"


def load(split: str) -> list[dict[str, str]]:
    with CORPUS.open(newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["split"] == split]


def report(name: str, rows: list[dict[str, str]], *, show: bool = False) -> None:
    flagged = {row["id"]: bool(check_facts(row["sentence"])) for row in rows}
    opinions = [row for row in rows if row["label"] == "opinion"]
    facts = [row for row in rows if row["label"] == "fact"]
    hits = sum(flagged[row["id"]] for row in opinions)
    alarms = sum(flagged[row["id"]] for row in facts)
    precision = hits / (hits + alarms) if hits + alarms else 0.0
    print(f"{name}: {len(opinions)} opinions, {len(facts)} facts")
    print(f"  recall      {hits}/{len(opinions)} = {hits / len(opinions):.0%}   (target 85 % or more)")
    print(f"  false alarm {alarms}/{len(facts)} = {alarms / len(facts):.0%}   (target 5 % or less)")
    print(f"  precision   {precision:.0%}")
    for label, group, word in (("opinion", opinions, "recall"), ("fact", facts, "false alarms")):
        totals = Counter(row["kind"] for row in group)
        caught = Counter(row["kind"] for row in group if flagged[row["id"]])
        print(f"  {label}s by kind ({word}):")
        for kind in sorted(totals):
            print(f"    {kind:<12} {caught[kind]:>3}/{totals[kind]:<3} {caught[kind] / totals[kind]:.0%}")
    missed = [row["sentence"] for row in opinions if not flagged[row["id"]]]
    wrong = [row["sentence"] for row in facts if flagged[row["id"]]]
    if show:  # the development part only: the held-out part's misses are not for tuning on
        print("  missed:", *missed, sep="\n    ")
        print("  false alarms:", *wrong, sep="\n    ")


def timing(rows: list[dict[str, str]], passes: int = 5) -> None:
    sentences = [row["sentence"] for row in rows]
    checks: list[float] = []
    baseline: list[float] = []
    for _ in range(passes):
        for sentence in sentences:
            start = time.perf_counter()
            check_facts(sentence)
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            sentence.lower().split()
            baseline.append(time.perf_counter() - start)
    median, p95 = statistics.median(checks), statistics.quantiles(checks, n=20)[-1]
    base = statistics.median(baseline)
    print(
        f"time per sentence: median {median * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms "
        f"({median / base:.0f}x a plain split into words, {base * 1e6:.2f} µs); budget 50 ms a note"
    )


if __name__ == "__main__":
    held = load("held")
    report("Held-out part", held)
    if "--dev" in sys.argv:
        report("Development part (the check may be tuned on this)", load("dev"), show="--show" in sys.argv)
    timing(held)
