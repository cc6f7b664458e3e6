"""Template filters for dates, lateness and note versions."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from casework.cases.events import event_label
from casework.cases.models import CaseNote, NoteVersion

register = template.Library()


@register.filter
def days_ago(moment: datetime | None) -> str:
    """'never', 'today', '1 day ago' or 'N days ago', counted in whole days."""
    if moment is None:
        return "never"
    days = (timezone.now() - moment).days
    if days <= 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


@register.filter
def late_hours(version: NoteVersion) -> int:
    """Whole hours between the contact and the recording of the note."""
    return int(version.lateness.total_seconds() // 3600)


@register.filter
def late_days(version: NoteVersion) -> int:
    """The lateness in days, rounded to the nearest: 71 hours is about 3 days (issue 9, D15)."""
    return round(version.lateness.total_seconds() / 86400)


@register.filter
def versions(note: CaseNote) -> list[NoteVersion]:
    """A note's versions, oldest first, from the prefetched rows (no query)."""
    return sorted(note.versions.all(), key=lambda v: v.number)


@register.filter
def latest_version(note: CaseNote) -> NoteVersion:
    return versions(note)[-1]


@register.filter
def earlier_versions(note: CaseNote) -> list[NoteVersion]:
    """Every version but the latest, newest first: what an amendment replaced."""
    return list(reversed(versions(note)[:-1]))


@register.filter
def previous_version(version: NoteVersion) -> NoteVersion | None:
    """The version an amendment replaced (needs the note's versions prefetched)."""
    for candidate in versions(version.note):
        if candidate.number == version.number - 1:
            return candidate
    return None


@register.filter
def event_name(code: str) -> str:
    return event_label(code)
