"""Validation at the edge of the governance pages: shape only; the rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from casework.governance.services import REASON_MAX_CHARS


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label="Client's name or reference",
        required=False,
        max_length=200,
        help_text="For example: Jordan Pritchard, or CW-7K3M-9QXA.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SubjectAccessRequestForm(forms.Form):
    reference = forms.CharField(
        label="Client reference",
        max_length=20,
        help_text="The pseudonymous reference on the client's record, for example CW-7K3M-9QXA.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    requested_on = forms.DateField(
        label="Date the request was received",
        help_text="The one-month time limit runs from this date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        help_text="How the request arrived and how the client's identity was checked.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reference(self) -> str:
        return " ".join(self.cleaned_data["reference"].split()).upper()

    @classmethod
    def initial_for(cls, reference: str = "") -> dict[str, object]:
        return {"reference": reference, "requested_on": timezone.localdate()}


def _reason_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_CHARS,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason."},
    )


class LegalHoldForm(forms.Form):
    held = forms.TypedChoiceField(
        label="Legal hold",
        choices=[("1", "Put the case on legal hold"), ("0", "Lift the legal hold")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = _reason_field(
        "Reason",
        "Why it is set or lifted, for example: a tribunal claim is pending. It goes on the audit trail.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DisposalForm(forms.Form):
    """Confirms the exact cases listed on the page (their ids are posted back)."""

    case_ids = forms.CharField(widget=forms.HiddenInput)
    reason = _reason_field("Reason", "This is written on every disposal certificate.")
    confirm = forms.BooleanField(
        label="I have checked the list: delete these records",
        error_messages={"required": "Confirm that you have checked the list."},
    )

    def clean_case_ids(self) -> list[int]:
        raw = self.cleaned_data["case_ids"]
        try:
            ids = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError("The list of cases was damaged; reload the page.")
        if not ids:
            raise forms.ValidationError("There is nothing to dispose of.")
        return ids


class ErasureForm(forms.Form):
    reason = _reason_field(
        "Reason",
        "For example: the client asked on 3 March 2026 for their record to be erased, "
        "and no exemption applies.",
    )
    confirm = forms.BooleanField(
        label="Delete this client's record and all their cases permanently",
        error_messages={"required": "Confirm that the record should be erased."},
    )
