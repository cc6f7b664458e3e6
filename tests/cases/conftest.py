"""Fixtures for the case pages' tests: a valid note form submission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import contact_type


@pytest.fixture
def note_data(world: Any) -> Callable[..., dict[str, str]]:
    """A valid face-to-face note as the browser posts it, one hour ago, with one action row."""

    def make(**overrides: str) -> dict[str, str]:
        when = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
        data = {
            "contact_type": str(contact_type(world.organisation).pk),
            "occurred_date": when.date().isoformat(),
            "occurred_time": when.strftime("%H:%M"),
            "facts": "Jordan brought a printed CV dated 2023 and two job adverts.",
            "client_view": "Wants warehouse work near home, days only.",
            "assessment": "",
            "actions_agreed": "",
            "decisions": "",
            "follow_up": "Review the job search on Friday.",
            "action-0-description": "Apply to the Amazon Swansea vacancy",
            "action-0-owner": "client",
            "action-0-due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "action-1-owner": "me",
            "action-2-owner": "me",
        }
        data.update(overrides)
        return data

    return make
