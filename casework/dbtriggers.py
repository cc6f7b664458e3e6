"""Database triggers that refuse changes to records which must never change.

Used by migrations on both supported databases (SQLite and PostgreSQL), so that no code path,
not even a raw ``QuerySet.update()``, can rewrite a signed note or an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def _sqlite(table: str, op: str, message: str) -> tuple[str, str]:
    name = f"{table}_no_{op.lower()}"
    create = f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    return create, f"DROP TRIGGER IF EXISTS {name};"


def _postgresql(table: str, op: str, message: str) -> tuple[str, str]:
    name = f"{table}_no_{op.lower()}"
    function = f"{name}_refuse"
    create = f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
    """
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {function}();"
    return create, drop


_BUILDERS = {"sqlite": _sqlite, "postgresql": _postgresql}


def trigger_statements(
    vendor: str, tables: Sequence[str], operations: Sequence[str], message: str, *, create: bool = True
) -> list[str]:
    """The SQL that creates (or, with ``create=False``, drops) the refusing triggers."""
    assert "'" not in message
    build = _BUILDERS.get(vendor)
    if build is None:
        return []
    return [build(table, op, message)[0 if create else 1] for table in tables for op in operations]


def refuse(tables: Sequence[str], operations: Sequence[str], message: str) -> migrations.RunPython:
    """A migration operation adding triggers that refuse ``operations`` (UPDATE, DELETE) on ``tables``."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in trigger_statements(schema_editor.connection.vendor, tables, operations, message):
            schema_editor.execute(sql)

    def backward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for sql in trigger_statements(vendor, tables, operations, message, create=False):
            schema_editor.execute(sql)

    return migrations.RunPython(forward, backward)
