"""Forms for keeping a case up to date: the client's details, the case's details, reallocation
and closing with outcomes. The services check every rule again; these parse what was typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from casework.accounts.models import User
from casework.cases.models import Case, Client, Complexity, OutcomeResult
from casework.cases.upkeep import OpenWork, OutcomeInput
from casework.formkit import DATE_INPUT, reason_field


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        role = obj.get_role_display().lower()
        team = f", {obj.team.name}" if getattr(obj, "team", None) else ""
        return f"{obj.display_name} ({role}{team})"


class _PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class ClientCorrectionForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Give the client's first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Give the client's last name."}
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Give a real date."},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Give an email address in the form name@example.com."},
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)
    address = forms.CharField(
        label="Address (optional)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = reason_field(
        "Why are you correcting these details?",
        "For example: the client told us their new address, or the date of birth was mistyped. "
        "The old details are kept in the record's history.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(client: Client) -> dict[str, Any]:
        return {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": client.date_of_birth,
            "email": client.email,
            "phone": client.phone,
            "address": client.address,
            "version": client.version,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("first_name", "last_name", "date_of_birth", "email", "phone", "address")
        }


class CaseDetailsForm(forms.Form):
    required_outcomes = forms.CharField(
        label="Required outcomes",
        required=False,
        max_length=5000,
        help_text="One outcome per line: closing the case asks whether each was achieved.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complexity = forms.TypedChoiceField(
        label="Complexity",
        choices=Complexity.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="A highly complex case scores higher in the priority queue.",
        error_messages={"required": "Choose the case's complexity."},
    )
    contact_interval_days = forms.IntegerField(
        label="Contact at least every (days, optional)",
        required=False,
        min_value=1,
        max_value=365,
        help_text="Leave empty to use the organisation's contact interval.",
        error_messages={
            "invalid": "Give a whole number of days.",
            "min_value": "Give a number of days from 1 to 365, or leave it empty.",
            "max_value": "Give a number of days from 1 to 365, or leave it empty.",
        },
    )
    next_review_on = forms.DateField(
        label="Next case review (optional)",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Give a real date."},
    )
    is_restricted = forms.BooleanField(
        label="Restrict the case to the people named below",
        required=False,
        help_text="For a client known to staff, or a case that needs extra care. The owner is always named.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, may_name: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["restricted_to"] = _PeopleChoiceField(
            label="Who may open the restricted case",
            queryset=User.objects.filter(pk__in=[user.pk for user in may_name]).order_by("first_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose people from the list."},
        )
        # The version last, after the people.
        self.fields["version"] = self.fields.pop("version")

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "required_outcomes": case.required_outcomes,
            "complexity": case.complexity,
            "contact_interval_days": case.contact_interval_days,
            "next_review_on": case.next_review_on,
            "is_restricted": case.is_restricted,
            "restricted_to": list(case.restricted_to.all()),
            "version": case.version,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("required_outcomes", "complexity", "is_restricted")}
        values["contact_interval_days"] = data["contact_interval_days"]
        values["next_review_on"] = data["next_review_on"]
        values["restricted_to"] = list(data["restricted_to"])
        return values


class ReallocationForm(forms.Form):
    reason = reason_field(
        "Why is the case moving?",
        "For example: a practitioner has left, or the client needs a housing specialist.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_owner"] = _PersonChoiceField(
            label="New owner",
            queryset=User.objects.filter(pk__in=[user.pk for user in choices])
            .select_related("team")
            .order_by("first_name", "last_name"),
            empty_label="Choose who takes the case on",
            error_messages={
                "required": "Choose who takes the case on.",
                "invalid_choice": "Choose one of the people listed.",
            },
        )
        self.order_fields(["new_owner", "reason", "version"])


class CloseCaseForm(forms.Form):
    """One result and reason per required outcome, what happens to open actions, and why."""

    reason = reason_field(
        "Why is the case closing?",
        "For example: the client found work, moved away or no longer wants the service.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        outcomes: Sequence[str],
        open_actions: int,
        colleagues: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        fields: dict[str, forms.Field] = {}
        for index, outcome in enumerate(self.outcomes):
            fields[f"outcome_{index}"] = forms.ChoiceField(
                label=outcome,
                choices=OutcomeResult.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            fields[f"why_{index}"] = forms.CharField(
                label="Why (needed unless achieved)",
                required=False,
                max_length=500,
                widget=forms.TextInput,
            )
        if open_actions:
            fields["open_actions"] = forms.ChoiceField(
                label=f"The case has {open_actions} open action{'s' if open_actions != 1 else ''}",
                choices=OpenWork.CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            fields["hand_to"] = _PersonChoiceField(
                label="Colleague to hand them on to",
                queryset=User.objects.filter(pk__in=[user.pk for user in colleagues]).order_by("first_name"),
                required=False,
                empty_label="Only if handing on",
                error_messages={"invalid_choice": "Choose a colleague from the list."},
            )
        reason, version = self.fields.pop("reason"), self.fields.pop("version")
        self.fields.update(fields)
        self.fields["reason"], self.fields["version"] = reason, version

    def outcome_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"outcome_{i}"], self[f"why_{i}"]) for i in range(len(self.outcomes))]

    def outcome_inputs(self) -> list[OutcomeInput]:
        data = self.cleaned_data
        return [
            OutcomeInput(
                outcome=outcome, result=data.get(f"outcome_{i}") or "", why=data.get(f"why_{i}") or ""
            )
            for i, outcome in enumerate(self.outcomes)
        ]


class ActionEditForm(forms.Form):
    """Change an open action's wording, owner or due date (PC9)."""

    description = forms.CharField(
        label="Action",
        max_length=500,
        error_messages={"required": "Describe the action."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label="Due date",
        widget=DATE_INPUT,
        error_messages={"required": "Give a due date.", "invalid": "Give a real date."},
    )
    confirm_past = forms.BooleanField(
        label="Yes, the due date is in the past on purpose", required=False, widget=forms.HiddenInput
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, staff: Sequence[User], staff_action: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff_action:
            self.fields["assigned_to"] = _PersonChoiceField(
                label="Who will do it",
                queryset=User.objects.filter(pk__in=[user.pk for user in staff])
                .select_related("team")
                .order_by("first_name", "last_name"),
                empty_label=None,
                error_messages={"invalid_choice": "Choose a member of staff from the list."},
            )
            self.order_fields(["description", "assigned_to", "due_on", "confirm_past", "version"])

    def show_confirmation(self) -> None:
        self.fields["confirm_past"].widget = forms.CheckboxInput()


class ActionWithdrawForm(forms.Form):
    reason = reason_field(
        "Why is the action being withdrawn?",
        "For example: the client found the course themselves, or it is no longer needed.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
