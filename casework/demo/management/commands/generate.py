"""`casework generate --cases N --seed S`: a synthetic organisation of any size, for benchmarks."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.demo import generate


class Command(BaseCommand):
    help = (
        "Write a synthetic organisation with N cases spread over two years (teams, practitioners with "
        "about 150 open or on-hold cases each, clients, notes, actions, goals, flags, deadlines, "
        "case history), then assess every open or on-hold case. The same seed gives the same data. "
        "No audit trail is written for the generated records: they are synthetic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to create.")
        parser.add_argument(
            "--seed", type=int, default=generate.DEFAULT_SEED, help="Seed for the random choices."
        )
        parser.add_argument(
            "--organisation",
            default=generate.DEFAULT_SLUG,
            help=f"Slug of the new organisation (default {generate.DEFAULT_SLUG!r}); it must not exist yet.",
        )
        parser.add_argument(
            "--practitioners",
            type=int,
            help=(
                f"How many practitioners (default: about {generate.LIVE_CASES_EACH} open or on-hold "
                "cases each)."
            ),
        )
        parser.add_argument(
            "--no-sweep", action="store_true", help="Leave the priority assessments to the next sweep."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Generating {options['cases']:,} cases (seed {options['seed']})...")
        try:
            summary = generate.generate_organisation(
                cases=options["cases"],
                seed=options["seed"],
                slug=options["organisation"],
                practitioners=options["practitioners"],
                run_sweep=not options["no_sweep"],
                progress=self.stdout.write,
            )
        except generate.GenerateError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f'Generated "{summary.organisation.name}" ({summary.organisation.slug}):')
        for line in summary.lines():
            self.stdout.write(f"  {line}")
