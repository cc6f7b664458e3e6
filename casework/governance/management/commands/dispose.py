"""`casework dispose [--dry-run]`: dispose of every case past its retention period (K1; Art. 5(1)(e))."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.accounts.models import Organisation, User
from casework.cases import rules
from casework.governance import retention
from casework.governance.services import CommandLineActor, cases_dispose

DEFAULT_REASON = "Retention period ended"


class Command(BaseCommand):
    help = (
        "Dispose of closed cases past their case type's retention period and not on legal hold, "
        "keeping a disposal certificate for each. Use --dry-run first to see what would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be disposed of; delete nothing."
        )
        parser.add_argument("--organisation", help="Slug of one organisation (default: all).")
        parser.add_argument(
            "--reason",
            default=DEFAULT_REASON,
            help=f"Reason on the certificates (default: {DEFAULT_REASON!r}).",
        )
        parser.add_argument("--by", help="Username to record as disposing (default: your login name).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        today = timezone.localdate()
        dry_run = options["dry_run"]
        total = 0
        for organisation in organisations:
            report = retention.retention_report(organisation.pk, today=today)
            due, held = report["due"], report["held"]
            clients = set(
                retention.clients_due_for_disposal(organisation.pk, today=today).values_list("pk", flat=True)
            )
            if not due and not held:
                continue
            self.stdout.write(f"{organisation.slug}:")
            for row in due:
                goes_too = " (the client's record goes too)" if row.case.client_id in clients else ""
                case = row.case
                closed = rules.short_date(case.closed_on) if case.closed_on else "never"
                self.stdout.write(
                    f"  case {case.pk} ({case.client.reference}), closed {closed}, "
                    f"past retention since {rules.short_date(row.ends_on)} under {row.rule!r}{goes_too}"
                )
            if held:
                self.stdout.write(
                    f"  {len(held)} case(s) past retention kept on legal hold: "
                    + ", ".join(str(row.case.pk) for row in held)
                )
            if dry_run or not due:
                total += len(due)
                continue
            actor = self._actor(organisation, options.get("by"))
            run = cases_dispose(
                organisation_id=organisation.pk,
                actor=actor,
                reason=options["reason"],
                case_ids=[row.case.pk for row in due],
                today=today,
            )
            total += len(run.certificates)
            removed = sum(1 for c in run.certificates if c.client_record_removed)
            self.stdout.write(
                f"  disposed of {len(run.certificates)} case(s) and {removed} client record(s); "
                f"certificates kept."
            )
            for case_id, why in run.skipped:
                self.stdout.write(f"  case {case_id} not disposed of: {why}")
        if dry_run:
            self.stdout.write(f"Dry run: nothing was deleted. {total} case(s) would be disposed of.")
        else:
            self.stdout.write(f"Disposed of {total} case(s).")

    def _actor(self, organisation: Organisation, username: str | None) -> User | CommandLineActor:
        if not username:
            return CommandLineActor.current()
        user = User.objects.filter(username=username, organisation=organisation).first()
        if user is None:
            raise CommandError(f"No user {username!r} in {organisation.name}.")
        return user
