"""API endpoints for caseloads, case notes and action plans (PC1, PC2, PC9, PC17).

Each endpoint parses its input, calls a selector or a service, and returns what the
output schema reads. Visibility comes from the selectors: a case the user may not see
is 404, one they may see but not change is 403.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import LimitOffsetPagination, paginate

from casework.accounts.idempotency import idempotent
from casework.accounts.models import User
from casework.audit.models import AccessChannel
from casework.cases import access, rules, selectors, services
from casework.cases.models import Action, ActionOwner, ActionStatus, Case, CaseNote, ContactType, Goal
from casework.cases.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ActionOut,
    ActionPatchIn,
    AmendmentConflictOut,
    AmendmentIn,
    AmendmentOut,
    CaseDetailOut,
    CaseFilters,
    CaseRowOut,
    ErrorOut,
    NoteIn,
    NoteOut,
    NoteRecordedOut,
)

router = Router(tags=["cases"])


class Page(LimitOffsetPagination):
    """``limit`` and ``offset``; the answer carries ``count``, the total across all pages."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=2**31 - 1)


class CaseloadPage(Page):
    """A page of a caseload; each case on it is recorded as viewed, in one query (PC16)."""

    def paginate_queryset(
        self, queryset: QuerySet[Case], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = list(result["items"])
        access.cases_shown(_user(request), result["items"], channel=AccessChannel.API, view="GET /api/cases")
        return result


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


# --- cases --------------------------------------------------------------------------


@router.get("/cases", response={200: list[CaseRowOut], **READ_ERRORS}, summary="Your caseload")
@paginate(CaseloadPage)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    """The cases you may see, with action counts; ``owner=me`` for your own cases only (PC2)."""
    user = _user(request)
    return selectors.caseload(
        user,
        owner=user if filters.owner == "me" else None,
        status=filters.status,
        has_overdue_actions=filters.has_overdue_actions,
        min_days_since_contact=filters.min_days_since_contact,
        sort=filters.sort,
    )


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **READ_ERRORS}, summary="A case")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The case, its active flags, deadlines and action plan (PC1, PC9, PC10)."""
    user = _user(request)
    access.case_for_user(user, case_id, channel=AccessChannel.API, view="GET /api/cases/{id}")
    case = selectors.caseload(user).get(pk=case_id)
    return {"case": case, **selectors.case_page(case)}


# --- notes --------------------------------------------------------------------------


@router.get("/cases/{case_id}/notes", response={200: list[NoteOut], **READ_ERRORS}, summary="A case's notes")
@paginate(Page)
def note_list(request: HttpRequest, case_id: int) -> QuerySet[CaseNote]:
    """Case notes, newest contact first, each with all its signed versions (PC1)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, channel=AccessChannel.API, view="GET /api/cases/{id}/notes")
    return selectors.notes_for_case(case)


# Every POST that creates takes an Idempotency-Key header (issue 8): a retry writes nothing twice.
IDEMPOTENCY_HEADER = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 255, "pattern": "^[!-~]{1,255}$"},
            "description": "Any unique string per write (a UUID, say). Sent again with the same body "
            "within 24 hours, the first answer is returned and nothing is written; with another "
            "body, 422.",
        }
    ]
}


@router.post(
    "/cases/{case_id}/notes",
    response={201: NoteRecordedOut, **WRITE_ERRORS},
    summary="Record a case note",
    openapi_extra=IDEMPOTENCY_HEADER,
)
@decorate_view(idempotent)
def note_create(request: HttpRequest, case_id: int, payload: NoteIn) -> tuple[int, dict[str, Any]]:
    """Record and sign a case note, with the actions agreed (PC17).

    ``advice`` lists wording in the facts that reads as opinion (K5); it never blocks.
    """
    user = _user(request)
    case = access.case_for_user(
        user, case_id, write=True, channel=AccessChannel.API, view="POST /api/cases/{id}/notes"
    )
    errors: dict[str, list[str]] = {}
    contact_type = _contact_type(case, payload.contact_type, errors)
    goals = _note_goals(case, payload, errors)
    actions = _note_actions(user, case, payload, errors)
    if errors:
        raise ValidationError(errors)
    assert contact_type is not None
    note = services.note_record(
        case=case,
        author=user,
        contact_type=contact_type,
        occurred_at=payload.occurred_at,
        sections=payload.sections.dict(),
        actions=actions,
        goals=goals,
        next_review_on=payload.next_review_on,
    )
    saved = selectors.notes_for_case(case).get(pk=note.pk)
    return 201, {"note": saved, "advice": rules.check_facts(payload.sections.facts)}


@router.post(
    "/notes/{note_id}/amendments",
    response={201: AmendmentOut, 409: AmendmentConflictOut, **WRITE_ERRORS},
    summary="Amend a case note",
    openapi_extra=IDEMPOTENCY_HEADER,
)
@decorate_view(idempotent)
def amendment_create(request: HttpRequest, note_id: int, payload: AmendmentIn) -> tuple[int, dict[str, Any]]:
    """Record an amendment: a new signed version with a reason; earlier versions stay (PC1, K4)."""
    user = _user(request)
    note = access.note_for_user(
        user, note_id, write=True, channel=AccessChannel.API, view="POST /api/notes/{id}/amendments"
    )
    errors: dict[str, list[str]] = {}
    contact_type = None
    if payload.contact_type is not None:
        contact_type = _contact_type(note.case, payload.contact_type, errors)
    if errors:
        raise ValidationError(errors)
    try:
        version = services.note_amend(
            note=note,
            author=user,
            reason=payload.reason,
            sections=payload.sections.dict(exclude_none=True) if payload.sections else {},
            occurred_at=payload.occurred_at,
            contact_type=contact_type,
            amends_version=payload.amends_version,
        )
    except services.NoteMovedOnError as exc:
        return 409, {"detail": str(exc), "current": exc.current}
    return 201, {"note_id": note.pk, "version": version, "advice": rules.check_facts(version.facts)}


# --- actions ------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/actions", response={200: list[ActionOut], **READ_ERRORS}, summary="A case's actions"
)
@paginate(Page)
def action_list(request: HttpRequest, case_id: int) -> QuerySet[Action]:
    """The actions in the client's action plan, open ones first by due date (PC9)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, channel=AccessChannel.API, view="GET /api/cases/{id}/actions")
    is_open = ExpressionWrapper(Q(status=ActionStatus.OPEN), output_field=BooleanField())
    return (
        Action.objects.filter(case=case, organisation_id=case.organisation_id)
        .select_related("assigned_to")
        .order_by(is_open.desc(), "due_on", "pk")
    )


@router.patch(
    "/actions/{action_id}",
    response={200: ActionOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Change an action",
)
def action_patch(request: HttpRequest, action_id: int, payload: ActionPatchIn) -> Action:
    """Change an action's status, due date or owner; the change goes in the case history (PC9)."""
    user = _user(request)
    action = access.action_for_user(
        user, action_id, write=True, channel=AccessChannel.API, view="PATCH /api/actions/{id}"
    )
    errors: dict[str, list[str]] = {}
    assigned_to = _staff_member(user, payload.assigned_to, "assigned_to", errors)
    if errors:
        raise ValidationError(errors)
    return services.action_update(
        action=action,
        actor=user,
        status=payload.status,
        due_on=payload.due_on,
        assigned_to=assigned_to,
        description=payload.description,
        reason=payload.reason,
        confirm_past=payload.confirm_past_due,
        expected_version=payload.version,
    )


# --- look-ups of the ids and codes named in a request body -------------------------

_NO_GOAL = "No goal with the id {} in this client's plan."
_NO_STAFF = "No member of staff with the id {} in your organisation."


def _contact_type(case: Case, code: str, errors: dict[str, list[str]]) -> ContactType | None:
    contact_type = ContactType.objects.filter(organisation_id=case.organisation_id, code=code).first()
    if contact_type is None:
        errors["contact_type"] = [f"No contact type with the code {code!r} in your organisation."]
    return contact_type


def _goals(case: Case, ids: Iterable[int]) -> dict[int, Goal]:
    """The goals in this case's plan among ``ids``, by id: one query."""
    wanted = set(ids)
    return {goal.pk: goal for goal in Goal.objects.filter(case=case, pk__in=wanted)} if wanted else {}


def _staff(user: User, ids: Iterable[int | None]) -> dict[int, User]:
    """Active members of staff in the user's organisation among ``ids``, by id: one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        member.pk: member
        for member in User.objects.filter(pk__in=wanted, organisation_id=user.org_id, is_active=True)
    }


def _staff_member(user: User, user_id: int | None, key: str, errors: dict[str, list[str]]) -> User | None:
    if user_id is None:
        return None
    member = _staff(user, [user_id]).get(user_id)
    if member is None:
        errors[key] = [_NO_STAFF.format(user_id)]
    return member


def _note_goals(case: Case, payload: NoteIn, errors: dict[str, list[str]]) -> list[Goal]:
    goals = _goals(case, payload.goal_ids)
    missing = [i for i in payload.goal_ids if i not in goals]
    if missing:
        errors["goals"] = [_NO_GOAL.format(missing[0])]
    return [goals[i] for i in dict.fromkeys(payload.goal_ids) if i in goals]


def _note_actions(
    user: User, case: Case, payload: NoteIn, errors: dict[str, list[str]]
) -> list[services.ActionInput]:
    goals = _goals(case, [a.goal_id for a in payload.actions if a.goal_id is not None])
    staff = _staff(user, [a.assigned_to for a in payload.actions if a.owner == "staff"])
    result = []
    for index, item in enumerate(payload.actions):
        assigned_to = user if item.owner == "me" else None
        if item.owner == "staff" and item.assigned_to is not None:
            assigned_to = staff.get(item.assigned_to)
            if assigned_to is None:
                errors[f"actions.{index}.assigned_to"] = [_NO_STAFF.format(item.assigned_to)]
        goal = goals.get(item.goal_id) if item.goal_id is not None else None
        if item.goal_id is not None and goal is None:
            errors[f"actions.{index}.goal_id"] = [_NO_GOAL.format(item.goal_id)]
        result.append(
            services.ActionInput(
                description=item.description,
                due_on=item.due_on,
                owner_kind=ActionOwner.STAFF if item.owner in ("me", "staff") else item.owner,
                assigned_to=assigned_to,
                owner_name=item.owner_name,
                goal=goal,
                confirm_past=item.confirm_past_due,
            )
        )
    return result
