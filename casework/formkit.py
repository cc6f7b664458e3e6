"""Form helpers every app's pages share: service errors onto fields, and the error summary.

Below every app (it imports none of them), so ``cases``, ``priorities`` and ``governance``
views use one copy. The templates that draw these live in ``web/templates/web/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def reason_field(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    # Left optional here so the service's own message ("Give a reason ...") is the one shown.
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary at the top of a form: the message and where to fix it."""

    message: str
    href: str


def _field_anchor(field: forms.BoundField) -> str:
    # A group of checkboxes or radio buttons: point at the first box, which takes the focus.
    if isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"#{field.auto_id}_0"
    return f"#{field.auto_id}"


def error_summary(all_forms: Iterable[forms.Form], *, first_field: str = "") -> list[SummaryError]:
    """Every error on the given forms, in page order, each linked to its field."""
    lines: list[SummaryError] = []
    for form in all_forms:
        if not form.is_bound:
            continue
        # Messages are written to name what they are about; an action row says which row.
        prefix = getattr(form, "summary_prefix", "")
        first = first_field if first_field in form.fields else next(iter(form.fields), "")
        fallback = f"#{form[first].auto_id}" if first else "#main"
        for message in form.non_field_errors():
            lines.append(SummaryError(f"{prefix}{message}", fallback))
        for field in form:
            for message in field.errors:
                lines.append(SummaryError(f"{prefix}{message}", _field_anchor(field)))
    return lines


def add_service_errors(
    exc: ValidationError,
    form: forms.Form,
    *,
    field_map: Mapping[str, str] | None = None,
    rows: Sequence[forms.Form] = (),
) -> None:
    """Put a service's ``ValidationError`` onto the form fields it names.

    ``actions.N`` keys go to the Nth action row that was filled in; keys with no field go
    to the form's non-field errors, so no message is ever dropped.
    """
    field_map = field_map or {}
    for key, messages in exc.message_dict.items():
        if key.startswith("actions."):
            index = int(key.split(".", 1)[1])
            if index < len(rows):
                for message in messages:
                    rows[index].add_error(None, message)
                continue
        name = field_map.get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
