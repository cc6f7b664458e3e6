"""`casework audit verify`: recompute every organisation's audit chain and name the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import Organisation
from casework.audit.models import AuditEvent
from casework.audit.trail import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail: `casework audit verify [--organisation SLUG]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Recompute the hash chain and report the first broken link.")
        verify.add_argument("--organisation", help="Slug of one organisation (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            orgs = orgs.filter(slug=options["organisation"])
            if not orgs.exists():
                raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        broken = []
        for org in orgs:
            problem = verify_chain(org.pk)
            count = AuditEvent.objects.filter(organisation_id=org.pk).count()
            if problem is None:
                self.stdout.write(f"{org.slug}: {count} events, chain intact")
            else:
                broken.append(problem)
                self.stdout.write(f"{org.slug}: BROKEN at {problem}")
        if broken:
            raise CommandError(f"The audit trail has been altered: first broken link at {broken[0]}")
