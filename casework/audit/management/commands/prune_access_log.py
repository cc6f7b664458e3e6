"""`casework prune_access_log`: delete access events older than the retention period (PC16; K1).

The access log is itself personal data: it is kept for ``ACCESS_LOG_RETENTION_DAYS``
(default 730, two years) and then deleted. Run it daily from the scheduler.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.audit.models import AccessEvent

DEFAULT_DAYS = 730


def access_log_retention_days() -> int:
    return int(getattr(settings, "ACCESS_LOG_RETENTION_DAYS", DEFAULT_DAYS))


class Command(BaseCommand):
    help = "Delete access events older than ACCESS_LOG_RETENTION_DAYS (default 730 days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Override the retention period for this run.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else access_log_retention_days()
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        cutoff = timezone.now() - timedelta(days=days)
        old = AccessEvent.objects.filter(at__lt=cutoff)
        local = timezone.localtime(cutoff)
        when = f"{local.day} {local:%b %Y %H:%M}"
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {old.count()} access event(s) recorded before {when} would be deleted."
            )
            return
        deleted, _ = old.delete()
        self.stdout.write(
            f"Deleted {deleted} access event(s) recorded before {when} (older than {days} days)."
        )
