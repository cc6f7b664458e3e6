"""Output schemas of the priorities API: the Today queue and a case's assessment (PC8-PC10, PC15).

Each item is built from a ``selectors.QueueRow`` by ``casework.priorities.api``; the stored
rationale is a list of plain dicts, read here as it is stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from casework.cases.schemas import ClientOut, PersonOut

BandCode = Literal["red", "amber", "green"]
QuadrantCode = Literal["urgent_important", "important_not_urgent", "urgent_not_important", "neither"]
TimeScaleCode = Literal["first_contact", "contact", "review"]


class ReasonOut(Schema):
    """One criterion that applies to the case: its points and why, in a sentence (PC15)."""

    criterion: str = Field(..., description="The criterion's code; empty for a fixed reason.")
    name: str
    points: int
    sentence: str


class NextDeadlineOut(Schema):
    """The case's nearest unmet deadline (PC9)."""

    kind: str
    description: str
    due_on: date
    working_days_left: int
    days_left: int = Field(..., description="Calendar days; negative once overdue.")
    sentence: str


class NextActionOut(Schema):
    """The case's open action due soonest: what to do next, who does it, by when (PC9)."""

    id: int
    description: str
    owner: str
    due_on: date
    is_overdue: bool


class OverrideOut(Schema):
    """A practitioner's move of the band, in force until ``expires_on`` (PC15)."""

    id: int
    band: BandCode
    computed_band: str = Field(..., description="The band on the criteria when it was overridden.")
    reason: str
    expires_on: date
    created_by: PersonOut
    created_at: datetime


class AssessmentFields(Schema):
    score: int
    band: BandCode = Field(..., description="The band on the criteria.")
    effective_band: BandCode = Field(..., description="The band after any override: what the queue shows.")
    quadrant: QuadrantCode
    quadrant_label: str
    urgency: int
    importance: int
    rationale: list[ReasonOut]
    summary: str
    next_deadline: NextDeadlineOut | None
    past_time_scale: list[TimeScaleCode] = Field(
        ..., description="Time scales the case has missed, whatever its band (PC14)."
    )
    override: OverrideOut | None
    assessed_at: datetime


class TodayItemOut(AssessmentFields):
    """A case in the Today queue, in priority order (PC8, PC9)."""

    case_id: int
    client: ClientOut
    status: str
    next_action: NextActionOut | None


class AssessmentOut(AssessmentFields):
    """A case's priority assessment and every override it has had (PC8, PC15)."""

    case_id: int
    overrides: list[OverrideOut] = Field(..., description="Every override, newest first.")
