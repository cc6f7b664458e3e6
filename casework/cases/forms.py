"""Validation at the edge of the web UI: parse what the browser sent into what services take.

Forms only check shape (a date is a date, a choice is on the list). Domain rules such as
"the contact cannot be in the future" or "this contact type needs a client's view" live in
``casework.cases.services``; their ``ValidationError`` dicts are put back onto these forms
with :func:`add_service_errors`, so every message sits next to its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.accounts.models import User
from casework.cases import rules
from casework.cases.models import (
    ActionOwner,
    ActionStatus,
    CaseStatus,
    CaseType,
    Complexity,
    ContactType,
    DeadlineKind,
    FlagCode,
    Goal,
    GoalStatus,
    NoteVersion,
)
from casework.cases.services import ActionInput
from casework.formkit import DATE_INPUT, reason_field

SECTION_HINTS: dict[str, str] = {
    "facts": "What happened and what was said: things you saw, heard or were shown.",
    "client_view": "The client's own view, in their words where you can.",
    "assessment": "Your professional opinion. It is shown to readers labelled as opinion.",
    "actions_agreed": "Anything agreed that is not in the action rows below.",
    "decisions": "Decisions made, and who made them.",
    "follow_up": "What happens next, and when.",
}

MAX_ACTION_ROWS = 3


# Caseload filters ------------------------------------------------------------------------


class CaseloadFilterForm(forms.Form):
    """The filters of a caseload list (PC3, PC14). Always bound to ``request.GET``."""

    STATUS_ANY = "any"

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[*CaseStatus.choices, (STATUS_ANY, "Any status")],
    )
    overdue = forms.BooleanField(label="Only cases with overdue actions", required=False)
    min_days = forms.IntegerField(
        label="No contact for at least (days)",
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )
    q = forms.CharField(
        label="Client name or reference",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("last_contact", "Last contact, oldest first"),
            ("-last_contact", "Last contact, newest first"),
            ("band", "Priority band, red first"),
            ("client", "Client's last name"),
        ],
    )

    def selector_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.caseload``; a value that did not validate is ignored."""
        self.is_valid()  # fills cleaned_data with the fields that did validate
        data = self.cleaned_data
        status = data.get("status") or CaseStatus.OPEN
        return {
            "status": None if status == self.STATUS_ANY else status,
            "has_overdue_actions": True if data.get("overdue") else None,
            "min_days_since_contact": data.get("min_days"),
            "sort": data.get("sort") or "last_contact",
            "search": data.get("q") or "",
        }


# Case notes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteFormOptions:
    """The choices a note form offers, read once per request so each select costs no query."""

    contact_types: Sequence[ContactType]
    goals: Sequence[Goal]
    staff: Sequence[User]


def contact_type_label(contact_type: ContactType) -> str:
    needed = [rules.SECTION_LABELS[c] for c in rules.SECTION_LABELS if c in contact_type.required_sections]
    return f"{contact_type.name} (needs: {', '.join(needed)})" if needed else contact_type.name


class _ObjectChoiceField(forms.ChoiceField):
    """A choice among objects already in memory; cleans to the object itself."""

    def __init__(self, *, objects: Sequence[Any], label_for: Any = str, empty_label: str, **kwargs: Any):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [("", empty_label)] + [(key, label_for(obj)) for key, obj in self.objects.items()]
        kwargs["error_messages"] = {
            "invalid_choice": "Choose one from the list.",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects.get(key) if key else None


class NoteSectionsForm(forms.Form):
    """Contact type, when it happened and the six sections (K5): shared by record and amend."""

    def __init__(self, *args: Any, options: NoteFormOptions, check_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_type"] = _ObjectChoiceField(
            label="Type of contact",
            objects=options.contact_types,
            label_for=contact_type_label,
            empty_label="Choose a type of contact",
            error_messages={
                "required": "Choose the type of contact.",
                "invalid_choice": "Choose a type of contact from the list.",
            },
            help_text="Each type of contact needs the sections shown in brackets.",
        )
        self.fields["occurred_date"] = forms.DateField(
            label="Date",
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"required": "Give the date of the contact.", "invalid": "Give a real date."},
        )
        self.fields["occurred_time"] = forms.TimeField(
            label="Time (UK time, 24-hour clock)",
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            error_messages={"required": "Give the time of the contact.", "invalid": "Give a time as 14:30."},
        )
        for code, label in rules.SECTION_LABELS.items():
            self.fields[code] = forms.CharField(
                label=label + (" (opinion)" if code == "assessment" else ""),
                required=False,
                strip=False,
                help_text=SECTION_HINTS[code],
                widget=forms.Textarea(attrs={"rows": 4 if code == "facts" else 3}),
            )
        if check_url:
            # htmx: ask for fact/opinion advice when typing (or pasting) pauses; only the facts are sent.
            self.fields["facts"].widget.attrs.update(
                {
                    "hx-post": check_url,
                    "hx-trigger": "input changed delay:600ms",
                    "hx-target": "#facts-check",
                    "hx-swap": "innerHTML",
                    "hx-params": "facts",
                    "hx-sync": "this:replace",
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when_date, when_time = data.get("occurred_date"), data.get("occurred_time")
        if isinstance(when_date, date) and when_time is not None:
            data["occurred_at"] = datetime.combine(
                when_date, when_time, tzinfo=timezone.get_current_timezone()
            )
        return data

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code) or "" for code in rules.SECTION_LABELS}

    def section_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in rules.SECTION_LABELS]

    @staticmethod
    def when_initial(moment: datetime | None = None) -> dict[str, Any]:
        local = timezone.localtime(moment or timezone.now())
        return {"occurred_date": local.date(), "occurred_time": local.time().replace(second=0, microsecond=0)}


class NoteForm(NoteSectionsForm):
    """Record a case note (PC1, PC17)."""

    def __init__(self, *args: Any, options: NoteFormOptions, **kwargs: Any) -> None:
        super().__init__(*args, options=options, **kwargs)
        self.goal_objects = {str(goal.pk): goal for goal in options.goals}
        if options.goals:
            self.fields["goals"] = forms.MultipleChoiceField(
                label="Goals this contact worked towards",
                required=False,
                choices=[(key, goal.description) for key, goal in self.goal_objects.items()],
                widget=forms.CheckboxSelectMultiple,
            )

        self.fields["next_review_on"] = forms.DateField(
            label="Next review (case reviews only)",
            required=False,
            widget=DATE_INPUT,
            help_text="Left empty, a case review sets the next review by the organisation's review interval.",
            error_messages={"invalid": "Give a real date."},
        )

    def chosen_goals(self) -> list[Goal]:
        return [self.goal_objects[key] for key in self.cleaned_data.get("goals", [])]


class ActionRowForm(forms.Form):
    """One action agreed in a note. A row left blank is ignored."""

    OWNER_ME = "me"
    OWNER_CHOICES = [
        (OWNER_ME, "Me"),
        (ActionOwner.STAFF.value, "Another member of staff"),
        (ActionOwner.CLIENT.value, "The client"),
        (ActionOwner.OTHER.value, "Someone else"),
    ]

    description = forms.CharField(label="Action", required=False, max_length=500)
    owner = forms.ChoiceField(
        label="Who will do it",
        choices=OWNER_CHOICES,
        initial=OWNER_ME,
        error_messages={"required": "Say who will do it.", "invalid_choice": "Say who will do it."},
    )
    owner_name = forms.CharField(
        label="Their name, if someone else",
        required=False,
        max_length=200,
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give a real date."},
    )
    # Shown only once a due date in the past has been refused: the explicit confirmation.
    confirm_past = forms.BooleanField(
        label="Yes, the due date is in the past on purpose", required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, options: NoteFormOptions, user: User, allow_blank: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # In a note a blank row is ignored; on its own (adding to the plan) it must be filled in.
        self.allow_blank = allow_blank
        number = (self.prefix or "").rsplit("-", 1)[-1]
        self.summary_prefix = f"Action {int(number) + 1}: " if number.isdigit() else ""
        self.fields["assigned_to"] = _ObjectChoiceField(
            label="Member of staff, if another member of staff",
            objects=[u for u in options.staff if u.pk != user.pk],
            label_for=lambda u: u.display_name,
            empty_label="Choose a member of staff",
            required=False,
        )
        if options.goals:
            self.fields["goal"] = _ObjectChoiceField(
                label="Towards goal",
                objects=options.goals,
                label_for=lambda g: g.description,
                empty_label="No goal",
                required=False,
            )
        self.order_fields(
            ["description", "owner", "assigned_to", "owner_name", "due_on", "confirm_past", "goal"]
        )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("description") or "").strip() and data.get("due_on") is None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or (self.allow_blank and self.is_blank()):
            return data
        if not (data.get("description") or "").strip():
            self.add_error("description", "Describe the action.")
        if data.get("due_on") is None:
            self.add_error("due_on", "Give a due date.")
        elif date(1900, 1, 1) <= data["due_on"] < timezone.localdate() and not data.get("confirm_past"):
            self.add_error("due_on", "The due date is in the past. Tick the box below if that is meant.")
            self.fields["confirm_past"].widget = forms.CheckboxInput()
        if data.get("owner") == ActionOwner.STAFF and data.get("assigned_to") is None:
            self.add_error("assigned_to", "Choose the member of staff who will do it.")
        if data.get("owner") == ActionOwner.OTHER and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", "Say who will do it.")
        return data

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        owner = data["owner"]
        return ActionInput(
            description=data["description"],
            due_on=data["due_on"],
            owner_kind=ActionOwner.STAFF if owner == self.OWNER_ME else owner,
            assigned_to=self.user if owner == self.OWNER_ME else data.get("assigned_to"),
            owner_name=data.get("owner_name") or "",
            goal=data.get("goal"),
            confirm_past=bool(data.get("confirm_past")),
        )


def action_rows(
    data: Mapping[str, Any] | None, *, options: NoteFormOptions, user: User
) -> list[ActionRowForm]:
    return [
        ActionRowForm(data, prefix=f"action-{index}", options=options, user=user)
        for index in range(MAX_ACTION_ROWS)
    ]


class AmendNoteForm(NoteSectionsForm):
    """Amend a signed note: a new version with a reason; the earlier version stays (PC1, K4)."""

    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=2000,
        help_text="Readers of the case history see this reason beside the amendment.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for the amendment."},
    )
    # The version the form was opened at: if a colleague amends the note meanwhile, saving
    # this form is refused and both versions are shown (issue 8).
    amends_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Open the note's amendment form again: it is out of date."},
    )

    def occurred_at_unless_unchanged(self, latest: NoteVersion) -> datetime | None:
        """The form shows minutes only: an untouched date and time must not move the contact."""
        shown = timezone.localtime(latest.occurred_at).replace(second=0, microsecond=0)
        occurred_at: datetime = self.cleaned_data["occurred_at"]
        return None if occurred_at == shown else occurred_at

    @staticmethod
    def initial_from(version: NoteVersion) -> dict[str, Any]:
        initial = NoteSectionsForm.when_initial(version.occurred_at)
        initial["contact_type"] = str(version.contact_type_id)
        initial["amends_version"] = version.number
        initial.update({code: getattr(version, code) for code in rules.SECTION_LABELS})
        return initial


# Status and actions ------------------------------------------------------------------------


class CaseStatusForm(forms.Form):
    """Put a case on hold or open it again. Closing has its own page, which asks for outcomes."""

    status = forms.ChoiceField(
        label="New status",
        choices=[(CaseStatus.OPEN, "Open"), (CaseStatus.ON_HOLD, "On hold")],
        error_messages={"required": "Choose a status.", "invalid_choice": "Choose a status from the list."},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        help_text="Needed when you put the case on hold or reopen it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The version the user saw: a change made since is refused, never silently overwritten.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    version = forms.IntegerField(required=False, min_value=1)


# New client and case -----------------------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewCaseForm(forms.Form):
    """A new client and the case opened for them (PC17). Domain rules are checked again by the
    services; the date-of-birth rule is also checked here, before the duplicate check runs."""

    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Give the client's first name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Give the client's last name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=_date_input(),
        error_messages={"invalid": "Give a real date."},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Give an email address in the form name@example.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Address (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required_outcomes = forms.CharField(
        label="Required outcomes",
        max_length=2000,
        help_text="What the service has to achieve with the client in this case, as agreed with them.",
        error_messages={"required": "Say what the service has to achieve with the client."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complexity = forms.TypedChoiceField(
        label="Complexity",
        choices=Complexity.choices,
        coerce=int,
        initial=Complexity.MEDIUM,
        widget=forms.RadioSelect,
        help_text=(
            "How much work the case is likely to need. A highly complex case scores higher in the "
            "priority queue."
        ),
        error_messages={
            "required": "Choose the case's complexity.",
            "invalid_choice": "Choose low, medium or high complexity.",
        },
    )
    # Set by the buttons of the "This may be an existing client" panel, never shown as fields.
    use_client = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        case_types: Sequence[CaseType],
        owners: Sequence[User],
        user: User,
        today: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        self.fields["case_type"] = _ObjectChoiceField(
            label="Type of case",
            objects=case_types,
            empty_label="Choose a type of case",
            error_messages={
                "required": "Choose the type of case.",
                "invalid_choice": "Choose a type of case from the list.",
            },
        )
        # Only a supervisor has anyone but themselves to choose from.
        if len(owners) > 1:
            self.fields["owner"] = _ObjectChoiceField(
                label="Owner",
                objects=owners,
                label_for=lambda u: f"{u.display_name} (me)" if u.pk == user.pk else u.display_name,
                empty_label="Choose who will hold the case",
                help_text="You, or a practitioner in a team you supervise.",
                error_messages={
                    "required": "Choose who will hold the case.",
                    "invalid_choice": "Choose a practitioner in a team you supervise.",
                },
            )
            self.initial.setdefault("owner", str(user.pk))
        # The error summary lists problems in the order the page shows the fields.
        self.order_fields(
            ["first_name", "last_name", "date_of_birth", "email", "phone", "address", "case_type"]
        )

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        problem = rules.date_of_birth_problem(value, self.today) if value else None
        if problem:
            raise ValidationError(problem)
        return value

    def chosen_owner(self) -> User:
        owner: User | None = self.cleaned_data.get("owner")
        return owner or self.user

    def client_fields(self) -> dict[str, Any]:
        names = ("first_name", "last_name", "date_of_birth", "email", "phone", "address")
        return {name: self.cleaned_data[name] for name in names}


# Goals -------------------------------------------------------------------------------------


class GoalForm(forms.Form):
    """A SMART goal in the action plan (PC3, PC9). The service refuses a target date in the past."""

    description = forms.CharField(
        label="Goal",
        max_length=500,
        help_text=(
            "Say specifically what the client will achieve, in words they agree with: "
            "for example “Apply for three warehouse jobs a week”. A good goal is specific, "
            "measurable, achievable, relevant and time-bound."
        ),
        error_messages={"required": "Describe the goal."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure = forms.CharField(
        label="How we will know it is achieved (optional)",
        required=False,
        max_length=300,
        help_text="Something you can check, such as “an offer letter” or “CV saved on the client's phone”.",
    )
    target_on = forms.DateField(
        label="Target date (optional)",
        required=False,
        help_text="When it should be achieved by.",
        widget=_date_input(),
        error_messages={"invalid": "Give a real date."},
    )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)
    # The status the user saw: a goal someone else has changed since is not overwritten.
    seen = forms.ChoiceField(choices=GoalStatus.choices, required=False)


# -- flags and deadlines ------------------------------------------------------------------------


class FlagRaiseForm(forms.Form):
    prefix = "flag"

    code = forms.ChoiceField(
        label="Flag",
        choices=[("", "Choose a flag"), *FlagCode.choices],
        error_messages={"required": "Choose a flag.", "invalid_choice": "Choose a flag from the list."},
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:  # the built-in flags and the organisation's own
            self.fields["code"].choices = [("", "Choose a flag"), *choices]  # type: ignore[attr-defined]

    detail = forms.CharField(
        label="Detail (optional)",
        required=False,
        max_length=500,
        help_text="What happened, in a line. The case history keeps it.",
    )


class FlagClearForm(forms.Form):
    prefix = "flag_clear"

    reason = reason_field("Why the flag no longer applies", "The case history keeps this reason.")


class DeadlineForm(forms.Form):
    prefix = "deadline"

    kind = forms.ChoiceField(
        label="Kind of deadline",
        choices=[("", "Choose a kind"), *DeadlineKind.choices],
        error_messages={
            "required": "Choose the kind of deadline.",
            "invalid_choice": "Choose from the list.",
        },
    )
    description = forms.CharField(label="What it is for", max_length=300, required=False)
    due_on = forms.DateField(
        label="Due on",
        widget=DATE_INPUT,
        error_messages={"required": "Give the date it is due.", "invalid": "Give a real date."},
    )


class DeadlineMetForm(forms.Form):
    prefix = "deadline_met"

    met_on = forms.DateField(
        label="Met on",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Give a real date."},
    )
