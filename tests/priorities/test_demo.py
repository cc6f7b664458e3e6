"""The demo shows priorities: every live case assessed, some red, and two weeks of daily
snapshots behind the supervisor's chart (PC13)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from casework.cases.models import Case, CaseStatus, FlagCode
from casework.demo.builder import build_demo
from casework.priorities.demo import DEMO_HISTORY_DAYS, demo_priorities
from casework.priorities.models import CaseAssessment, PrioritySnapshot
from tests.factories import CaseFactory
from tests.priorities.conftest import live_case


def test_demo_priorities_assesses_every_case_and_backdates_daily_snapshots(world):
    now = timezone.now()
    red = live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])
    # Opened yesterday: it counts from yesterday's snapshot on, not before.
    CaseFactory(owner=world.colleague, opened_on=timezone.localdate() - dt.timedelta(days=1))

    result = demo_priorities(organisation_id=world.organisation.pk, now=now)

    live = Case.objects.filter(
        organisation=world.organisation, status__in=[CaseStatus.OPEN, CaseStatus.ON_HOLD]
    )
    assert CaseAssessment.objects.filter(case__in=live).count() == live.count() == 3
    assert result.sweep.assessed == 3
    days = {
        row["on"] for row in PrioritySnapshot.objects.filter(organisation=world.organisation).values("on")
    }
    today = timezone.localdate(now)
    assert days == {today - dt.timedelta(days=n) for n in range(DEMO_HISTORY_DAYS + 1)}
    alex_past = PrioritySnapshot.objects.get(practitioner=world.practitioner, on=today - dt.timedelta(days=3))
    # The safeguarding flag was raised today, so three days ago that case was not yet red.
    assert (alex_past.red, alex_past.amber + alex_past.green) == (0, 2)
    alex_today = PrioritySnapshot.objects.get(practitioner=world.practitioner, on=today)
    assert alex_today.red == 1 and red.assessment.band == "red"
    colleague_days = PrioritySnapshot.objects.filter(practitioner=world.colleague).values_list(
        "on", flat=True
    )
    assert min(colleague_days) == today - dt.timedelta(days=1)


def test_the_demo_build_leaves_priorities_to_show(db):
    now = timezone.now()

    summary = build_demo(clients=40, now=now)

    org = summary.organisation
    live = Case.objects.filter(organisation=org, status__in=[CaseStatus.OPEN, CaseStatus.ON_HOLD])
    assert CaseAssessment.objects.filter(case__in=live).count() == live.count() > 0
    bands = dict(
        CaseAssessment.objects.filter(case__in=live).values_list("effective_band").annotate(n=Count("pk"))
    )
    assert bands.get("red", 0) > 0
    snapshot_days = PrioritySnapshot.objects.filter(organisation=org).values("on").distinct().count()
    assert snapshot_days == DEMO_HISTORY_DAYS + 1
