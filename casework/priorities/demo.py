"""Priorities in the demo organisation: every case assessed, and two weeks of history (PC13).

``casework demo`` calls ``demo_priorities`` once it has written the cases. The sweep assesses
every case as ``casework sweep`` would; the daily snapshots before today are worked out by the
engine from the cases as they stand, counting only the cases already open and the flags
already raised on each day, so the supervisor's chart has a plausible fortnight behind it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from casework.cases.models import Case, CaseStatus
from casework.priorities import engine
from casework.priorities.facts import CASE_FACT_FIELDS, engine_for, facts_for
from casework.priorities.models import PrioritySnapshot
from casework.priorities.services import ReassessResult, sweep

DEMO_HISTORY_DAYS = 14


@dataclass(frozen=True)
class DemoPriorities:
    sweep: ReassessResult
    snapshots: int


def demo_priorities(
    *, organisation_id: int, now: dt.datetime, days: int = DEMO_HISTORY_DAYS
) -> DemoPriorities:
    """Assess every demo case now, then back-date ``days`` days of band-count snapshots."""
    result = sweep(organisation_id=organisation_id, now=now)
    return DemoPriorities(sweep=result, snapshots=_backdated_snapshots(organisation_id, now, days))


def _backdated_snapshots(organisation_id: int, now: dt.datetime, days: int) -> int:
    rows = list(
        Case.objects.filter(
            organisation_id=organisation_id, status__in=[CaseStatus.OPEN, CaseStatus.ON_HOLD]
        ).values(*CASE_FACT_FIELDS, "organisation_id", "owner_id")
    )
    owners = {row["pk"]: row["owner_id"] for row in rows}
    facts = facts_for(rows)
    assess = engine_for(organisation_id)
    snapshots: list[PrioritySnapshot] = []
    for back in range(1, days + 1):
        moment = now - dt.timedelta(days=back)
        on = timezone.localdate(moment)
        then = [
            dataclasses.replace(f, flags=tuple(flag for flag in f.flags if flag.raised_at <= moment))
            for f in facts
            if f.opened_on <= on
        ]
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for assessment in assess.assess_many(then, moment):
            tally = counts[owners[int(assessment.case_id)]]
            tally[assessment.band] += 1
            tally["past"] += bool(assessment.past_time_scale)
        snapshots += [
            PrioritySnapshot(
                organisation_id=organisation_id,
                practitioner_id=owner_id,
                on=on,
                red=tally[engine.RED],
                amber=tally[engine.AMBER],
                green=tally[engine.GREEN],
                past_time_scale=tally["past"],
            )
            for owner_id, tally in counts.items()
        ]
    PrioritySnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    return len(snapshots)
