"""Signed case notes can never be updated, whatever code path tries (PC17, K6).

A trigger on each database refuses any UPDATE of a note version or a note entry. Deletion
stays possible so that records past retention can be disposed of.
"""

from django.db import migrations

TABLES = ("cases_noteversion", "cases_casenote")

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN
        SELECT RAISE(ABORT, 'signed case notes cannot be edited; record an amendment');
    END;
    """
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in TABLES]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION casework_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signed case notes cannot be edited; record an amendment'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
PG_FORWARD = [PG_FUNCTION] + [
    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION casework_refuse_update();"
    for table in TABLES
]
PG_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};" for table in TABLES] + [
    "DROP FUNCTION IF EXISTS casework_refuse_update();"
]


def forward(apps, schema_editor):
    statements = PG_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = PG_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
