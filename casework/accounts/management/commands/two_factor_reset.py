"""`casework two_factor_reset USERNAME`: remove a user's authenticator app, for a lost phone."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app (for example after a lost phone). At their next sign-in "
        "they set up a new one if their role requires it. Check who is asking before you run this."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {removed} authenticator app(s) for {user.username}.")
