"""The priority queue's markup, built in Python: the one source of a band's traffic light, a
next action and a Today row. Templates draw a band or a next action through the ``band`` and
``next_action`` tags, which call these same functions, so the markup exists once; the Today
page's 150 rows render in a couple of milliseconds rather than tens. Every value from the
database is escaped here."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from casework.cases.models import Action
from casework.priorities.selectors import QueueRow

_DASH = "\N{EN DASH}"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(value: dt.date) -> str:
    """``j M Y``: "4 Nov 2026"."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def band_html(band: str, label: str) -> str:
    """A band as a traffic light with its name: never colour alone."""
    return (
        f'<span class="band band--{conditional_escape(band)}"><span class="band__light" aria-hidden="true">'
        f"</span>{conditional_escape(label)}</span>"
    )


def next_action_html(action: Action | None, band: str, today: dt.date) -> str:
    """The next action due on a case, or a warning that a red case has none planned (PC9, PC10)."""
    e = conditional_escape
    if action is not None:
        overdue = ' <strong class="overdue">(overdue)</strong>' if action.is_overdue(today) else ""
        return (
            f'{e(action.description)} <span class="meta">{_DASH} {e(action.owner_label)}, '
            f"due {_date(action.due_on)}{overdue}</span>"
        )
    if band == "red":
        return (
            '<strong class="overdue">No action planned.</strong> '
            '<span class="meta">A red case needs an action with an owner and a due date.</span>'
        )
    return '<span class="muted">None planned</span>'


def queue_row_html(row: QueueRow, case_url: str, today: dt.date) -> str:
    """One ``<tr>`` of the Today queue: priority, client, why, next deadline, next action."""
    e = conditional_escape
    case = row.case
    a = row.assessment
    band = row.band
    on_hold = ' · <span class="status status--on_hold">On hold</span>' if case.status == "on_hold" else ""
    why = ""
    if row.override is not None:
        why = render_to_string(
            "priorities/_override_note.html",
            {"override": row.override, "computed_label": row.computed_band_label},
        )
    elif row.is_overridden:
        why = (
            f'<p class="override-note">Override ended; the criteria say {e(row.computed_band_label.lower())}'
            " and the queue catches up within minutes.</p>"
        )
    if a is None:
        why += '<span class="muted">Not assessed yet. The next sweep assesses it, within minutes.</span>'
    else:
        why += e(capfirst(a.summary)) if a.summary else '<span class="muted">No criteria apply.</span>'
    if a is not None and a.next_deadline:
        sentence = e(capfirst(a.next_deadline.get("sentence", "")))
        on = _date(a.next_deadline_on) if a.next_deadline_on else ""
        deadline = f'{sentence} <span class="meta">({on})</span>'
    else:
        deadline = '<span class="muted">None</span>'
    next_action = next_action_html(row.next_action, band, today)
    score = f' <span class="meta">Score {a.score}</span>' if a is not None else ""
    client = case.client
    return (
        f'<tr class="queue-row queue-row--{e(band)}" id="case-{case.pk}">'
        f'<td>{band_html(band, row.band_label)} <span class="quadrant">{e(row.quadrant_label)}</span>'
        f"{score}</td>"
        f'<th scope="row"><a href="{case_url}{case.pk}/">{e(client.full_name)}</a>'
        f' <span class="reference">{e(client.reference)}</span>'
        f' <span class="meta">{e(case.case_type.name)}{on_hold}</span></th>'
        f"<td>{why}</td><td>{deadline}</td><td>{next_action}</td></tr>\n"
    )


def queue_rows_html(rows: list[QueueRow], case_url: str, today: dt.date) -> SafeString:
    """The Today queue's table body."""
    # Every database value is escaped in queue_row_html; the rest is fixed markup.
    return mark_safe("".join(queue_row_html(row, case_url, today) for row in rows))  # nosec B308 B703
