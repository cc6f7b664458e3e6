"""Backups restore and verify (issue 8, finding 2): a round trip on the database under test.

A history is written through the services and committed; ``casework backup`` copies it while
the test's connection is open; ``casework restore`` (run as its own process, as an operator
would) puts the copy into an empty scratch database, checks counts and audit chains, and every
signed note version comes back with the same text and the same times to the microsecond.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from casework.administration.backup import Manifest, manifest_path
from casework.cases.models import NoteVersion
from casework.cases.services import note_amend, note_record
from tests.factories import contact_type

CASEWORK = str(Path(sys.executable).with_name("casework"))
ROOT = Path(__file__).resolve().parents[2]

DUMP_VERSIONS = """
import json
from casework.cases.models import NoteVersion
fields = ("pk", "number", "facts", "follow_up", "occurred_at", "recorded_at")
rows = NoteVersion.objects.order_by("pk").values_list(*fields)
print(json.dumps([[pk, n, f, u, o.isoformat(), r.isoformat()] for pk, n, f, u, o, r in rows]))
"""


def _versions_here() -> list[list]:
    rows = NoteVersion.objects.order_by("pk").values_list(
        "pk", "number", "facts", "follow_up", "occurred_at", "recorded_at"
    )
    return [[pk, n, f, u, o.isoformat(), r.isoformat()] for pk, n, f, u, o, r in rows]


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    """An empty database of the same kind as the one under test, for the restore."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    port = settings["PORT"] or 5432
    admin = psycopg.connect(
        host=settings["HOST"],
        port=port,
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{settings['USER']}@{settings['HOST']}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _casework(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "casework.settings"}
    return subprocess.run(  # noqa: S603 - our own command
        [CASEWORK, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_backup_restores_into_an_empty_database_and_verifies(committed_db, world, tmp_path, scratch_url):
    now = timezone.now()
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=now - dt.timedelta(hours=3, microseconds=123_457),
        sections={"facts": "Rang about the depot job.\n\tTab kept.", "follow_up": "Monday."},
        now=now - dt.timedelta(hours=1, microseconds=654_321),
    )
    note_amend(note=note, author=world.supervisor, reason="Wrong day", sections={"follow_up": "Tuesday."})
    out = tmp_path / "casework.backup"

    call_command("backup", str(out))

    manifest = Manifest.read(manifest_path(out))
    assert manifest.counts["cases.NoteVersion"] == 2
    assert manifest.chains[str(world.organisation.pk)][0] == 2  # recorded, then amended

    restored = _casework(scratch_url, "restore", str(out), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "counts match, audit chains intact" in restored.stdout

    dumped = _casework(scratch_url, "shell", "-c", DUMP_VERSIONS)
    assert dumped.returncode == 0, dumped.stderr
    assert json.loads(dumped.stdout.strip().splitlines()[-1]) == _versions_here()

    verified = _casework(scratch_url, "audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout


def test_a_backup_never_overwrites_a_file_without_force(committed_db, world, tmp_path):
    out = tmp_path / "casework.backup"
    out.write_text("yesterday's backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(out))

    assert out.read_text() == "yesterday's backup"


def test_a_restore_needs_confirming(committed_db, world, tmp_path):
    out = tmp_path / "casework.backup"
    call_command("backup", str(out))

    with pytest.raises(CommandError, match="Confirm with --yes"):
        call_command("restore", str(out))


def test_a_restore_that_does_not_match_its_manifest_fails_loudly(committed_db, world, tmp_path, scratch_url):
    out = tmp_path / "casework.backup"
    call_command("backup", str(out))
    manifest = Manifest.read(manifest_path(out))
    manifest.counts["cases.Case"] += 1  # as if a case had been lost on the way
    manifest.write(manifest_path(out))

    restored = _casework(scratch_url, "restore", str(out), "--yes")

    assert restored.returncode != 0
    assert "cases.Case" in restored.stderr
