"""`casework backup FILE`: a consistent copy of the database, with a manifest to check a restore by."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.administration.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "Back up the whole database to FILE (pg_dump on PostgreSQL, the online backup API on SQLite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["file"]
        try:
            manifest = backup(out, overwrite=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        notes = manifest.counts.get("cases.NoteVersion", 0)
        events = manifest.counts.get("audit.AuditEvent", 0)
        self.stdout.write(
            f"Backed up to {out} ({out.stat().st_size:,} bytes): {notes:,} note versions, "
            f"{events:,} audit events. Manifest: {manifest_path(out)}"
        )
