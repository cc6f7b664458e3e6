"""Input and output schemas of the cases API: one input and one output schema per endpoint.

Output schemas read model instances (and the annotations selectors add) directly; input
schemas check shape and size at the edge, and leave the domain rules to the services.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from casework.cases import rules
from casework.cases.models import (
    Action,
    ActionStatus,
    CaseFlag,
    CaseStatus,
    NoteVersion,
)
from casework.inputs import check_date, check_text, iso_text_only

# Text and dates a client sends are checked here, at the edge (``casework.inputs``): no NUL,
# no control character but tabs and line breaks (none but tabs on one line), no lone
# surrogate; every date between 1900-01-01 and 2100-12-31. A 422 names the field.
Text = Annotated[str, AfterValidator(partial(check_text, multiline=True))]
Line = Annotated[str, AfterValidator(partial(check_text, multiline=False))]
PersonDate = Annotated[
    date,
    BeforeValidator(iso_text_only),
    AfterValidator(check_date),
    Field(description="A date as YYYY-MM-DD, between 1900-01-01 and 2100-12-31."),
]
PersonDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(iso_text_only),
    AfterValidator(check_date),
    Field(description="ISO 8601 with a UTC offset, between 1900-01-01 and 2100-12-31."),
]

SectionText = Text
_SECTION = Field(default="", max_length=rules.SECTION_MAX_CHARS)


# --- shared parts -------------------------------------------------------------------


# Ids sent by clients are bounded to what the database's 64-bit keys can hold, so an absurd
# number is answered 422 rather than overflowing in the database driver (found by schemathesis).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PersonOut(Schema):
    """A member of staff, by id and display name."""

    id: int
    name: str = Field(..., validation_alias="display_name")


class ClientOut(Schema):
    id: int
    name: str = Field(..., validation_alias="full_name")
    reference: str


class CaseTypeOut(Schema):
    id: int
    code: str
    name: str


class SectionsOut(Schema):
    """The sections of a case note (K5). The assessment is the practitioner's opinion."""

    facts: str
    client_view: str
    assessment: str
    actions_agreed: str
    decisions: str
    follow_up: str


class FindingOut(Schema):
    """Wording in the facts that reads as opinion. Advice only: the note is saved regardless."""

    term: str
    matched: str
    start: int
    end: int
    category: str
    label: str
    advice: str


class NoteVersionOut(Schema):
    """One signed version of a case note; version 1 is the original, later ones amendments."""

    number: int
    recorded_at: datetime
    recorded_by: PersonOut
    occurred_at: datetime
    contact_type: str
    sections: SectionsOut
    is_late: bool
    amendment_reason: str
    goal_ids: list[int]

    @staticmethod
    def resolve_contact_type(obj: NoteVersion) -> str:
        return obj.contact_type.code

    @staticmethod
    def resolve_sections(obj: NoteVersion) -> dict[str, str]:
        return {code: getattr(obj, code) for code in rules.SECTION_LABELS}

    @staticmethod
    def resolve_goal_ids(obj: NoteVersion) -> list[int]:
        # Reads the prefetched goals: no query per version.
        return [goal.pk for goal in obj.goals.all()]


# --- cases --------------------------------------------------------------------------


class CaseFilters(Schema):
    """Filters for the caseload list (PC2, PC14)."""

    status: CaseStatus | None = None
    has_overdue_actions: bool | None = None
    min_days_since_contact: int | None = Field(None, ge=0, le=36_500)
    owner: Literal["me"] | None = Field(None, description="`me` for your own cases only.")
    sort: Literal["last_contact", "-last_contact", "opened", "client"] = "last_contact"


class CaseRowOut(Schema):
    """A case in a caseload, with its action-plan counts (PC2, PC9)."""

    id: int
    client: ClientOut
    case_type: CaseTypeOut
    owner: PersonOut
    status: CaseStatus
    opened_on: date
    closed_on: date | None
    last_contact_at: datetime | None
    open_action_count: int
    overdue_action_count: int
    next_action_due: date | None
    complexity: int
    required_outcomes: str
    version: int = Field(..., description="Changes with every saved change to the case.")


class FlagOut(Schema):
    id: int
    code: str
    label: str
    kind: str
    detail: str
    raised_at: datetime

    @staticmethod
    def resolve_label(obj: CaseFlag) -> str:
        return obj.get_code_display()


class DeadlineOut(Schema):
    id: int
    kind: str
    description: str
    due_on: date
    met_on: date | None


class GoalOut(Schema):
    id: int
    description: str
    measure: str
    target_on: date | None
    status: str


class ActionOut(Schema):
    """An action in the client's action plan (PC9)."""

    id: int
    case_id: int
    description: str
    owner_kind: str
    assigned_to: PersonOut | None
    owner_name: str
    owner_label: str
    due_on: date
    status: ActionStatus
    completed_on: date | None
    is_overdue: bool
    goal_id: int | None
    source_note_id: int | None
    created_at: datetime
    version: int = Field(..., description="Send it back when changing the action.")

    @staticmethod
    def resolve_is_overdue(obj: Action) -> bool:
        return obj.is_overdue()


class CaseDetailOut(Schema):
    """A case with its active flags, deadlines and action plan (PC1, PC9, PC10)."""

    case: CaseRowOut
    flags: list[FlagOut]
    deadlines: list[DeadlineOut]
    goals: list[GoalOut]
    actions: list[ActionOut]


# --- notes --------------------------------------------------------------------------


class NoteOut(Schema):
    """A case note: its current version and every version before it, oldest first (PC1)."""

    id: int
    case_id: int
    author: PersonOut
    created_at: datetime
    current: NoteVersionOut
    versions: list[NoteVersionOut]

    @staticmethod
    def resolve_versions(obj: Any) -> list[NoteVersion]:
        return sorted(obj.versions.all(), key=lambda v: v.number)

    @staticmethod
    def resolve_current(obj: Any) -> NoteVersion:
        return max(obj.versions.all(), key=lambda v: v.number)


class SectionsIn(Schema):
    """Note sections; each at most ``rules.SECTION_MAX_CHARS`` characters."""

    facts: SectionText = _SECTION
    client_view: SectionText = _SECTION
    assessment: SectionText = _SECTION
    actions_agreed: SectionText = _SECTION
    decisions: SectionText = _SECTION
    follow_up: SectionText = _SECTION


class SectionsPatchIn(Schema):
    """Sections to change in an amendment; a section left out keeps its current text."""

    facts: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)
    client_view: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)
    assessment: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)
    actions_agreed: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)
    decisions: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)
    follow_up: SectionText | None = Field(None, max_length=rules.SECTION_MAX_CHARS)


class NoteActionIn(Schema):
    """An action agreed in the note. ``owner`` ``me`` is you; ``staff`` needs ``assigned_to``."""

    description: Text = Field(..., min_length=1, max_length=500)
    due_on: PersonDate
    owner: Literal["me", "client", "other", "staff"] = "me"
    assigned_to: RecordId | None = Field(None, description="User id of the member of staff, for `staff`.")
    owner_name: Line = Field("", max_length=200, description="Who, for `other`.")
    goal_id: RecordId | None = None
    confirm_past_due: bool = Field(
        False, description="A due date before today is refused unless this is true (it was meant)."
    )


class NoteIn(Schema):
    """A new case note (PC17). ``occurred_at`` must carry a UTC offset.

    Business rules the server applies beyond this schema, each answered 422 naming the field:
    ``contact_type`` must be one of your organisation's contact type codes; ``occurred_at``
    may not be in the future nor before the case was opened; the sections that contact type
    requires must not be empty (see each contact type's `required_sections`); each action
    needs an owner (``assigned_to`` for `staff`, ``owner_name`` for `other`) and goals must
    belong to this client's plan."""

    contact_type: Line = Field(..., max_length=50, description="A contact type code, e.g. `phone`.")
    occurred_at: PersonDateTime
    sections: SectionsIn
    actions: list[NoteActionIn] = Field(default_factory=list, max_length=50)
    goal_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    next_review_on: PersonDate | None = Field(
        None,
        description="For a case review note only: when the next review is due. Left out, the "
        "organisation's review interval after this review.",
    )


class NoteRecordedOut(Schema):
    """The note as signed, with advice on wording in the facts that reads as opinion (K5)."""

    note: NoteOut
    advice: list[FindingOut]


class AmendmentIn(Schema):
    """An amendment: a reason, and only what changes.

    Business rules beyond this schema, each answered 422 naming the field: the reason may not
    be blank; the amendment must change something; the amended note must still meet its
    contact type's required sections and time rules (as for a new note). A note amended by
    someone else since ``amends_version`` answers 409."""

    amends_version: int = Field(
        ...,
        ge=1,
        description="The version you are amending (a note's `current.number`). If the note has been "
        "amended since, the answer is 409 with its current version, and nothing is saved.",
    )
    reason: Text = Field(..., min_length=1, max_length=2000)
    sections: SectionsPatchIn | None = None
    occurred_at: PersonDateTime | None = None
    contact_type: Line | None = Field(None, max_length=50)


class AmendmentOut(Schema):
    """The new signed version, with advice on the facts as amended."""

    note_id: int
    version: NoteVersionOut
    advice: list[FindingOut]


class AmendmentConflictOut(Schema):
    """Someone amended the note after the version you named: theirs, for you to compare."""

    detail: str
    current: NoteVersionOut


# --- actions ------------------------------------------------------------------------


class ActionPatchIn(Schema):
    """What may change on an action: its status, due date or the member of staff who owns it."""

    status: ActionStatus | None = Field(None, description="`cancelled` withdraws it and needs `reason`.")
    description: Text | None = Field(None, min_length=1, max_length=500)
    due_on: PersonDate | None = None
    confirm_past_due: bool = Field(False, description="Needed to move the due date before today.")
    assigned_to: RecordId | None = Field(None, description="User id of a member of staff.")
    reason: Text = Field("", max_length=500, description="Why the action is withdrawn.")
    version: int | None = Field(
        None,
        description="The action's version you started from; if someone has changed it since, "
        "the answer is 409 and nothing is saved.",
    )


# --- errors -------------------------------------------------------------------------


class ErrorOut(Schema):
    """An error with a plain-English explanation."""

    detail: str


class FieldErrorOut(Schema):
    """One field at fault; ``loc`` is its path, e.g. ``["body", "payload", "sections", "facts"]``."""

    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    **READ_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
}
