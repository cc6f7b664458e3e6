"""Writing many stored assessments at once, by the fastest path each database has (issue 3 (c)).

The sweep re-assesses every live case of an organisation; on a cold store that is one new
row per case, and on a day when deadlines draw near, tens of thousands of changed rows. The
ORM's ``bulk_create`` and ``bulk_update`` build one huge statement per batch whose parameters
the PostgreSQL driver quotes in Python, and ``bulk_update`` a ``CASE WHEN`` per column, which
costs far more than the assessing. So above ``RAW_FROM`` rows:

* PostgreSQL: new rows go in with COPY; changed rows are copied into a temporary table and
  applied with one ``UPDATE ... FROM``.
* SQLite: one ``executemany`` INSERT or UPDATE.

Smaller writes (a case changed in a request) keep the ordinary ORM path. Either way the
stored values are the ones the ORM would store: JSON as ``json.dumps`` writes it, times in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection

from casework.priorities.models import CaseAssessment

RAW_FROM = 200

TABLE = CaseAssessment._meta.db_table
COLUMNS = tuple(f.attname for f in CaseAssessment._meta.concrete_fields)
_JSON = {"rationale", "past_time_scale", "next_deadline"}
_KEY = "case_id"
_SET = tuple(c for c in COLUMNS if c not in (_KEY, "organisation_id"))


def store(creates: Sequence[Mapping[str, Any]], updates: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``creates`` and update ``updates``: each a mapping of every column to its value."""
    if creates:
        if len(creates) >= RAW_FROM and connection.vendor in ("postgresql", "sqlite"):
            _insert_raw(creates)
        else:
            CaseAssessment.objects.bulk_create([CaseAssessment(**row) for row in creates], batch_size=2000)
    if updates:
        if len(updates) >= RAW_FROM and connection.vendor in ("postgresql", "sqlite"):
            _update_raw(updates)
        else:
            CaseAssessment.objects.bulk_update(
                [CaseAssessment(**row) for row in updates], list(_SET), batch_size=1000
            )


def _plain(column: str, value: Any, sqlite: bool) -> Any:
    if value is None:
        return None
    if column in _JSON:
        return json.dumps(value)
    if sqlite:
        if isinstance(value, datetime):
            # As Django stores an aware datetime on SQLite: naive UTC text.
            return str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(value, date):
            return value.isoformat()
    return value


def _rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], sqlite: bool) -> list[tuple[Any, ...]]:
    return [tuple(_plain(c, row[c], sqlite) for c in columns) for row in rows]


def _insert_raw(rows: Sequence[Mapping[str, Any]]) -> None:
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {TABLE} ({names}) FROM STDIN") as copy:
                for values in _rows(rows, COLUMNS, sqlite=False):
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(
                f"INSERT INTO {TABLE} ({names}) VALUES ({marks})",  # noqa: S608  # nosec B608 - fixed names
                _rows(rows, COLUMNS, sqlite=True),
            )


def _update_raw(rows: Sequence[Mapping[str, Any]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = COLUMNS
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS _assessment_changes "  # nosec B608
                f"(LIKE {TABLE}) ON COMMIT DELETE ROWS"
            )
            raw: Any = cursor.cursor
            with raw.copy(f"COPY _assessment_changes ({', '.join(columns)}) FROM STDIN") as copy:
                for values in _rows(rows, columns, sqlite=False):
                    copy.write_row(values)
            assignments = ", ".join(f"{c} = changes.{c}" for c in _SET)
            cursor.execute(
                f"UPDATE {TABLE} AS stored SET {assignments} FROM _assessment_changes AS changes "  # noqa: S608  # nosec B608
                f"WHERE stored.{_KEY} = changes.{_KEY}"
            )
            # The caller's transaction may write again before it commits.
            cursor.execute("TRUNCATE _assessment_changes")
        else:
            assignments = ", ".join(f"{c} = %s" for c in _SET)
            cursor.executemany(
                f"UPDATE {TABLE} SET {assignments} WHERE {_KEY} = %s",  # noqa: S608  # nosec B608
                _rows(rows, (*_SET, _KEY), sqlite=True),
            )
