"""Forms for the administrator's pages. They parse; the services in ``staff`` and ``config``
check every rule and name the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms

from casework.accounts.models import Nation, Organisation, Role, Team, User
from casework.cases.models import NoteSection
from casework.formkit import reason_field

VERSION = forms.IntegerField(required=False, widget=forms.HiddenInput)


class _TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _TeamsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team.name}" if obj.team_id else ""
        return f"{obj.display_name} ({obj.get_role_display().lower()}{team})"


def _teams(organisation: Organisation) -> Any:
    return Team.objects.filter(organisation=organisation).order_by("name")


class StaffForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Give their first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Give their last name."}
    )
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        error_messages={"required": "Give their work e-mail address."},
        help_text="Their work address: the invitation to set a password goes here, and it is their username.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.PRACTITIONER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a role from the list."},
    )
    version = VERSION

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _TeamChoice(
            label="Team (optional)",
            queryset=_teams(organisation),
            required=False,
            empty_label="No team",
            error_messages={"invalid_choice": "Choose a team from the list."},
        )
        self.fields["supervises"] = _TeamsChoice(
            label="Teams they supervise (supervisors only)",
            queryset=_teams(organisation),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose teams from the list."},
        )
        self.order_fields(["first_name", "last_name", "email", "role", "team", "supervises", "version"])

    def values(self) -> dict[str, Any]:
        """What ``staff.staff_invite`` and ``staff.staff_change`` take from the form."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("first_name", "last_name", "email", "role", "team")}
        return {**values, "supervises": list(data["supervises"])}

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "team": user.team_id,
            "supervises": list(user.supervised_teams.all()),
            "version": user.version,
        }


class DeactivateForm(forms.Form):
    reason = reason_field(
        "Why is the account being deactivated?", "For example: left the service on 30 November."
    )
    version = VERSION


class TeamForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=200, required=False)
    version = VERSION

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(organisation=organisation, is_active=True).select_related("team")
        self.fields["supervisors"] = _PeopleChoice(
            label="Supervisors",
            queryset=staff.filter(role=Role.SUPERVISOR).order_by("first_name", "last_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Supervisors read and record on the team's cases and review its caseloads.",
            error_messages={"invalid_choice": "Choose supervisors from the list."},
        )
        self.fields["members"] = _PeopleChoice(
            label="Members",
            queryset=staff.order_by("first_name", "last_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Someone in another team moves to this one.",
            error_messages={"invalid_choice": "Choose members from the list."},
        )
        self.order_fields(["name", "supervisors", "members", "version"])

    @staticmethod
    def initial_for(team: Team) -> dict[str, Any]:
        return {
            "name": team.name,
            "supervisors": list(team.supervisors.all()),
            "members": list(team.members.all()),
            "version": team.version,
        }


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Organisation's name", max_length=200, required=False)
    nation = forms.ChoiceField(
        label="Nation",
        choices=Nation.choices,
        help_text="Decides the bank holidays in working days and time scales.",
    )
    note_time_scale_hours = forms.IntegerField(
        label="A case note is late after (hours)",
        min_value=1,
        max_value=336,
        error_messages={
            "required": "Give a number of hours.",
            "invalid": "Give a whole number of hours.",
            "min_value": "Give a number of hours from 1 to 336 (two weeks).",
            "max_value": "Give a number of hours from 1 to 336 (two weeks).",
        },
    )
    case_review_interval_days = forms.IntegerField(
        label="A case review sets the next review after (days)",
        min_value=7,
        max_value=366,
        error_messages={
            "required": "Give a number of days.",
            "invalid": "Give a whole number of days.",
            "min_value": "Give a number of days from 7 to 366.",
            "max_value": "Give a number of days from 7 to 366.",
        },
    )
    version = VERSION

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        return {
            name: getattr(organisation, name)
            for name in ("name", "nation", "note_time_scale_hours", "case_review_interval_days", "version")
        }


class CaseTypeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    retention_years = forms.IntegerField(
        label="Keep records for (years after closing)",
        initial=6,
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Give a number of years.",
            "invalid": "Give a whole number of years.",
            "min_value": "Give a number of years from 1 to 100.",
            "max_value": "Give a number of years from 1 to 100.",
        },
    )
    outcomes_offered = forms.CharField(
        label="Required outcomes offered (optional)",
        required=False,
        max_length=5000,
        help_text="One per line. Opening a case of this type offers them; "
        "the practitioner agrees them with the client.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = VERSION


class ContactTypeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    required_sections = forms.MultipleChoiceField(
        label="Sections a note of this type must fill in",
        choices=NoteSection.choices,
        initial=[NoteSection.FACTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose sections from the list."},
    )
    is_client_contact = forms.BooleanField(
        label="Counts as contact made with the client",
        required=False,
        initial=True,
        help_text="Untick for an attempt (no answer, a letter with no reply) or work about the client "
        "without them: it is recorded, but the days-since-contact clock keeps running.",
    )
    sets_next_review = forms.BooleanField(
        label="Is a case review",
        required=False,
        help_text="A note of this type sets the case's next review date.",
    )
    version = VERSION


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text="Columns: first name, last name, email, role, team, with those names in the first row. "
        "Save a spreadsheet as 'CSV UTF-8'.",
    )
    # After the preview, the file's text comes back in this field to be imported.
    text = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500_000)


class FlagForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False, help_text="As staff say it.")
    is_risk = forms.BooleanField(
        label="A risk flag",
        required=False,
        help_text="Risk flags shorten time scales where the criteria say so; "
        "leave it unticked for a vulnerability.",
    )
    is_active = forms.BooleanField(label="Offered when a flag is raised", required=False, initial=True)
    version = VERSION
