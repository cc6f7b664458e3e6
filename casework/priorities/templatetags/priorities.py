"""Template tags for priorities: the case page's panels and plain words for stored data (PC9, PC15; K14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from casework.cases.models import Action, DeadlineKind, flag_label
from casework.priorities import engine, selectors
from casework.priorities.forms import OverrideForm
from casework.priorities.models import CriteriaChange, PriorityCriterion
from casework.priorities.rows_html import band_html, next_action_html

register = template.Library()

_DEADLINE_LABELS = dict(DeadlineKind.choices)
_AXIS_LABELS = dict(PriorityCriterion.AXIS_CHOICES)


@register.inclusion_tag("priorities/_case_priority.html", takes_context=True)
def case_priority_panels(context: template.Context) -> dict[str, Any]:
    """The case's band, quadrant, rationale and overrides, with the form to override the band
    for whoever may write on the case. Two queries."""
    case = context["case"]
    can_write = bool(context.get("can_write"))
    priority = selectors.case_priority(case)
    panels: dict[str, Any] = {
        "case": case,
        "can_write": can_write,
        "priority": priority,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
    if can_write:
        panels["override_form"] = OverrideForm(initial=OverrideForm.initial_for(priority.today))
    return panels


@register.simple_tag
def band(code: str, label: str) -> SafeString:
    """A band's traffic light with its name, from the one source of its markup (rows_html)."""
    return mark_safe(band_html(code, label))  # nosec B308 B703: band_html escapes both values


@register.simple_tag
def next_action(action: Action | None, band: str) -> SafeString:
    """A case's next action, or the warning that a red case has none (rows_html)."""
    return mark_safe(next_action_html(action, band, timezone.localdate()))  # nosec B308 B703: escaped there


@register.filter
def band_label(code: str) -> str:
    return engine.BAND_LABELS.get(code, code)


@register.filter
def axis_label(code: str) -> str:
    return _AXIS_LABELS.get(code, code)


@register.filter
def kind_label(code: str) -> str:
    kind = engine.CRITERION_KINDS.get(code)
    return kind.label if kind else code


def _param_text(spec: engine.ParamSpec, value: Any) -> str:
    if spec.type == "bool":
        return spec.label if value else ""
    if spec.type == "flag_codes":
        return f"{spec.label}: {', '.join(flag_label(v) for v in value)}"
    if spec.type == "deadline_kinds":
        return f"{spec.label}: {', '.join(_DEADLINE_LABELS.get(v, v) for v in value)}"
    return f"{spec.label}: {value}"


@register.filter
def criterion_settings(criterion: PriorityCriterion) -> str:
    """A criterion's parameters in words: "Flags: Safeguarding concern; Points for each flag"."""
    kind = engine.CRITERION_KINDS.get(criterion.kind)
    if kind is None:
        return ""
    parts = [
        _param_text(spec, criterion.params[spec.name])
        for spec in kind.params
        if criterion.params.get(spec.name) not in (None, [], "")
    ]
    return "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: Any
    after: Any


@register.filter
def change_rows(change: CriteriaChange) -> list[ChangeRow]:
    """What a change altered, field by field; everything, for a criterion just added."""
    before = change.before or {}
    after = change.after or {}
    rows = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if change.before is None or old != new:
            rows.append(ChangeRow(key.replace("_", " "), "" if change.before is None else old, new))
    return rows
