"""`casework sweep`: bring every live case's priority up to date with the passing of time.

Run it from cron every five minutes, for example:

    */5 * * * *  cd /srv/casework && .venv/bin/casework sweep --quiet

Why a sweep and not computing at read time: every case service already re-assesses the case
it changes in the same transaction, so only time itself (a deadline drawing near, contact
becoming overdue, an override expiring) can leave a stored assessment behind. The sweep
catches those, notices cases turning red and tells their supervisors (PC11, PC12), and takes
each day's snapshot of band counts (PC13) on its first run after midnight, and once a day
anchors the audit chains outside the database (``casework.audit.anchor``). The Today queue
stays a single indexed query however large the organisation.

It is safe to run twice at once or to run late: each batch is its own transaction, nobody is
told twice about a case while an earlier message is unacknowledged, and a day's snapshot is
taken once.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import Organisation
from casework.audit.anchor import anchor_if_due
from casework.priorities.services import sweep


class Command(BaseCommand):
    help = (
        "Re-assess every open and on-hold case, end expired overrides, tell supervisors about cases "
        "that turned red, and take today's snapshot. Safe to run from cron every 5 minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", help="The slug of one organisation to sweep (default: every organisation)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Cases re-assessed per transaction (default 5000)."
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something went wrong.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = None
        if options["organisation"]:
            organisation_id = (
                Organisation.objects.filter(slug=options["organisation"]).values_list("pk", flat=True).first()
            )
            if organisation_id is None:
                raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        started = time.monotonic()
        result = sweep(organisation_id=organisation_id, batch_size=options["batch_size"])
        # Once a day, the audit chains' heads go outside the database (issue 8).
        anchored = anchor_if_due()
        elapsed = time.monotonic() - started
        if options["quiet"]:
            return
        self.stdout.write(
            f"Assessed {result.assessed} cases in {elapsed:.1f} s: {result.created} assessed for the first "
            f"time, {result.updated} changed, {len(result.turned_red)} turned red."
        )
        self.stdout.write(
            f"{result.notifications} notifications sent, {result.overrides_expired} overrides expired."
        )
        if anchored:
            self.stdout.write(f"Anchored {len(anchored)} audit chain(s) outside the database.")
