"""Forms for two-step verification."""

from __future__ import annotations

import re

from django import forms


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app; spaces and dashes people type are dropped."""

    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123 456.",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError("Enter the 6 digits the app shows, for example 123 456.")
        return token
