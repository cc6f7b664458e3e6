"""Small pure helpers that shape domain data for the templates. No queries here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import forms

from casework.cases.models import Action, Goal
from casework.cases.rules import Finding


@dataclass(frozen=True)
class Segment:
    """A run of the facts text; ``finding`` is set when the run reads as opinion."""

    text: str
    finding: Finding | None = None


def highlight(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Split ``text`` into plain runs and the runs the fact/opinion check flagged (K4)."""
    segments: list[Segment] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        if finding.start > position:
            segments.append(Segment(text[position : finding.start]))
        segments.append(Segment(text[finding.start : finding.end], finding))
        position = finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


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


@dataclass(frozen=True)
class PlanGroup:
    """A goal with its actions; the goal is None for actions linked to no goal."""

    goal: Goal | None
    actions: list[Action]


def action_plan(goals: Sequence[Goal], actions: Sequence[Action]) -> list[PlanGroup]:
    """The action plan as the client sees it: each goal with the actions towards it (PC9)."""
    groups = [PlanGroup(goal, [a for a in actions if a.goal_id == goal.pk]) for goal in goals]
    loose = [a for a in actions if a.goal_id is None or a.goal_id not in {g.pk for g in goals}]
    if loose:
        groups.append(PlanGroup(None, loose))
    return groups
