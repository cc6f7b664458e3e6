"""Priorities benchmark (issue 3 item 8): prints, for the database in use,

(c) the time to re-assess every live case of the organisation (``sweep``), first on a cold store
    (no stored assessments) and again with nothing changed;
(a) engine throughput on one core over facts loaded from the database, and the facts-loading rate;
(b) the Today page and the ``/api/today`` queue for a practitioner with 150 live cases: median
    and p95 server time over 200 requests, and the ratio to a raw SQL query fetching the same rows.

Targets: (a) >= 200,000 assessments/s; (b) p95 <= 40 ms and ratio <= 4; (c) <= 60 s for
1,000,000 cases. The organisation ``bench-<N>`` is generated first if the database lacks it
(``casework generate``, timed too), so a second run reuses it.

Usage (never part of ``make test``):

    .venv/bin/python bench/priorities.py --cases 20000                  # SQLite, bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_bench \\
        .venv/bin/python bench/priorities.py --cases 1000000
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
# Query logging and debug pages would distort every timing.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.accounts.models import Organisation, Role, User  # noqa: E402
from casework.cases.models import Case, CaseStatus  # noqa: E402
from casework.demo.generate import generate_organisation  # noqa: E402
from casework.priorities import facts  # noqa: E402
from casework.priorities.models import CaseAssessment, Notification, PrioritySnapshot  # noqa: E402
from casework.priorities.services import sweep  # noqa: E402

LIVE = (CaseStatus.OPEN, CaseStatus.ON_HOLD)

RAW_TODAY_SQL = """
SELECT c.id, c.status, c.opened_on, c.last_contact_at, cl.first_name, cl.last_name, cl.reference,
       a.score, a.band, a.effective_band, a.quadrant, a.urgency, a.importance, a.rationale,
       a.summary, a.past_time_scale, a.next_deadline
FROM cases_case c
JOIN cases_client cl ON cl.id = c.client_id
JOIN priorities_caseassessment a ON a.case_id = c.id
WHERE c.organisation_id = %s AND c.owner_id = %s AND c.status IN ('open', 'on_hold')
ORDER BY a.band_rank, a.score DESC, a.next_deadline_on NULLS LAST, c.id
"""


def database_label() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} (database {settings['NAME']})"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} ({settings['NAME']})"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed_ms(call: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def organisation_for(cases: int, seed: int) -> Organisation:
    slug = f"bench-{cases}"
    found = Organisation.objects.filter(slug=slug).first()
    if found is not None:
        print(f"organisation {slug}: already generated, reused")
        return found
    print(f"generating organisation {slug} ({cases:,} cases, seed {seed})...", flush=True)
    summary = generate_organisation(
        cases=cases, seed=seed, slug=slug, run_sweep=False, progress=lambda m: print(m, flush=True)
    )
    for line in summary.lines():
        print(f"  {line}")
    print(f"generate: {cases:,} cases in {summary.write_seconds:.1f} s", flush=True)
    return summary.organisation


def bench_sweep(org: Organisation) -> None:
    """(c) Re-assess every live case: once on a cold store, once more with nothing changed."""
    CaseAssessment.objects.filter(organisation=org).delete()
    Notification.objects.filter(organisation=org).delete()
    PrioritySnapshot.objects.filter(organisation=org).delete()
    gc.collect()
    started = time.perf_counter()
    cold = sweep(organisation_id=org.pk)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    warm = sweep(organisation_id=org.pk)
    warm_s = time.perf_counter() - started
    print(
        f"(c) sweep, cold store: {cold.assessed:,} live cases assessed and stored in {cold_s:.1f} s "
        f"({cold.assessed / cold_s:,.0f}/s; {len(cold.turned_red):,} red, "
        f"{cold.notifications:,} notifications)"
    )
    print(
        f"    sweep again, nothing changed: {warm.assessed:,} assessed, {warm.updated:,} updated "
        f"in {warm_s:.1f} s ({warm.assessed / warm_s:,.0f}/s)",
        flush=True,
    )


def bench_engine(org: Organisation, sample: int) -> None:
    """(a) Facts for up to ``sample`` live cases loaded from the database, then assessed."""
    fields = (*facts.CASE_FACT_FIELDS, "organisation_id", "owner_id")
    loaded: list[Any] = []
    last = 0
    started = time.perf_counter()
    while len(loaded) < sample:
        rows = list(
            Case.objects.filter(organisation=org, status__in=LIVE, pk__gt=last)
            .order_by("pk")
            .values(*fields)[: min(10_000, sample - len(loaded))]
        )
        if not rows:
            break
        loaded += facts.facts_for(rows, id_range=(rows[0]["pk"], rows[-1]["pk"]))
        last = rows[-1]["pk"]
    load_s = time.perf_counter() - started
    eng = facts.engine_for(org.pk)
    now = timezone.now()
    eng.assess_many(loaded[:1000], now)  # warm up: the calendar table and the moment
    wall, cpu = [], []
    for run in range(5):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        eng.assess_many(loaded, now + timedelta(seconds=run + 1))
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    n = len(loaded)
    print(
        f"(a) engine: {n:,} assessments in {min(wall):.2f} s = {n / min(wall):,.0f}/s on one core "
        f"(best of 5; median {n / statistics.median(wall):,.0f}/s; CPU time {n / min(cpu):,.0f}/s)"
    )
    print(
        f"    facts loaded from the database: {n:,} cases in {load_s:.1f} s = {n / load_s:,.0f}/s", flush=True
    )


def bench_today(org: Organisation, requests: int) -> None:
    """(b) The Today page and /api/today for a practitioner with 150 live cases, against raw SQL."""
    counts = (
        Case.objects.filter(organisation=org, status__in=LIVE, owner__role=Role.PRACTITIONER)
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    owner_id = min(counts, key=lambda c: (abs(c["n"] - 150), c["owner_id"]))["owner_id"]
    user = User.objects.get(pk=owner_id)
    live = Case.objects.filter(owner=user, status__in=LIVE).aggregate(
        live=Count("pk"), open=Count("pk", filter=Q(status=CaseStatus.OPEN))
    )
    print(
        f"(b) practitioner {user.username}: {live['live']} live cases ({live['open']} open, the rest on hold)"
    )
    with connection.cursor() as cursor:
        raw = timed_ms(lambda: cursor.execute(RAW_TODAY_SQL, [org.pk, user.pk]) or cursor.fetchall(), 20)
        raw = timed_ms(
            lambda: cursor.execute(RAW_TODAY_SQL, [org.pk, user.pk]) or cursor.fetchall(), requests
        )
        cursor.execute(RAW_TODAY_SQL, [org.pk, user.pk])
        raw_rows = len(cursor.fetchall())
    raw_median = statistics.median(raw)
    print(f"    raw SQL ({raw_rows} rows): median {raw_median:.1f} ms, p95 {percentile(raw, 0.95):.1f} ms")
    client = Client()
    client.force_login(user)
    # The API pages by 50 by default; ask for every live case, as the page and the raw SQL fetch.
    pages = [("today page", "/today/"), ("/api/today", "/api/today?limit=200")]
    try:
        pages[0] = ("today page", reverse("priorities:today"))
    except NoReverseMatch:
        pages = pages[1:]
    for label, url in pages:
        response = client.get(url)
        if response.status_code != 200:
            print(f"    {label} ({url}): answered {response.status_code}; not measured")
            continue
        if url.startswith("/api/"):
            body = response.json()
            print(f"    {url}: {len(body['items'])} items of {body['count']}")
        for _ in range(10):
            client.get(url)
        times = timed_ms(partial(client.get, url), requests)
        median = statistics.median(times)
        print(
            f"    {label}: median {median:.1f} ms, p95 {percentile(times, 0.95):.1f} ms; "
            f"raw SQL {raw_median:.1f} ms; ratio {median / raw_median:.1f} "
            f"(p95 ratio {percentile(times, 0.95) / percentile(raw, 0.95):.1f}; {requests} requests)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sample", type=int, default=200_000, help="cases whose facts feed (a)")
    parser.add_argument("--skip-sweep", action="store_true", help="keep the stored assessments; skip (c)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database: {database_label()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    org = organisation_for(args.cases, args.seed)
    if args.skip_sweep and CaseAssessment.objects.filter(organisation=org).exists():
        print("(c) skipped")
    else:
        bench_sweep(org)
    bench_engine(org, args.sample)
    bench_today(org, args.requests)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
