"""`casework restore FILE --yes`: put a backup back, then check counts and every audit chain."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from casework.administration.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE, then check it against the backup's "
        "manifest and verify every audit chain. Everything written since the backup is lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Confirm: replace the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(connection.settings_dict["NAME"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError(f"This replaces the database {name}. Confirm with --yes.")
            answer = input(f"This replaces the whole database {name}. Type its name to go on: ")
            if answer.strip() != name:
                raise CommandError("Not confirmed: nothing was changed.")
        try:
            problems = restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if problems:
            for problem in problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError("The restored database does not match the backup: see above.")
        self.stdout.write(f"Restored {options['file']} into {name}: counts match, audit chains intact.")
