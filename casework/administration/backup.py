"""Backups that restore and verify (issue 8, finding 2; PC16; K6: store records securely).

``backup`` writes a consistent copy of the whole database while it is in use:
- PostgreSQL: ``pg_dump`` in its custom format (one snapshot; restored with ``pg_restore``);
- SQLite: the online backup API, which copies every page, write-ahead log included, under a
  read lock. Copying the database file instead can miss what is still in the log.

Beside the copy it writes ``<file>.manifest.json``: how many rows each record table held and
each organisation's audit-chain head. ``restore`` puts a copy back over the configured
database, then checks that every count matches the manifest and that every audit chain
verifies and ends where the manifest says; any difference is reported as a failure.

``dumpdata``/``loaddata`` is **not** a backup: its JSON cuts times to milliseconds, which
changes signed notes and breaks the audit chain.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404: fixed commands (pg_dump, pg_restore), no shell
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone

from casework.accounts.models import Organisation, Team, User
from casework.audit.models import AccessEvent, AuditChain, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases.models import Action, Case, CaseEvent, CaseNote, Client, Goal, NoteVersion
from casework.governance.models import DisposalCertificate, SubjectAccessRequest

COUNTED: tuple[type[Model], ...] = (
    Organisation,
    Team,
    User,
    Client,
    Case,
    CaseNote,
    NoteVersion,
    Goal,
    Action,
    CaseEvent,
    AuditEvent,
    AccessEvent,
    SubjectAccessRequest,
    DisposalCertificate,
)


class BackupError(Exception):
    """The backup or restore could not be made, or what was restored does not check out."""


@dataclass(frozen=True)
class Manifest:
    made_at: str
    vendor: str
    counts: dict[str, int]
    chains: dict[str, list[Any]]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text())
        return cls(data["made_at"], data["vendor"], data["counts"], data["chains"])


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def current_state(cursor: Any = None) -> tuple[dict[str, int], dict[str, list[Any]]]:
    """Row counts of the record tables and every organisation's audit-chain head, read through
    ``cursor`` (any DB-API cursor: the backup copy's own, so the manifest describes exactly
    what the copy holds) or Django's connection."""
    if cursor is None:
        with connection.cursor() as django_cursor:
            return current_state(django_cursor)
    counts = {}
    for model in COUNTED:
        cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")  # noqa: S608  # nosec B608: table names from the models
        counts[model._meta.label] = int(cursor.fetchone()[0])
    cursor.execute(
        f"SELECT organisation_id, last_sequence, last_hash FROM {AuditChain._meta.db_table} "  # noqa: S608  # nosec B608
        "ORDER BY organisation_id"
    )
    chains = {str(org): [int(sequence), str(head)] for org, sequence, head in cursor.fetchall()}
    return counts, chains


def _pg_env_and_args(settings: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = ["--dbname", str(settings["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client tools.")
    result = subprocess.run(  # noqa: S603  # nosec B603: fixed tool, arguments from settings
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup(out: Path, *, overwrite: bool = False) -> Manifest:
    """Write a consistent copy of the database to ``out`` and its manifest beside it."""
    if out.exists() and not overwrite:
        raise BackupError(f"{out} exists already: choose another name, or confirm with --force.")
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings)
        # Count in the very snapshot pg_dump copies: one REPEATABLE READ transaction exports it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, chains = current_state(cursor)
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(out), *args], env)
        _run(["pg_restore", "--list", str(out)], env)  # the archive reads back
    elif connection.vendor == "sqlite":
        tmp = out.with_name(out.name + ".partial")
        tmp.unlink(missing_ok=True)
        source = sqlite3.connect(str(settings["NAME"]))
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The copy failed SQLite's integrity check.")
            counts, chains = current_state(target.cursor())
        finally:
            target.close()
            source.close()
        tmp.replace(out)
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    manifest = Manifest(timezone.now().isoformat(), connection.vendor, counts, chains)
    manifest.write(manifest_path(out))
    return manifest


def restore(source: Path) -> list[str]:
    """Put the copy at ``source`` back over the configured database, then check it against its
    manifest; returns the problems found (none: the restore is good)."""
    if not source.exists():
        raise BackupError(f"No backup at {source}.")
    settings = dict(connection.settings_dict)
    connections.close_all()
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(settings)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(str(settings["NAME"]))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")
    return check_restored(source)


def check_restored(source: Path) -> list[str]:
    problems = []
    for organisation_id in Organisation.objects.values_list("pk", flat=True):
        broken = verify_chain(organisation_id)
        if broken is not None:
            problems.append(f"audit chain broken: {broken}")
    path = manifest_path(source)
    if not path.exists():
        return [*problems, f"No manifest at {path}: counts not checked."]
    manifest = Manifest.read(path)
    counts, chains = current_state()
    for label, expected in manifest.counts.items():
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows, the backup had {expected}")
    if chains != manifest.chains:
        problems.append("The audit chains do not end where they ended when the backup was made.")
    return problems
