"""What any input may hold, checked at the edge before a service or the database sees it
(issue 8; PC17; K4, K6). Below every app; pure Python and Django's validators only.

**Text.** A NUL character crashes PostgreSQL's driver, a lone surrogate cannot be stored as
UTF-8, and other control characters (bell, escape, form feed...) are invisible in a printed
record yet change what it says. They are *refused*, not stripped: silently changing what a
practitioner wrote into a legal record would be worse than asking them to look again, and an
API client learns exactly which field to fix. Multi-line fields (note sections, reasons,
descriptions) keep tabs and line breaks; one-line fields (names, codes) keep tabs only.

**Dates.** Every date and time a person gives lies between 1 January 1900 and 31 December
2100. Outside that range a date is a typing slip, and near the ends of Python's range it
overflows when converted to local time.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

_MULTILINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ONE_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why ``value`` cannot be stored, or None. Names the first offending character."""
    found = (_MULTILINE_FORBIDDEN if multiline else _ONE_LINE_FORBIDDEN).search(value)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return "Remove the NUL character (U+0000): text cannot hold it."
    if 0xD800 <= code <= 0xDFFF:
        return f"Remove the broken character (U+{code:04X}): it is half of a character pair."
    if code in (0x0A, 0x0D):
        return "Keep this to one line: remove the line break."
    return f"Remove the control character (U+{code:04X}); copy the text again as plain text."


def date_problem(value: dt.date) -> str | None:
    """Why ``value`` is not a date a person could mean, or None."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DATE or day > LATEST_DATE:
        return f"Give a date between {EARLIEST_DATE:%-d %B %Y} and {LATEST_DATE:%-d %B %Y}."
    return None


def reason_problems(reason: str, missing: str, *, limit: int = 500) -> list[str]:
    """What is wrong with a reason a change must give: ``missing`` when it is empty, else a
    reason too long or holding a character text cannot."""
    if not reason.strip():
        return [missing]
    if len(reason.strip()) > limit:
        return [f"Keep the reason to {limit:,} characters or fewer."]
    if problem := text_problem(reason):
        return [problem]
    return []


def check_text(value: str, *, multiline: bool = True) -> str:
    """For pydantic ``AfterValidator``: the value, or ``ValueError`` with the reason."""
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise ValueError(problem)
    return value


def iso_text_only(value: object) -> object:
    """For pydantic ``BeforeValidator``: a date arrives as ISO text, never as a number (which
    pydantic would otherwise read as seconds since 1970)."""
    if isinstance(value, bool | int | float):
        raise ValueError("Give the date as text: YYYY-MM-DD (a time as 2026-11-20T14:30:00+00:00).")
    return value


def check_date(value: dt.date) -> dt.date:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def validate_multiline(value: str) -> None:
    """Django validator for a multi-line text field."""
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(problem, code="control_character")


def validate_one_line(value: str) -> None:
    problem = text_problem(value, multiline=False)
    if problem:
        raise ValidationError(problem, code="control_character")


def validate_date(value: dt.date) -> None:
    """Django validator for a date (or date and time) a person gives."""
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_range")
