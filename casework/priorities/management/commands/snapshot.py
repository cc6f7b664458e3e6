"""`casework snapshot`: record each practitioner's band counts for a day (PC13).

`casework sweep` takes the day's snapshot by itself on its first run of the day; this command
is for a deployment that runs the sweep less often, or to fill in a missed day from the
assessments as they stand. A day already recorded is left as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.accounts.models import Organisation
from casework.priorities.models import PrioritySnapshot
from casework.priorities.services import snapshot_take


class Command(BaseCommand):
    help = "Record each practitioner's red, amber and green counts and cases past their time scale for a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day, as 2026-11-23 (default: today).")
        parser.add_argument("--organisation", help="The slug of one organisation (default: every one).")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Give the date as 2026-11-23.") from exc
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        recorded = skipped = 0
        for organisation_id in organisations.values_list("pk", flat=True):
            if PrioritySnapshot.objects.filter(organisation_id=organisation_id, on=on).exists():
                skipped += 1
                continue
            recorded += snapshot_take(organisation_id=organisation_id, on=on)
        self.stdout.write(f"Recorded band counts for {recorded} practitioners on {on.isoformat()}.")
        if skipped:
            self.stdout.write(f"{skipped} organisations already had a snapshot that day; left as they were.")
