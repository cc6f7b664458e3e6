"""`casework setup`: start a real service: the organisation, its nation and its first administrator."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.accounts.models import Nation
from casework.administration.setup import service_set_up

PASSWORD_VARIABLE = "CASEWORK_SETUP_PASSWORD"  # noqa: S105  # nosec B105: the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Set up your organisation and its first administrator. Asks for anything not given as a "
        f"flag; the password is asked for, or read from ${PASSWORD_VARIABLE} (never a flag)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="The organisation's name, e.g. 'Cardiff Advice Service'.")
        parser.add_argument(
            "--nation", choices=Nation.values, help="Whose bank holidays the working days use."
        )
        parser.add_argument("--admin-username")
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where Casework is served, for the sign-in address.",
        )

    def _ask(self, options: dict[str, Any], key: str, question: str) -> str:
        value = options.get(key)
        if value:
            return str(value)
        if not sys.stdin.isatty():
            raise CommandError(f"Give --{key.replace('_', '-')} (there is no terminal to ask on).")
        return input(question).strip()

    def handle(self, *args: Any, **options: Any) -> None:
        name = self._ask(options, "name", "The organisation's name: ")
        nation = self._ask(options, "nation", f"Its nation ({', '.join(Nation.values)}): ")
        username = self._ask(options, "admin_username", "The first administrator's username: ")
        email = self._ask(options, "admin_email", "Their e-mail address: ")
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"Set ${PASSWORD_VARIABLE} (there is no terminal to ask for a password on)."
                )
            password = getpass.getpass("Their password (12 characters or more): ")
        try:
            new = service_set_up(
                name=name,
                nation=nation,
                admin_username=username,
                admin_email=email,
                admin_password=password,
                admin_first_name=options["admin_first_name"],
                admin_last_name=options["admin_last_name"],
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages
            ]
            raise CommandError("Nothing was set up:\n" + "\n".join(lines)) from exc
        url = options["url"].rstrip("/")
        self.stdout.write(
            f"{new.organisation.name} is set up ({Nation(new.organisation.nation).label}).\n"
            f"Sign in at {url}/accounts/login/ as {new.administrator.username}; you will be asked to set "
            "up two-step verification first."
        )
