"""Validation at the edge for priorities: overrides, acknowledgements and
the criteria editor, whose fields come from ``engine.CRITERION_KINDS`` (PC7, PC15; K14).

Forms check shape only; the rules (an override needs a reason and an expiry within three
months, a criterion's parameters must suit its kind) live in the services, whose
``ValidationError`` is put back next to the field it names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.models import DeadlineKind, FlagCode
from casework.formkit import DATE_INPUT, reason_field
from casework.priorities import engine
from casework.priorities.models import PriorityCriterion, PrioritySettings
from casework.priorities.services import SETTINGS_FIELDS

BAND_CHOICES = [(code, label) for code, label in engine.BAND_LABELS.items()]


# -- overrides (PC15) ---------------------------------------------------------------------------


class OverrideForm(forms.Form):
    prefix = "override"

    band = forms.ChoiceField(
        label="Move the case to",
        choices=BAND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose red, amber or green.",
            "invalid_choice": "Choose red, amber or green.",
        },
    )
    reason = reason_field(
        "Reason",
        "Why the criteria do not reflect this case's priority. Your supervisor sees this reason.",
    )
    expires_on = forms.DateField(
        label="Until",
        widget=DATE_INPUT,
        help_text="The last day it applies, three months at most. The criteria apply again after it.",
        error_messages={"required": "Give the date the override ends.", "invalid": "Give a real date."},
    )

    @staticmethod
    def initial_for(today: dt.date | None = None) -> dict[str, Any]:
        return {"expires_on": (today or timezone.localdate()) + dt.timedelta(days=14)}

    def clean(self) -> dict[str, Any]:
        # Every missing field at once (issue 9, D14): the service's reason check only runs
        # once the band and date are valid, so the form asks for the reason too.
        data = super().clean() or {}
        if not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Give a reason for moving this case's priority.")
        return data


class OverrideEndForm(forms.Form):
    prefix = "override_end"

    reason = forms.CharField(label="Why end it now", required=False, max_length=300)


# -- inbox (PC11) -------------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="What you are doing about it, for the record.",
    )


# -- criteria (PC7, K14) ------------------------------------------------------------------------

PARAM_PREFIX = "param_"


def _param_field(
    spec: engine.ParamSpec, flag_choices: Sequence[tuple[str, str]] | None = None
) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help, "required": spec.required}
    if spec.type == "int":
        return forms.IntegerField(
            min_value=spec.minimum,
            max_value=spec.maximum,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
            error_messages={"required": f"{spec.label}: give a number.", "invalid": "Give a whole number."},
            **common,
        )
    if spec.type == "bool":
        return forms.BooleanField(**{**common, "required": False})
    if spec.type == "flag_codes":
        # The built-in flags and the organisation's own (issue 9).
        choices = list(flag_choices) if flag_choices is not None else list(FlagCode.choices)
    else:
        choices = list(DeadlineKind.choices)
    return forms.MultipleChoiceField(
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"{spec.label}: choose at least one."},
        **common,
    )


class CriterionForm(forms.Form):
    """A criterion of one kind; the kind's parameters become fields (``engine.CRITERION_KINDS``)."""

    name = forms.CharField(label="Name", max_length=200, required=False, help_text="As people say it.")
    points = forms.IntegerField(
        label="Points",
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={"required": "Give the points it adds.", "invalid": "Give a whole number."},
    )
    axis = forms.ChoiceField(label="Counts towards", choices=PriorityCriterion.AXIS_CHOICES)
    is_active = forms.BooleanField(label="In use", required=False, initial=True)
    reason = reason_field("Reason for the change", "Why, and who agreed it. The change log keeps this.")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, kind: str, flag_choices: Sequence[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = engine.CRITERION_KINDS[kind]
        for spec in self.kind.params:
            self.fields[PARAM_PREFIX + spec.name] = _param_field(spec, flag_choices)
        self.order_fields(["name", "points", "axis", *self.param_names(), "is_active", "reason"])

    def param_names(self) -> list[str]:
        return [PARAM_PREFIX + spec.name for spec in self.kind.params]

    def param_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.param_names()]

    @staticmethod
    def initial_from(criterion: PriorityCriterion) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": criterion.name,
            "points": criterion.points,
            "axis": criterion.axis,
            "is_active": criterion.is_active,
            "version": criterion.version,
        }
        for name, value in criterion.params.items():
            initial[PARAM_PREFIX + name] = value
        return initial

    def values(self) -> dict[str, Any]:
        """What ``services.criterion_save`` takes. A blank optional parameter is left out."""
        data = self.cleaned_data
        params: dict[str, Any] = {}
        for spec in self.kind.params:
            value = data.get(PARAM_PREFIX + spec.name)
            if spec.type == "bool":
                if value:
                    params[spec.name] = True
            elif value not in (None, [], ""):
                params[spec.name] = list(value) if spec.type in ("flag_codes", "deadline_kinds") else value
        return {
            "name": data.get("name") or "",
            "kind": self.kind.code,
            "points": data["points"],
            "axis": data["axis"],
            "is_active": bool(data.get("is_active")),
            "params": params,
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """Each message next to its field: a parameter's message starts with its label."""
        labels = {spec.label: PARAM_PREFIX + spec.name for spec in self.kind.params}
        for key, messages in exc.message_dict.items():
            for message in messages:
                target: str | None = key if key in self.fields else None
                if key == "params":
                    target = next((f for label, f in labels.items() if message.startswith(label)), None)
                    if message.startswith("Points"):
                        target = "points"
                    elif message.startswith("A criterion counts towards"):
                        target = "axis"
                self.add_error(target, message)


class SettingsForm(forms.Form):
    """Band and quadrant thresholds, time scales and the holiday calendar (PC7, PC14)."""

    red_threshold = forms.IntegerField(label="Red from (points)", min_value=0)
    amber_threshold = forms.IntegerField(label="Amber from (points)", min_value=0)
    urgency_threshold = forms.IntegerField(
        label="Urgent from (points)",
        min_value=0,
        help_text="Urgency points at which a case counts as urgent.",
    )
    importance_threshold = forms.IntegerField(
        label="Important from (points)",
        min_value=0,
        help_text="Importance points at which a case counts as important.",
    )
    first_contact_working_days = forms.IntegerField(
        label="First contact within (working days of referral)", min_value=0
    )
    first_contact_working_hours_at_risk = forms.FloatField(
        label="First contact within (working hours) when a risk flag is raised",
        required=False,
        min_value=0,
        help_text="Leave empty to use the working days above whatever the risk.",
    )
    contact_interval_days = forms.IntegerField(label="Contact at least every (days)", min_value=0)
    contact_interval_days_at_risk = forms.IntegerField(
        label="Contact at least every (days) while a risk flag is raised",
        required=False,
        min_value=0,
        help_text="Leave empty to use the same time scale whatever the risk.",
    )
    pause_time_scales_on_hold = forms.BooleanField(
        label="Pause first-contact and contact time scales while a case is on hold", required=False
    )
    extra_holidays = forms.CharField(
        label="Extra days the organisation is closed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One date a line, as 2026-12-29 or 29/12/2026. Working days skip them.",
    )
    removed_holidays = forms.CharField(
        label="Bank holidays the organisation works",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One date a line. England and Wales bank holidays are closed days unless listed here.",
    )
    reason = reason_field("Reason for the change", "Why, and who agreed it. The change log keeps this.")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_from(row: PrioritySettings) -> dict[str, Any]:
        initial = {name: getattr(row, name) for name in SETTINGS_FIELDS}
        initial["extra_holidays"] = "\n".join(sorted(row.extra_holidays))
        initial["removed_holidays"] = "\n".join(sorted(row.removed_holidays))
        initial["version"] = row.version
        return initial

    def clean_extra_holidays(self) -> list[str]:
        return _dates(self.cleaned_data.get("extra_holidays") or "")

    def clean_removed_holidays(self) -> list[str]:
        return _dates(self.cleaned_data.get("removed_holidays") or "")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in SETTINGS_FIELDS}

    def add_service_errors(self, exc: ValidationError) -> None:
        """The engine words its messages after the setting ("The amber threshold must ..."):
        each goes next to the field it names, the rest above the form."""
        for key, messages in exc.message_dict.items():
            for message in messages:
                target: str | None = key if key in self.fields else None
                if target is None:
                    target = _field_named_in(message, self.fields)
                self.add_error(target, message)


def _field_named_in(message: str, names: Iterable[str]) -> str | None:
    """The field a message is about: the one it names first ("The red threshold must be no lower
    than the amber threshold" is about the red threshold); the longer name on a tie, so "contact
    interval days at risk" wins over "contact interval days"."""
    lowered = message.lower()
    found = [(lowered.find(name.replace("_", " ")), -len(name), name) for name in names]
    named = sorted(entry for entry in found if entry[0] >= 0)
    return named[0][2] if named else None


def _parse_date(text: str) -> dt.date | None:
    """A date written as 2026-12-29 or 29/12/2026, or None."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _dates(text: str) -> list[str]:
    found: set[str] = set()
    for line in re.split(r"[\n,;]+", text):
        line = line.strip()
        if not line:
            continue
        parsed = _parse_date(line)
        if parsed is None:
            raise ValidationError(f"“{line}” is not a date. Write dates as 2026-12-29 or 29/12/2026.")
        found.add(parsed.isoformat())
    return sorted(found)
