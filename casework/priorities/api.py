"""API endpoints for priorities: the Today queue and a case's assessment (PC8-PC10, PC14, PC15).

Visibility comes from the selectors: ``/api/today`` lists only the signed-in user's own open
and on-hold cases; a case the user may not see answers 404. Every case shown is recorded in
the access log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from casework.accounts.models import User
from casework.audit.models import AccessChannel
from casework.cases.access import case_for_user, cases_shown
from casework.cases.api import Page
from casework.cases.models import Case
from casework.cases.schemas import READ_ERRORS
from casework.priorities import engine, selectors
from casework.priorities.models import CaseAssessment, PriorityOverride
from casework.priorities.schemas import AssessmentOut, TodayItemOut

router = Router(tags=["priorities"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _assessment_fields(assessment: CaseAssessment, override: PriorityOverride | None) -> dict[str, Any]:
    return {
        "score": assessment.score,
        "band": assessment.band,
        "effective_band": assessment.effective_band,
        "quadrant": assessment.quadrant,
        "quadrant_label": engine.QUADRANT_LABELS.get(assessment.quadrant, assessment.quadrant),
        "urgency": assessment.urgency,
        "importance": assessment.importance,
        "rationale": assessment.rationale,
        "summary": assessment.summary,
        "next_deadline": assessment.next_deadline,
        "past_time_scale": assessment.past_time_scale,
        "override": override,
        "assessed_at": assessment.assessed_at,
    }


def _today_item(row: selectors.QueueRow) -> dict[str, Any]:
    assert row.assessment is not None  # the endpoint lists assessed cases only
    action = row.next_action
    return {
        "case_id": row.case.pk,
        "client": row.case.client,
        "status": row.case.status,
        **_assessment_fields(row.assessment, row.override),
        "next_action": (
            {
                "id": action.pk,
                "description": action.description,
                "owner": action.owner_label,
                "due_on": action.due_on,
                "is_overdue": action.is_overdue(),
            }
            if action
            else None
        ),
    }


class TodayPage(Page):
    """A page of the Today queue: each case's next action and override in two more queries,
    and each case on the page recorded as viewed, in one (PC16)."""

    def paginate_queryset(
        self, queryset: QuerySet[Case], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        rows = selectors.queue_rows(list(result["items"]))
        cases_shown(
            _user(request), [row.case for row in rows], channel=AccessChannel.API, view="GET /api/today"
        )
        result["items"] = [_today_item(row) for row in rows]
        return result


@router.get(
    "/today", response={200: list[TodayItemOut], **READ_ERRORS}, summary="Your cases in priority order"
)
@paginate(TodayPage)
def today(request: HttpRequest) -> QuerySet[Case]:
    """Your open and on-hold cases, red first, highest score first, nearest deadline first: each
    with its band, quadrant, the rationale for them and the next action needed (PC8, PC9).

    A case loaded in bulk appears once the sweep has assessed it (within five minutes): a read
    never assesses."""
    return selectors.today_cases(_user(request)).filter(assessment__isnull=False)


@router.get(
    "/cases/{case_id}/assessment",
    response={200: AssessmentOut, **READ_ERRORS},
    summary="A case's priority assessment",
)
def case_assessment(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The case's score, band, quadrant and rationale, and its overrides, newest first (PC8, PC15)."""
    user = _user(request)
    case = case_for_user(user, case_id, channel=AccessChannel.API, view="GET /api/cases/{id}/assessment")
    priority = selectors.case_priority(case)
    assessment = priority.assessment
    if assessment is None:
        # A read never assesses: a case loaded in bulk waits for the sweep (every five minutes).
        raise HttpError(404, "This case has not been assessed yet; the next sweep assesses it.")
    return {
        "case_id": case.pk,
        **_assessment_fields(assessment, priority.active_override),
        "overrides": priority.overrides,
    }
