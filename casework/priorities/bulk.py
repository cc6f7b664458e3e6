"""Writing many rows at once by the fastest path each database has (issue 3 (c)).

The sweep re-assesses every live case of an organisation; on a cold store that is one new
assessment per case (and a notification for each red one), and on a day when deadlines draw
near, tens of thousands of changed assessments. The ORM's ``bulk_create`` and
``bulk_update`` build one huge statement per batch whose parameters the PostgreSQL driver
quotes in Python, and ``bulk_update`` a ``CASE WHEN`` per column, which costs far more than
the assessing. So from ``RAW_FROM`` rows:

* PostgreSQL: new rows go in with COPY; changed rows are copied into a temporary table and
  applied with one ``UPDATE ... FROM``.
* SQLite: one ``executemany`` INSERT or UPDATE.

Smaller writes (a case changed in a request) keep the ordinary ORM path. Either way the
stored values are the ones the ORM would store: JSON as ``json.dumps`` writes it, times in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models

from casework.priorities.models import CaseAssessment

RAW_FROM = 200

_ASSESSMENT_KEY = "case_id"


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` of ``model``, each a mapping of the same field attnames to values."""
    if not rows:
        return
    if len(rows) < RAW_FROM or connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    table = model._meta.db_table
    columns = tuple(rows[0])
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in _plain_rows(model, rows, columns):
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608  # nosec B608 - field names
                _plain_rows(model, rows, columns),
            )


def update_assessments(rows: Sequence[Mapping[str, Any]]) -> None:
    """Write changed ``CaseAssessment`` rows, each a mapping of every field attname to its value."""
    if not rows:
        return
    columns = tuple(rows[0])
    changed = [c for c in columns if c not in (_ASSESSMENT_KEY, "organisation_id")]
    if len(rows) < RAW_FROM or connection.vendor not in ("postgresql", "sqlite"):
        CaseAssessment.objects.bulk_update([CaseAssessment(**row) for row in rows], changed, batch_size=1000)
        return
    table = CaseAssessment._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS _assessment_changes (LIKE {table}) "
                "ON COMMIT DELETE ROWS"
            )
            raw: Any = cursor.cursor
            with raw.copy(f"COPY _assessment_changes ({', '.join(columns)}) FROM STDIN") as copy:
                for values in _plain_rows(CaseAssessment, rows, columns):
                    copy.write_row(values)
            assignments = ", ".join(f"{c} = changes.{c}" for c in changed)
            cursor.execute(
                f"UPDATE {table} AS stored SET {assignments} FROM _assessment_changes AS changes "  # noqa: S608  # nosec B608
                f"WHERE stored.{_ASSESSMENT_KEY} = changes.{_ASSESSMENT_KEY}"
            )
            # The caller's transaction may write again before it commits.
            cursor.execute("TRUNCATE _assessment_changes")
        else:
            assignments = ", ".join(f"{c} = %s" for c in changed)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {_ASSESSMENT_KEY} = %s",  # noqa: S608  # nosec B608
                _plain_rows(CaseAssessment, rows, (*changed, _ASSESSMENT_KEY)),
            )


def _sqlite_datetime(value: datetime) -> str:
    # As Django stores an aware datetime on SQLite: naive UTC text.
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _iso_date(value: date) -> str:
    return value.isoformat()


def _converter(field: models.Field[Any, Any], sqlite: bool) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        return json.dumps
    if sqlite and isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if sqlite and isinstance(field, models.DateField):
        return _iso_date
    return None


def _plain_rows(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> list[list[Any]]:
    """The rows as lists of driver-ready values, in the order of ``columns``."""
    sqlite = connection.vendor == "sqlite"
    fields = {f.attname: f for f in model._meta.concrete_fields}
    converters = [
        (i, convert)
        for i, column in enumerate(columns)
        if (convert := _converter(fields[column], sqlite)) is not None
    ]
    plain = []
    for row in rows:
        values = [row[c] for c in columns]
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        plain.append(values)
    return plain
