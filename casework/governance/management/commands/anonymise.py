"""`casework anonymise --user USERNAME [--from DATE --to DATE] [--case ID ...] --out FILE.json`.

Writes the anonymised export of one practitioner's own case notes (issue 4 item 6; K1, K2):
JSON, or plain text when FILE ends in .txt or with ``--format text``. The export is recorded
on the audit trail as made by that practitioner, through the command line.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import User
from casework.governance.exports import ExportSelection, anonymised_export, export_as_text


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Export one practitioner's case notes, anonymised, for portfolio evidence or research."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="Username of the practitioner whose notes to export."
        )
        parser.add_argument("--from", dest="date_from", help="Only notes of contacts on or after YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", help="Only notes of contacts on or before YYYY-MM-DD.")
        parser.add_argument(
            "--case", dest="cases", type=int, action="append", default=[], help="A case id (repeatable)."
        )
        parser.add_argument("--out", required=True, help="The file to write (.json, or .txt for text).")
        parser.add_argument("--format", choices=["json", "text"], help="Default: from the file's ending.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or user.organisation_id is None:
            raise CommandError(f"No active user {options['user']!r} in an organisation.")
        out = Path(options["out"])
        export_format = options["format"] or ("text" if out.suffix.lower() == ".txt" else "json")
        selection = ExportSelection(
            date_from=_date(options["date_from"]) if options["date_from"] else None,
            date_to=_date(options["date_to"]) if options["date_to"] else None,
            case_ids=tuple(options["cases"]),
        )
        try:
            document = anonymised_export(
                user=user, selection=selection, export_format=export_format, channel="cli"
            )
        except ValidationError as exc:
            raise CommandError(
                " ".join(message for messages in exc.message_dict.values() for message in messages)
            )
        if export_format == "text":
            out.write_text(export_as_text(document), encoding="utf-8")
        else:
            out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        contents = document["manifest"]["contents"]
        self.stdout.write(
            f"Wrote anonymised export {document['export_id']}: {contents['notes']} notes from "
            f"{contents['cases']} cases to {out}. Review it before sharing."
        )
