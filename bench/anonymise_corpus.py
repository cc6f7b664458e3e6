"""Recall of the anonymiser on case-note lines it was not written beside, with no known people
given to it, and how many ordinary words it replaces (issue 10).

    .venv/bin/python bench/anonymise_corpus.py [--dev] [--show]

The corpus is ``tests/corpus/anonymise_notes.txt``: 200 lines written for this purpose, each
identifier marked ``{surface|kind}`` (names in lower case, single names and nicknames, Irish,
Welsh, Arabic, Somali, Nigerian, Polish and Chinese names, vehicle registrations, handles,
phone numbers, e-mails, addresses, NI and NHS numbers, dates). Its split into development and
held-out parts was made once by a hash; figures are printed for the held-out part.

Recall: identifiers replaced (dates: moved) / identifiers. Over-redaction: words outside any
marked identifier that were replaced / all such words (target 1 % or less).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casework.governance.anonymise import Anonymiser  # noqa: E402
from tests.governance.anonymise_cases import (  # noqa: E402
    Snippet,
    corpus_notes,
    over_redaction,
    run_all,
    score,
)


def report(name: str, notes: tuple[Snippet, ...], *, show: bool = False) -> None:
    outcomes = run_all(Anonymiser(shift_weeks=4), notes)
    result = score(outcomes)
    names = result.found["person"], result.present["person"]
    print(f"{name}: {len(notes)} notes, recall {result.describe()}   (target 0.97 or more)")
    print(f"  names: {names[0]}/{names[1]} = {names[0] / names[1]:.3f}   (target 0.95 or more)")
    for kind in sorted(result.present):
        print(f"  {kind:<15} {result.found[kind]:>3}/{result.present[kind]:<3} {result.recall_of(kind):.2f}")
    replaced, total, words = over_redaction(outcomes)
    print(f"  ordinary words replaced: {replaced}/{total} = {replaced / total:.1%}   (target 1 % or less)")
    if show:  # the development part only: the held-out part's misses are not for tuning on
        print("  missed:", result.missed)
        print("  ordinary words replaced:", dict(words))


if __name__ == "__main__":
    report("Held-out part", corpus_notes("held"))
    if "--dev" in sys.argv:
        report(
            "Development part (the anonymiser may be tuned on this)",
            corpus_notes("dev"),
            show="--show" in sys.argv,
        )
