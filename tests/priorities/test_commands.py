"""`casework sweep` and `casework snapshot` (PC11-PC13)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from casework.cases.models import Case, FlagCode
from casework.priorities.models import CaseAssessment, Notification, PrioritySnapshot
from tests.priorities.conftest import live_case


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sweep_assesses_picks_up_the_passing_of_time_and_prints_counts(world):
    due_soon = live_case(world.practitioner)
    # A deadline set long ago, by the factory, without the service: only a sweep sees it.
    due_soon.deadlines.create(
        organisation=world.organisation,
        kind="statutory",
        description="Tribunal",
        due_on=timezone.localdate() + dt.timedelta(days=1),
    )
    red = Case.objects.get(pk=live_case(world.colleague, flags=[FlagCode.SAFEGUARDING]).pk)
    CaseAssessment.objects.filter(case=red).delete()  # as if it were loaded in bulk
    Notification.objects.all().delete()

    output = run("sweep")

    # world.case, red and the foreign case are new; due_soon changed.
    assert output.splitlines()[0].startswith("Assessed 4 cases in ")
    assert output.splitlines()[0].endswith(" s: 3 assessed for the first time, 1 changed, 1 turned red.")
    assert output.splitlines()[1] == "3 notifications sent, 0 overrides expired."
    assert "statutory deadline (Tribunal)" in CaseAssessment.objects.get(case=due_soon).summary
    assert PrioritySnapshot.objects.filter(on=timezone.localdate()).count() == 3


def test_a_second_sweep_changes_nothing_and_tells_nobody_again(world):
    live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])
    run("sweep")
    before = Notification.objects.count()

    output = run("sweep", "--organisation", world.organisation.slug)

    assert output.splitlines()[0].endswith(" s: 0 assessed for the first time, 0 changed, 0 turned red.")
    assert Notification.objects.count() == before


def test_sweep_quiet_prints_nothing(world):
    assert run("sweep", "--quiet") == ""
    assert CaseAssessment.objects.filter(case=world.case).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "nowhere"], "No organisation with the slug 'nowhere'."),
        (["--batch-size", "0"], "--batch-size must be 1 or more."),
    ],
)
def test_sweep_refuses_bad_arguments(world, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("sweep", *args)
    assert not CaseAssessment.objects.exists()


def test_snapshot_records_a_day_once(world):
    live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])
    live_case(world.colleague)

    first = run("snapshot", "--date", "2026-11-20", "--organisation", world.organisation.slug)
    again = run("snapshot", "--date", "2026-11-20", "--organisation", world.organisation.slug)

    assert first == "Recorded band counts for 2 practitioners on 2026-11-20.\n"
    mine = PrioritySnapshot.objects.get(practitioner=world.practitioner, on=dt.date(2026, 11, 20))
    assert (mine.red, mine.amber, mine.green) == (1, 0, 0)
    assert "1 organisations already had a snapshot that day" in again
    assert PrioritySnapshot.objects.count() == 2


def test_snapshot_refuses_a_bad_date(world):
    with pytest.raises(CommandError, match=re.escape("Give the date as 2026-11-23.")):
        run("snapshot", "--date", "23/11/2026")
