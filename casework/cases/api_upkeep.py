"""API writes that keep a case up to date (issue 9): open a case, correct a client, change a
case's details, reallocate it and close it with its outcomes.

The same services and rules as the pages. A field the server refuses is 422 naming it; a
record changed since the ``version`` sent is 409 with nothing saved; a case the user may not
see is 404, one they may only read 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Schema

from casework.accounts.models import User
from casework.audit.models import AccessChannel
from casework.cases import access, selectors, services, upkeep
from casework.cases.api import _staff, _staff_member, _user, router
from casework.cases.models import CaseType, Client, OutcomeResult
from casework.cases.schemas import (
    WRITE_ERRORS,
    CaseRowOut,
    ErrorOut,
    Line,
    PersonDate,
    RecordId,
    Text,
)

# The endpoints join the cases router: Django Ninja groups the methods of one path only within
# one router, and ``/cases`` and ``/cases/{id}`` already have their GETs there. The API module
# mounts this module's ``router`` (the same object), so these are registered before it is.
__all__ = ["router"]

_VERSION = Field(
    ...,
    description="The version you started from; if someone has changed the record since, the answer "
    "is 409 and nothing is saved.",
)
_REASON = Field(..., min_length=1, max_length=500)


class ClientPatchIn(Schema):
    """Details to correct; a field left out keeps its value. ``reason`` is required (UK GDPR
    rectification): the old values are kept with the record, for those who may open it."""

    first_name: Line | None = Field(None, min_length=1, max_length=100)
    last_name: Line | None = Field(None, min_length=1, max_length=100)
    date_of_birth: PersonDate | None = None
    email: Line | None = Field(None, max_length=254)
    phone: Line | None = Field(None, max_length=30)
    address: Text | None = Field(None, max_length=1000)
    reason: Text = _REASON
    version: int = _VERSION


class ClientDetailOut(Schema):
    id: int
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    email: str
    phone: str
    address: str
    version: int


class CasePatchIn(Schema):
    """Case details to change; a field left out keeps its value. ``contact_interval_days`` null
    goes back to the organisation's interval. ``restricted_to`` lists user ids (the owner is
    always included); only the owner, supervisors and the data-protection officer may be named."""

    required_outcomes: Text | None = Field(None, max_length=5000)
    complexity: Literal[1, 2, 3] | None = None
    contact_interval_days: int | None = Field(None, ge=1, le=365)
    next_review_on: PersonDate | None = None
    is_restricted: bool | None = None
    restricted_to: list[RecordId] | None = Field(None, max_length=50)
    version: int = _VERSION


class ReallocationIn(Schema):
    """Give the case to another practitioner (a supervisor for their teams, or a manager)."""

    new_owner: RecordId = Field(..., description="User id of the new owner.")
    reason: Text = _REASON
    version: int = _VERSION


class CaseOpenIn(Schema):
    """Open a case for a new client or, with ``client_id``, for a client already on record."""

    client_id: RecordId | None = None
    first_name: Line | None = Field(None, min_length=1, max_length=100)
    last_name: Line | None = Field(None, min_length=1, max_length=100)
    date_of_birth: PersonDate | None = None
    email: Line | None = Field(None, max_length=254)
    phone: Line | None = Field(None, max_length=30)
    address: Text | None = Field(None, max_length=1000)
    case_type: Line = Field(..., min_length=1, max_length=50, description="The case type's code.")
    required_outcomes: Text = Field(..., min_length=1, max_length=5000)
    complexity: Literal[1, 2, 3] = 2
    owner: RecordId | None = Field(None, description="User id; a supervisor may name a team member.")


class OutcomeIn(Schema):
    outcome: Text = Field(..., max_length=500, description="One line of the case's required outcomes.")
    result: OutcomeResult
    why: Text = Field("", max_length=500)


class ClosureIn(Schema):
    """Close the case: every required outcome with its result (and why, unless achieved);
    ``open_actions`` says what happens to open actions, ``hand_to`` who takes them on."""

    reason: Text = _REASON
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50)
    open_actions: Literal["withdraw", "hand_on", "keep"] | None = None
    hand_to: RecordId | None = None
    version: int = _VERSION


class ClosureOut(Schema):
    id: int
    case_id: int
    closed_on: date
    reason: str
    outcomes: list[OutcomeIn]


def _case_row(user: User, case_id: int) -> Any:
    return selectors.caseload(user).get(pk=case_id)


@router.patch(
    "/clients/{client_id}",
    response={200: ClientDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Correct a client's details",
)
def client_patch(request: HttpRequest, client_id: int, payload: ClientPatchIn) -> Client:
    user = _user(request)
    case = access.client_case_for_user(
        user, client_id, write=True, channel=AccessChannel.API, view="PATCH /api/clients/{id}"
    )
    values = payload.dict(exclude_unset=True, exclude={"reason", "version"})
    upkeep.client_correct(
        client=case.client,
        actor=user,
        values={
            name: ("" if value is None and name != "date_of_birth" else value)
            for name, value in values.items()
        },
        reason=payload.reason,
        expected_version=payload.version,
        case=case,
    )
    return case.client


@router.patch(
    "/cases/{case_id}",
    response={200: CaseRowOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Change a case's details",
)
def case_patch(request: HttpRequest, case_id: int, payload: CasePatchIn) -> Any:
    user = _user(request)
    case = access.case_for_user(
        user, case_id, write=True, channel=AccessChannel.API, view="PATCH /api/cases/{id}"
    )
    values: dict[str, Any] = payload.dict(exclude_unset=True, exclude={"version", "restricted_to"})
    if payload.restricted_to is not None:
        people = _staff(user, payload.restricted_to)
        missing = [pk for pk in payload.restricted_to if pk not in people]
        if missing:
            raise ValidationError({"restricted_to": [f"No member of staff with the id {missing[0]}."]})
        values["restricted_to"] = list(people.values())
    for name in ("required_outcomes", "complexity", "is_restricted"):
        if name in values and values[name] is None:
            raise ValidationError({name: ["Give a value, or leave the field out."]})
    upkeep.case_update(case=case, actor=user, values=values, expected_version=payload.version)
    return _case_row(user, case.pk)


@router.post(
    "/cases/{case_id}/reallocation",
    response={200: CaseRowOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Reallocate a case",
)
def case_reallocation(request: HttpRequest, case_id: int, payload: ReallocationIn) -> Any:
    user = _user(request)
    case = access.case_for_user(
        user, case_id, channel=AccessChannel.API, view="POST /api/cases/{id}/reallocation"
    )
    if not upkeep.can_reallocate(user, case):
        raise PermissionDenied("Only the owner's supervisor or a manager can reallocate a case.")
    errors: dict[str, list[str]] = {}
    new_owner = _staff_member(user, payload.new_owner, "new_owner", errors)
    if new_owner is None:
        raise ValidationError(errors)
    upkeep.case_reallocate(
        case=case, actor=user, new_owner=new_owner, reason=payload.reason, expected_version=payload.version
    )
    return _case_row(user, case.pk)


@router.post(
    "/cases/{case_id}/closure",
    response={201: ClosureOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Close a case with its outcomes",
)
def case_closure(request: HttpRequest, case_id: int, payload: ClosureIn) -> tuple[int, dict[str, Any]]:
    user = _user(request)
    case = access.case_for_user(
        user, case_id, write=True, channel=AccessChannel.API, view="POST /api/cases/{id}/closure"
    )
    errors: dict[str, list[str]] = {}
    hand_to = _staff_member(user, payload.hand_to, "hand_to", errors)
    if errors:
        raise ValidationError(errors)
    closure = upkeep.case_close(
        case=case,
        actor=user,
        reason=payload.reason,
        outcomes=[upkeep.OutcomeInput(o.outcome, o.result, o.why) for o in payload.outcomes],
        open_actions=payload.open_actions or "",
        hand_to=hand_to,
        expected_version=payload.version,
    )
    outcomes = [{"outcome": o.outcome, "result": o.result, "why": o.why} for o in closure.outcomes.all()]
    return 201, {
        "id": closure.pk,
        "case_id": case.pk,
        "closed_on": closure.closed_on,
        "reason": closure.reason,
        "outcomes": outcomes,
    }


@router.post("/cases", response={201: CaseRowOut, **WRITE_ERRORS}, summary="Open a case")
def case_open(request: HttpRequest, payload: CaseOpenIn) -> tuple[int, Any]:
    """Open a case, for a new client (names required) or one already on record (``client_id``,
    a client with a case you may see). No duplicate check is made here: search first."""
    user = _user(request)
    if not selectors.can_open_cases(user):
        raise PermissionDenied("Only practitioners and supervisors open cases.")
    errors: dict[str, list[str]] = {}
    case_type = CaseType.objects.filter(organisation_id=user.org_id, code=payload.case_type).first()
    if case_type is None:
        errors["case_type"] = [f"No case type with the code {payload.case_type!r} in your organisation."]
    owners = {person.pk: person for person in selectors.case_owner_choices(user)}
    owner = owners.get(payload.owner or user.pk)
    if owner is None:
        errors["owner"] = ["You can open a case for yourself, or a supervisor for their team."]
    existing = None
    if payload.client_id is not None:
        existing = selectors.existing_client_for_new_case(user, payload.client_id)
        if existing is None:
            errors["client_id"] = [f"No client with the id {payload.client_id} on a case you can see."]
    elif not payload.first_name or not payload.last_name:
        for name in ("first_name", "last_name"):
            if not getattr(payload, name):
                errors[name] = ["Give the client's name, or a client_id."]
    if errors:
        raise ValidationError(errors)
    assert case_type is not None and owner is not None and user.organisation is not None
    case = services.client_and_case_open(
        organisation=user.organisation,
        actor=user,
        existing=existing,
        client_fields={
            "first_name": payload.first_name or "",
            "last_name": payload.last_name or "",
            "date_of_birth": payload.date_of_birth,
            "email": payload.email or "",
            "phone": payload.phone or "",
            "address": payload.address or "",
        },
        owner=owner,
        case_type=case_type,
        required_outcomes=payload.required_outcomes.strip(),
        complexity=payload.complexity,
    )
    access.cases_shown(user, [case], channel=AccessChannel.API, view="POST /api/cases")
    return 201, _case_row(user, case.pk)
