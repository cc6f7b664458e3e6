"""Recall of the anonymiser on the marked test snippets, per kind of identifier (issue 4 item 6).

    .venv/bin/python bench/anonymise_recall.py

Recall = identifiers replaced (or, for dates, moved) / identifiers present. False positives are
replacements that touch no marked identifier. Two sets: the development set the tests hold to
95 %, and a harder set of messier notes written later, whose misses are the stated limitations.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.governance.anonymise_cases import (
    HARDER_SNIPPETS,
    SNIPPETS,
    Snippet,
    build_anonymiser,
    run_all,
    score,
)


def report(name: str, snippets: tuple[Snippet, ...]) -> None:
    result = score(run_all(build_anonymiser(), snippets))
    print(f"{name}: {len(snippets)} snippets, recall {result.describe()}")
    for kind in sorted(result.present):
        print(f"  {kind:<15} {result.found[kind]:>3}/{result.present[kind]:<3} {result.recall_of(kind):.2f}")
    print(f"  missed: {result.missed or 'none'}")
    print(f"  false positives: {result.false_positives or 'none'}")


if __name__ == "__main__":
    report("Development set", SNIPPETS)
    report("Harder set", HARDER_SNIPPETS)
