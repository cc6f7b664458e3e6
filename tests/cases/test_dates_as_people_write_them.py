"""Dates and durations as people read them (issue 9, D15, D16, D25)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework.cases import rules
from casework.cases.models import CaseEvent
from casework.cases.services import ActionInput, action_add, note_record
from casework.cases.templatetags.cases import late_days
from tests.factories import contact_type


def test_dates_are_not_zero_padded():
    assert rules.short_date(dt.date(2026, 12, 4)) == "4 Dec 2026"
    assert rules.long_date(dt.date(2026, 12, 4)) == "4 December 2026"


def test_the_case_history_says_4_dec_not_04_dec(world):
    due = dt.date(timezone.localdate().year + 1, 12, 4)

    action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(description="Send the CV", due_on=due, assigned_to=world.practitioner),
    )

    summary = CaseEvent.objects.get(case=world.case, code="action_added").summary
    assert f"due 4 Dec {due.year}" in summary
    assert " 04 " not in summary


def test_71_hours_late_is_about_3_days_not_2(world):
    now = timezone.now()
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=now - dt.timedelta(hours=71, minutes=10),
        sections={"facts": "Rang.", "follow_up": "Friday."},
        now=now,
    )

    assert late_days(note.versions.get()) == 3


def test_the_new_case_form_does_not_promise_weighting_that_does_not_exist_yet(world, signed_in):
    page = signed_in(world.practitioner).get("/cases/new").content.decode()

    assert "weighs the case in the caseload" not in page
    assert "scores higher in the priority queue" in page
