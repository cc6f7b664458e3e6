"""`casework sar CLIENT_REF --out FILE.zip`: a subject access response for one client (K1; Art. 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import User
from casework.cases import rules
from casework.cases.models import Client
from casework.governance.models import SubjectAccessRequest
from casework.governance.services import CommandLineActor, subject_access_produce


class Command(BaseCommand):
    help = "Write everything held about a client (JSON and a readable PDF) to a ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client_ref", help="The client's pseudonymous reference, e.g. CW-7K3M-9QXA.")
        parser.add_argument("--out", required=True, help="Where to write the ZIP file.")
        parser.add_argument("--organisation", help="Slug of the organisation, if the reference is ambiguous.")
        parser.add_argument("--by", help="Username to record as producing it (default: your login name).")

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["client_ref"].strip().upper()
        clients = Client.objects.select_related("organisation").filter(reference=reference)
        if options.get("organisation"):
            clients = clients.filter(organisation__slug=options["organisation"])
        found = list(clients[:2])
        if not found:
            raise CommandError(f"No client with reference {reference}.")
        if len(found) > 1:
            raise CommandError(f"More than one organisation has a client {reference}: add --organisation.")
        client = found[0]
        actor: User | CommandLineActor = CommandLineActor.current()
        if options.get("by"):
            user = User.objects.filter(username=options["by"], organisation_id=client.organisation_id).first()
            if user is None:
                raise CommandError(f"No user {options['by']!r} in {client.organisation.name}.")
            actor = user
        request = (
            SubjectAccessRequest.objects.filter(client=client, completed_at__isnull=True)
            .order_by("due_on")
            .first()
        )
        out = Path(options["out"])
        archive = subject_access_produce(client=client, actor=actor, view="casework sar", request=request)
        out.write_bytes(archive)
        self.stdout.write(f"Wrote the subject access response for {client.reference} to {out}.")
        if request is not None:
            self.stdout.write(
                f"Outstanding request received {rules.long_date(request.requested_on)} is due by "
                f"{rules.long_date(request.due_on)}; mark it answered on the subject access page once sent."
            )
