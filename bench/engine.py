"""Priority engine throughput on one core (issue 3, target (a): at least 200,000 assessments/s).

Builds a seeded, realistic mix of synthetic cases (flags, deadlines, contacts, actions, reviews
in the proportions a busy advice service sees), assesses them all with the default criteria and
prints the rate, e.g.

    engine: 100000 assessments in 0.41 s = 243,000/s (one core)

Usage: .venv/bin/python bench/engine.py [--cases N] [--seed S] [--repeat R] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import statistics
import time
from collections import Counter, deque
from datetime import UTC, datetime, timedelta

from casework.priorities.engine import (
    CaseFacts,
    DeadlineFact,
    Engine,
    EngineSettings,
    FlagFact,
    default_criteria,
)

RISK_FLAGS = [
    ("safeguarding", "Safeguarding concern"),
    ("risk_to_self", "Risk to self"),
    ("risk_to_others", "Risk to others"),
    ("domestic_abuse", "Domestic abuse"),
]
VULNERABILITY_FLAGS = [
    ("homelessness", "Homeless or at risk of homelessness"),
    ("mental_health", "Mental health condition"),
    ("disability", "Disability"),
    ("care_leaver", "Care leaver"),
    ("learning_difficulty", "Learning difficulty"),
    ("financial_hardship", "Financial hardship"),
    ("language", "Needs an interpreter"),
]
DEADLINES = [
    ("statutory", "Mandatory reconsideration"),
    ("statutory", "Tribunal appeal"),
    ("statutory", "Section 21 notice expires"),
    ("agreed", "Send payslips to the council"),
    ("agreed", "Return the benefit form"),
    ("internal", "Referral response"),
]


def synthetic_cases(n: int, seed: int, now: datetime) -> list[CaseFacts]:
    """``n`` cases as a service might hold them at ``now``: mostly open, some on hold or closed."""
    rng = random.Random(seed)
    today = now.date()
    cases = []
    for case_id in range(1, n + 1):
        age = int(rng.expovariate(1 / 120)) % 730
        opened_on = today - timedelta(days=age)
        status = rng.choices(["open", "on_hold", "closed"], weights=[90, 7, 3])[0]
        flags: list[FlagFact] = []
        if rng.random() < 0.10:
            code, label = rng.choice(RISK_FLAGS)
            flags.append(
                FlagFact(code, "risk", now - timedelta(hours=rng.randint(0, 24 * min(age, 60))), label)
            )
        if rng.random() < 0.25:
            for code, label in rng.sample(VULNERABILITY_FLAGS, rng.choice([1, 1, 1, 2])):
                flags.append(
                    FlagFact(code, "vulnerability", now - timedelta(days=rng.randint(0, age)), label)
                )
        deadlines = tuple(
            DeadlineFact(kind, description, today + timedelta(days=rng.randint(-5, 60)))
            for kind, description in rng.sample(DEADLINES, rng.choices([0, 1, 2], weights=[60, 30, 10])[0])
        )
        if age < 5 and rng.random() < 0.6:
            last_contact_at = None
        else:
            # Most cases are seen every week or two; a tail drifts past the 14-day time scale.
            hours = min(rng.expovariate(1 / (24 * 8)), 24 * (age + 1))
            last_contact_at = now - timedelta(hours=max(hours, 1))
        actions = tuple(
            today + timedelta(days=rng.randint(-20, 30))
            for _ in range(rng.choices([0, 1, 2, 3, 4], [40, 25, 20, 10, 5])[0])
        )
        review = today + timedelta(days=rng.randint(-10, 42)) if rng.random() < 0.7 else None
        cases.append(
            CaseFacts(
                case_id=case_id,
                opened_on=opened_on,
                status=status,
                complexity=rng.choices([1, 2, 3], weights=[30, 50, 20])[0],
                flags=tuple(flags),
                deadlines=deadlines,
                last_contact_at=last_contact_at,
                open_action_due_dates=actions,
                next_review_due=review,
            )
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()

    # A Wednesday in term time, mid-morning in London.
    now = datetime(2026, 3, 11, 10, 30, tzinfo=UTC)
    cases = synthetic_cases(args.cases, args.seed, now)
    engine = Engine(default_criteria(), EngineSettings())
    engine.assess_many(cases[:1000], now)  # warm up: builds the calendar table and the moment

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        engine.assess_many(cases, now - timedelta(seconds=1))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)

    # Best of several runs (the usual way to time code on a shared machine), in wall-clock and
    # in CPU time; a fresh moment each run, as a page view or a sweep would have.
    wall: list[float] = []
    cpu: list[float] = []
    streamed: list[float] = []
    results = []
    for run in range(args.repeat):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        results = engine.assess_many(cases, now + timedelta(seconds=run))
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        started = time.perf_counter()
        deque(engine.iter_assess(cases, now - timedelta(seconds=run + 1)), maxlen=0)
        streamed.append(time.perf_counter() - started)

    n = len(cases)
    bands = Counter(a.band for a in results)
    print(
        f"mix: {bands['red']} red, {bands['amber']} amber, {bands['green']} green; "
        f"{sum(1 for a in results if a.past_time_scale)} past a time scale; "
        f"{sum(len(a.rationale) for a in results) / n:.2f} reasons per case"
    )
    print(
        f"engine: {n} assessments in {min(wall):.2f} s = {n / min(wall):,.0f}/s (one core, assess_many, "
        f"best of {len(wall)})"
    )
    print(
        f"  median {n / statistics.median(wall):,.0f}/s; CPU time {n / min(cpu):,.0f}/s; "
        f"streamed with iter_assess {n / min(streamed):,.0f}/s; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
