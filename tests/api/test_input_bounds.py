"""Numbers beyond what the database can hold are refused with 422, never a server error.

Found by the schemathesis run in `make security`: a huge ``offset`` or id reached the database
driver and overflowed there (500). Each case below asserts the 422 and that nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from casework.cases.models import Action, CaseNote
from tests.conftest import World
from tests.factories import ActionFactory

HUGE = 2**70  # far past a 64-bit key


@pytest.mark.parametrize("path", ["/api/cases", "/api/cases/{case_id}/actions", "/api/today"])
def test_a_huge_offset_is_refused(world: World, api_as: Callable[..., Any], path: str) -> None:
    api = api_as(world.practitioner)
    response = api.get(path, {"offset": HUGE}, case_id=world.case.pk)
    assert response.status_code == 422


NOTE = {
    "contact_type": "phone",
    "occurred_at": "2026-11-20T10:00:00+00:00",
    "sections": {"facts": "Rang Jordan about the warehouse job."},
}
ACTION = {"description": "Send the CV", "due_on": "2026-12-01"}


@pytest.mark.parametrize(
    "extra",
    [
        {"goal_ids": [HUGE]},
        {"actions": [{**ACTION, "owner": "staff", "assigned_to": HUGE}]},
        {"actions": [{**ACTION, "goal_id": HUGE}]},
    ],
    ids=["goal_ids", "action-assigned_to", "action-goal_id"],
)
def test_a_note_with_a_huge_id_is_refused_and_nothing_is_written(
    world: World, api_as: Callable[..., Any], extra: dict[str, Any]
) -> None:
    api = api_as(world.practitioner)
    response = api.post("/api/cases/{case_id}/notes", {**NOTE, **extra}, case_id=world.case.pk)
    assert response.status_code == 422
    assert CaseNote.objects.filter(case=world.case).count() == 0
    assert Action.objects.filter(case=world.case).count() == 0


def test_an_action_change_to_a_huge_user_id_is_refused(world: World, api_as: Callable[..., Any]) -> None:
    action = ActionFactory(case=world.case)
    before = (action.assigned_to_id, action.version)
    api = api_as(world.practitioner)
    response = api.patch("/api/actions/{action_id}", {"assigned_to": HUGE}, action_id=action.pk)
    assert response.status_code == 422
    action.refresh_from_db()
    assert (action.assigned_to_id, action.version) == before
