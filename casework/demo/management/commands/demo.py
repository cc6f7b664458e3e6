"""`casework demo`: load the demo organisation, once. `--reset` deletes it and builds it again."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.demo import builder, specs

SIGN_IN = f"Sign in as alex (practitioner) or sam (supervisor), password {specs.DEMO_PASSWORD}"


class Command(BaseCommand):
    help = (
        "Load the demo organisation (teams, staff, about 400 clients with six months of case notes). "
        "Does nothing if it is already loaded; --reset deletes it and builds it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete the demo organisation first.")
        parser.add_argument(
            "--clients",
            type=int,
            default=specs.DEFAULT_CLIENTS,
            help=f"How many clients to create (default {specs.DEFAULT_CLIENTS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=specs.DEFAULT_SEED,
            help="Seed for the random choices; the same seed gives the same demo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clients"] < 1:
            raise CommandError("--clients must be 1 or more.")
        existing = builder.demo_organisation()
        if existing is not None and not options["reset"]:
            self.stdout.write(
                f'The demo organisation "{existing.name}" is already loaded; nothing to do. '
                "Run `casework demo --reset` to build it again."
            )
            self.stdout.write(SIGN_IN)
            return
        taken = builder.taken_usernames()
        if taken:
            raise CommandError(
                f"The demo needs these usernames, which other accounts already use: {', '.join(taken)}."
            )
        if existing is not None:
            builder.delete_demo()
            self.stdout.write(f'Deleted the demo organisation "{existing.name}".')
        started = time.monotonic()
        summary = builder.build_demo(seed=options["seed"], clients=options["clients"])
        elapsed = time.monotonic() - started
        self.stdout.write(f'Loaded the demo organisation "{summary.organisation.name}" in {elapsed:.1f} s:')
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(SIGN_IN)
