"""The sweep's bulk path stores exactly what the ORM path stores (issue 3 (c))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Max

from casework.demo.generate import generate_organisation
from casework.priorities import bulk
from casework.priorities.models import CaseAssessment, Notification
from casework.priorities.services import sweep

NOW = datetime(2026, 11, 18, 11, 30, tzinfo=UTC)


def _stored(organisation_id: int) -> dict[int, tuple[Any, ...]]:
    fields = [f.attname for f in CaseAssessment._meta.concrete_fields]
    return {
        row[0]: row
        for row in CaseAssessment.objects.filter(organisation_id=organisation_id).values_list(*fields)
    }


def _notifications(organisation_id: int) -> list[tuple[Any, ...]]:
    fields = [f.attname for f in Notification._meta.concrete_fields if f.attname != "id"]
    return sorted(Notification.objects.filter(organisation_id=organisation_id).values_list(*fields))


def _sweep_both_ways(organisation_id: int, now: datetime, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """Sweep at ``now`` by the bulk path and, from the same starting store, by the ORM path."""
    before = _stored(organisation_id)
    last_notification = Notification.objects.aggregate(Max("pk"))["pk__max"] or 0
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "RAW_FROM", 10)  # so the notifications take the bulk path too
        raw = sweep(organisation_id=organisation_id, now=now)
    by_bulk = _stored(organisation_id)
    told = _notifications(organisation_id)
    CaseAssessment.objects.filter(organisation_id=organisation_id).delete()
    CaseAssessment.objects.bulk_create(
        CaseAssessment(
            **dict(zip([f.attname for f in CaseAssessment._meta.concrete_fields], row, strict=True))
        )
        for row in before.values()
    )
    Notification.objects.filter(pk__gt=last_notification).delete()
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "RAW_FROM", 10**9)
        orm = sweep(organisation_id=organisation_id, now=now)
    assert _stored(organisation_id) == by_bulk
    assert _notifications(organisation_id) == told
    return raw, orm


def test_bulk_and_orm_paths_store_the_same_assessments(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    org = generate_organisation(cases=400, seed=5, slug="bulk", practitioners=2, now=NOW, run_sweep=False)
    org_id = org.organisation.pk
    # A cold store: every live case is created (more than RAW_FROM, so the bulk path runs).
    raw, orm = _sweep_both_ways(org_id, NOW, monkeypatch)
    assert raw.created == orm.created == 280
    assert raw.turned_red == orm.turned_red and raw.notifications == orm.notifications >= 10
    # Three days on, contact and deadlines have moved: many rows change.
    later = NOW + timedelta(days=3)
    raw, orm = _sweep_both_ways(org_id, later, monkeypatch)
    assert raw.updated == orm.updated >= 10 and raw.created == orm.created == 0
    assert raw.turned_red == orm.turned_red
    # Nothing changed since: nothing is written.
    again = sweep(organisation_id=org_id, now=later)
    assert (again.assessed, again.created, again.updated, again.notifications) == (280, 0, 0, 0)
