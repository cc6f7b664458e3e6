"""`casework token USERNAME`: issue a new API token and print it alone on stdout."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from casework.accounts.models import ApiToken, User
from casework.audit.trail import audit_record


class Command(BaseCommand):
    help = "Issue a new API bearer token for USERNAME and print it (shown once; only a hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}.")
        if user.organisation_id is None:
            raise CommandError("That user belongs to no organisation, so cannot use the API.")
        with transaction.atomic():
            token, key = ApiToken.issue(user)
            audit_record(
                organisation_id=user.org_id,
                actor=user,
                action="user.token_issued",
                object_type="api_token",
                object_id=token.pk,
            )
        self.stdout.write(key)
