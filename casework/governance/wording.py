"""The audit trail's stored changes, as people read them (issue 9, D7).

The trail stores codes, ids and ISO timestamps so that it can be verified and outlives the
records it names. The data-protection officer reads them here as labels ("Done", not
``done``), names ("Sam Okafor", not ``1``) and dates ("4 Dec 2026, 14:05").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from casework.accounts.models import Role
from casework.cases import rules
from casework.cases.models import (
    ActionOwner,
    ActionStatus,
    CaseStatus,
    Complexity,
    DeadlineKind,
    FlagCode,
    GoalStatus,
    NoteSection,
    OutcomeResult,
)

# Keys whose values are user ids.
PEOPLE_KEYS = frozenset({"owner", "assigned_to", "administrator", "supervisors", "members", "restricted_to"})
# Keys that only link to another row: not worth a reader's time.
HIDDEN_KEYS = frozenset({"correction_id", "closure_id", "source_note", "prev_hash"})

KEY_LABELS = {
    "status": "Status",
    "owner": "Owner",
    "assigned_to": "Assigned to",
    "due_on": "Due date",
    "target_on": "Target date",
    "met_on": "Met on",
    "occurred_at": "Contact at",
    "is_late": "Recorded late",
    "contact_type": "Contact type",
    "sections": "Sections",
    "fields": "Details",
    "version": "Version",
    "owner_kind": "Owner is",
    "case_type": "Case type",
    "code": "Flag",
    "kind": "Kind",
    "complexity": "Complexity",
    "next_review_on": "Next review",
    "contact_interval_days": "Contact interval (days)",
    "is_restricted": "Restricted",
    "required_outcomes": "Required outcomes",
    "actions_moved": "Actions passed on",
    "outcomes": "Outcomes",
    "open_actions": "Open actions",
    "actions_handled": "Actions handled",
    "legal_hold": "Legal hold",
    "reason": "Reason",
}

_CHOICES: dict[str, str] = {
    **{value: str(label) for value, label in CaseStatus.choices},
    **{value: str(label) for value, label in ActionStatus.choices},
    **{value: str(label) for value, label in GoalStatus.choices},
    **{value: str(label) for value, label in FlagCode.choices},
    **{value: str(label) for value, label in DeadlineKind.choices},
    **{value: str(label) for value, label in NoteSection.choices},
    **{value: str(label) for value, label in OutcomeResult.choices},
    **{value: str(label) for value, label in ActionOwner.choices},
    **{value: str(label) for value, label in Role.choices},
    "withdraw": "withdrawn",
    "hand_on": "handed on",
    "keep": "kept open",
    "none": "none",
}
# A status code means different things on different records ("open" is "In progress" on a goal).
_STATUS_BY_OBJECT: dict[str, dict[str, str]] = {
    "case": {value: str(label) for value, label in CaseStatus.choices},
    "action": {value: str(label) for value, label in ActionStatus.choices},
    "goal": {value: str(label) for value, label in GoalStatus.choices},
}
_FIELD_WORDS = {
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "email": "email",
    "phone": "phone",
    "address": "address",
}


def people_in(changes_list: Iterable[Mapping[str, Any]]) -> set[int]:
    """Every user id named in these changes, to look their names up in one query."""
    found: set[int] = set()

    def collect(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            found.add(value)
        elif isinstance(value, str) and value.isdigit():
            found.add(int(value))
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for changes in changes_list:
        for key, value in changes.items():
            if key in PEOPLE_KEYS:
                collect(value)
    return found


def _when(text: str) -> str | None:
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{rules.short_date(moment.date())}, {moment:%H:%M}"
        if len(text) == 10:
            return rules.short_date(date.fromisoformat(text))
    except ValueError:
        return None
    return None


def _value(key: str, value: Any, names: Mapping[int, str], object_type: str = "") -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in PEOPLE_KEYS and (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        return names.get(int(value), "someone no longer on record")
    if key == "complexity" and isinstance(value, int) and value in Complexity.values:
        return str(Complexity(value).label)
    if key == "status" and isinstance(value, str) and value in _STATUS_BY_OBJECT.get(object_type, {}):
        return _STATUS_BY_OBJECT[object_type][value]
    if isinstance(value, list):
        return ", ".join(_value(key, item, names, object_type) for item in value) or "none"
    if isinstance(value, dict):
        return ", ".join(
            f"{_value(k, v, names)} {str(_CHOICES.get(k, k)).lower()}" for k, v in value.items() if v
        )
    if isinstance(value, str):
        if key == "fields":
            return _FIELD_WORDS.get(value) or _CHOICES.get(value) or value.replace("_", " ")
        if value in _CHOICES:
            return _CHOICES[value]
        if (when := _when(value)) is not None:
            return when
        return value
    return str(value)


def describe_changes(
    changes: Mapping[str, Any], names: Mapping[int, str], object_type: str = "", limit: int = 300
) -> str:
    """One line a person can read: "Status: Open → Done; Assigned to: Sam Okafor"."""
    parts = []
    for key in sorted(changes):
        if key in HIDDEN_KEYS:
            continue
        value = changes[key]
        label = KEY_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, list) and len(value) == 2 and key not in ("fields", "sections"):
            old, new = (_value(key, item, names, object_type) for item in value)
            parts.append(f"{label}: {old} \u2192 {new}")
        else:
            parts.append(f"{label}: {_value(key, value, names, object_type)}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
