"""Turning database rows into the engine's inputs: criteria, settings and case facts (PC8).

Facts for any number of cases cost four queries (cases, flags, deadlines, open actions),
streamed in batches by the sweep.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from casework.cases.models import (
    RISK_FLAG_CODES,
    Action,
    ActionStatus,
    Case,
    CaseFlag,
    Deadline,
    FlagCode,
    FlagKind,
)
from casework.priorities import engine
from casework.priorities.calendar import WorkingCalendar
from casework.priorities.models import PriorityCriterion, PrioritySettings

FLAG_LABELS = dict(FlagCode.choices)


@lru_cache(maxsize=32)
def _calendar(extra: tuple[str, ...], removed: tuple[str, ...], tz: str) -> WorkingCalendar:
    return WorkingCalendar(
        extra_holidays=[dt.date.fromisoformat(d) for d in extra],
        removed_holidays=[dt.date.fromisoformat(d) for d in removed],
        timezone=tz,
        first_year=2000,
        last_year=2060,
    )


def settings_for(organisation_id: int) -> PrioritySettings:
    found, _ = PrioritySettings.objects.get_or_create(organisation_id=organisation_id)
    return found


def engine_settings(row: PrioritySettings, tz: str = "Europe/London") -> engine.EngineSettings:
    return engine.EngineSettings(
        red_threshold=row.red_threshold,
        amber_threshold=row.amber_threshold,
        urgency_threshold=row.urgency_threshold,
        importance_threshold=row.importance_threshold,
        first_contact_working_days=row.first_contact_working_days,
        first_contact_working_hours_at_risk=row.first_contact_working_hours_at_risk,
        contact_interval_days=row.contact_interval_days,
        contact_interval_days_at_risk=row.contact_interval_days_at_risk,
        pause_time_scales_on_hold=row.pause_time_scales_on_hold,
        calendar=_calendar(tuple(sorted(row.extra_holidays)), tuple(sorted(row.removed_holidays)), tz),
    )


_ENGINES: dict[int, tuple[Any, engine.Engine]] = {}


def engine_for(organisation_id: int) -> engine.Engine:
    """The organisation's compiled engine, rebuilt only when its criteria or settings change."""
    row = settings_for(organisation_id)
    criteria = list(PriorityCriterion.objects.filter(organisation_id=organisation_id, is_active=True))
    key = (
        row.version,
        tuple((c.pk, c.version) for c in criteria),
        tuple(row.extra_holidays),
        tuple(row.removed_holidays),
    )
    cached = _ENGINES.get(organisation_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    built = engine.Engine([c.as_engine() for c in criteria], engine_settings(row))
    _ENGINES[organisation_id] = (key, built)
    return built


def _flag_kind(code: str) -> str:
    return FlagKind.RISK if code in RISK_FLAG_CODES else FlagKind.VULNERABILITY


CASE_FACT_FIELDS = (
    "pk",
    "opened_on",
    "status",
    "complexity",
    "last_contact_at",
    "next_review_on",
    "contact_interval_days",
)


def facts_for(
    case_rows: Sequence[dict[str, Any]], *, id_range: tuple[int, int] | None = None
) -> list[engine.CaseFacts]:
    """Facts for cases given as ``values(*CASE_FACT_FIELDS)`` rows: three more queries in all.

    ``id_range``: the rows include every case of interest with an id in this range, so flags,
    deadlines and actions are read by range (cheaper than a list of thousands of ids).
    """
    ids = [row["pk"] for row in case_rows]
    cases: dict[str, Any] = (
        {"case_id__gte": id_range[0], "case_id__lte": id_range[1]} if id_range else {"case_id__in": ids}
    )
    flags: dict[int, list[engine.FlagFact]] = defaultdict(list)
    for case_id, code, raised_at in CaseFlag.objects.filter(**cases, cleared_at__isnull=True).values_list(
        "case_id", "code", "raised_at"
    ):
        flags[case_id].append(engine.FlagFact(code, _flag_kind(code), raised_at, FLAG_LABELS.get(code, "")))
    deadlines: dict[int, list[engine.DeadlineFact]] = defaultdict(list)
    for case_id, kind, description, due_on in Deadline.objects.filter(
        **cases, met_on__isnull=True
    ).values_list("case_id", "kind", "description", "due_on"):
        deadlines[case_id].append(engine.DeadlineFact(kind, description, due_on))
    actions: dict[int, list[dt.date]] = defaultdict(list)
    for case_id, due_on in Action.objects.filter(**cases, status=ActionStatus.OPEN).values_list(
        "case_id", "due_on"
    ):
        actions[case_id].append(due_on)
    return [
        engine.CaseFacts(
            case_id=row["pk"],
            opened_on=row["opened_on"],
            status=row["status"],
            complexity=row["complexity"],
            flags=tuple(flags.get(row["pk"], ())),
            deadlines=tuple(deadlines.get(row["pk"], ())),
            last_contact_at=row["last_contact_at"],
            open_action_due_dates=tuple(actions.get(row["pk"], ())),
            next_review_due=row["next_review_on"],
            contact_interval_days=row["contact_interval_days"],
        )
        for row in case_rows
    ]


def case_rows(case_ids: Iterable[int]) -> list[dict[str, Any]]:
    return list(
        Case.objects.filter(pk__in=list(case_ids)).values(*CASE_FACT_FIELDS, "organisation_id", "owner_id")
    )
