"""Small pure helpers that shape domain data for the templates. No queries here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
