"""`casework audit verify`: recompute every organisation's audit chain, check it against every
anchor and check that the records it names still exist; `casework audit anchor`: write the
chain heads outside the database (the sweep does this daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import Organisation
from casework.audit.anchor import anchor_file, anchor_write, anchors_read, records_missing, verify_anchors
from casework.audit.models import AuditEvent
from casework.audit.trail import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail (`casework audit verify [--organisation SLUG]`) or anchor it (`anchor`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Recompute the hash chain and report the first broken link.")
        verify.add_argument("--organisation", help="Slug of one organisation (default: all).")
        sub.add_parser("anchor", help="Append every chain head to the anchor file (and e-mail it).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "anchor":
            anchors = anchor_write()
            self.stdout.write(f"Anchored {len(anchors)} audit chain(s) in {anchor_file()}.")
            return
        orgs = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            orgs = orgs.filter(slug=options["organisation"])
            if not orgs.exists():
                raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        anchors = anchors_read()
        broken, missing_all = [], []
        for org in orgs:
            problem = verify_chain(org.pk) or verify_anchors(org.pk, anchors)
            missing = records_missing(org.pk)
            count = AuditEvent.objects.filter(organisation_id=org.pk).count()
            anchored = sum(1 for anchor in anchors if anchor.organisation_id == org.pk)
            if problem is None and not missing:
                self.stdout.write(f"{org.slug}: {count} events, chain intact, {anchored} anchor(s) match")
                continue
            if problem is not None:
                broken.append(problem)
                self.stdout.write(f"{org.slug}: BROKEN at {problem}")
            for line in missing:
                missing_all.append(line)
                self.stdout.write(f"{org.slug}: MISSING {line}")
        if broken:
            raise CommandError(f"The audit trail has been altered: first broken link at {broken[0]}")
        if missing_all:
            raise CommandError(f"Records named on the audit trail are missing: {missing_all[0]}")
