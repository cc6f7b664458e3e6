"""``casework generate``: a synthetic organisation of any size, written fast (issue 3 item 8).

The organisation is created the ordinary way (``organisation_create``: case types, contact
types, default priority criteria); its teams and staff with ``bulk_create``; and its clients,
cases, notes, note versions, goals, actions, flags, deadlines and case history from
``casework.demo.scale_rows`` by the fastest path each database has: COPY on PostgreSQL, one
``executemany`` per table on SQLite, in one transaction, with ids allocated up front and
the sequences moved on afterwards. At the end ``sweep`` fills the stored priority
assessments, timed on its own.

Generated data is synthetic, so no audit trail is written for it: the organisation starts
with no audit events and no chain head, which ``casework audit verify`` reports as intact,
and anything done to it afterwards through the services is audited as usual. Generated
staff have no usable password and no e-mail address (so a sweep sends no mail); give one a
password with ``casework changepassword <username>`` to look around.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from casework.accounts.models import Organisation, Role, Team, User
from casework.administration.setup import organisation_create
from casework.cases.models import CaseType, ContactType
from casework.demo import texts
from casework.demo.scale_rows import (
    COLUMNS,
    ON_HOLD_SHARE,
    OPEN_SHARE,
    TABLES,
    Chunk,
    Layout,
    Person,
    RowFactory,
    TeamLayout,
)
from casework.demo.specs import TEAMS
from casework.priorities.services import sweep

DEFAULT_SLUG = "scale"
DEFAULT_SEED = 14
LIVE_CASES_EACH = 150
TEAM_SIZE = 8
TEAMS_PER_MANAGER = 12

_DATETIME_COLUMNS = {
    "created_at",
    "updated_at",
    "occurred_at",
    "recorded_at",
    "raised_at",
    "cleared_at",
    "at",
    "last_contact_at",
}
_DATE_COLUMNS = {
    "date_of_birth",
    "opened_on",
    "closed_on",
    "next_review_on",
    "target_on",
    "due_on",
    "completed_on",
    "met_on",
}

Progress = Callable[[str], None]


class GenerateError(Exception):
    """The organisation cannot be generated as asked; nothing was written."""


@dataclass
class GenerateSummary:
    organisation: Organisation
    cases: int
    practitioners: int
    teams: int
    staff: int
    rows: dict[str, int]
    write_seconds: float
    sweep_seconds: float | None = None
    sweep_assessed: int = 0
    bulk_path: str = ""
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        rows = self.rows
        lines = [
            f"{self.teams:,} teams, {self.staff:,} staff ({self.practitioners:,} practitioners), "
            f"{rows['cases_client']:,} clients",
            f"{self.cases:,} cases, {rows['cases_casenote']:,} case notes "
            f"({rows['cases_noteversion']:,} versions), {rows['cases_goal']:,} goals, "
            f"{rows['cases_action']:,} actions, {rows['cases_caseflag']:,} flags, "
            f"{rows['cases_deadline']:,} deadlines, {rows['cases_caseevent']:,} case events",
            f"written in {self.write_seconds:.1f} s ({sum(rows.values()):,} rows, {self.bulk_path})",
        ]
        if self.sweep_seconds is not None:
            lines.append(
                f"sweep: {self.sweep_assessed:,} open and on-hold cases assessed "
                f"in {self.sweep_seconds:.1f} s"
            )
        return lines + self.notes


def planned_practitioners(cases: int) -> int:
    """About ``LIVE_CASES_EACH`` live (open or on-hold) cases each."""
    return max(1, round(cases * (OPEN_SHARE + ON_HOLD_SHARE) / LIVE_CASES_EACH))


def generate_organisation(
    *,
    cases: int,
    seed: int = DEFAULT_SEED,
    slug: str = DEFAULT_SLUG,
    name: str | None = None,
    practitioners: int | None = None,
    now: datetime | None = None,
    run_sweep: bool = True,
    progress: Progress | None = None,
) -> GenerateSummary:
    """Create organisation ``slug`` with ``cases`` cases and everything in them (see module doc)."""
    if cases < 1:
        raise GenerateError("Ask for 1 case or more.")
    if Organisation.objects.filter(slug=slug).exists():
        raise GenerateError(
            f"An organisation called {slug!r} already exists; choose another with --organisation."
        )
    practitioners = practitioners or planned_practitioners(cases)
    if practitioners < 1:
        raise GenerateError("Ask for 1 practitioner or more.")
    now = now or timezone.now()
    say = progress or (lambda message: None)
    started = time.perf_counter()
    sink = _sink()
    sink.before()
    try:
        with transaction.atomic():
            organisation = organisation_create(
                name=name or f"Synthetic Advice Service ({cases:,} cases)", slug=slug
            )
            layout, staff = _staff(organisation, practitioners, seed)
            factory = RowFactory(layout=layout, cases=cases, seed=seed, now=now)
            sink.start()
            writer = _Writer(sink)
            try:
                done = 0
                next_report = max(cases // 10, 1)
                for chunk in factory:
                    writer.put(chunk)
                    done += chunk.cases
                    if done >= next_report or done == cases:
                        say(f"  {done:,} of {cases:,} cases made ({time.perf_counter() - started:.0f} s)")
                        next_report += max(cases // 10, 1)
            finally:
                writer.close()
            sink.finish(factory.next_id)
    finally:
        sink.after()
    summary = GenerateSummary(
        organisation=organisation,
        cases=cases,
        practitioners=practitioners,
        teams=len(layout.teams),
        staff=staff,
        rows=dict(factory.counts),
        write_seconds=time.perf_counter() - started,
        bulk_path=sink.description,
    )
    if run_sweep:
        say("  assessing every open and on-hold case (sweep)...")
        started = time.perf_counter()
        result = sweep(organisation_id=organisation.pk, now=now)
        summary.sweep_seconds = time.perf_counter() - started
        summary.sweep_assessed = result.assessed
    return summary


# -- staff ----------------------------------------------------------------------------------------


def _staff(organisation: Organisation, practitioners: int, seed: int) -> tuple[Layout, int]:
    """Teams of ``TEAM_SIZE`` practitioners and a supervisor, managers, an administrator and a
    data-protection officer; returns the layout the rows refer to and the number of staff."""
    rng = random.Random(f"{seed}:staff")
    slug = organisation.slug
    team_count = -(-practitioners // TEAM_SIZE)
    teams = Team.objects.bulk_create(
        Team(organisation=organisation, name=f"{TEAMS[i % len(TEAMS)].name} {i // len(TEAMS) + 1}")
        for i in range(team_count)
    )
    first_names = texts.OTHER_FIRST_NAMES + texts.YOUNGER_FIRST_NAMES + texts.OLDER_FIRST_NAMES
    unusable = make_password(None)

    def user(username: str, role: str, team: Team | None) -> User:
        return User(
            organisation=organisation,
            username=username,
            first_name=rng.choice(first_names),
            last_name=rng.choice(texts.CLIENT_LAST_NAMES),
            role=role,
            team=team,
            password=unusable,
        )

    rows = [
        user(f"{slug}-p{i + 1:05d}", Role.PRACTITIONER, teams[i // TEAM_SIZE]) for i in range(practitioners)
    ]
    rows += [user(f"{slug}-s{i + 1:04d}", Role.SUPERVISOR, team) for i, team in enumerate(teams)]
    managers = -(-team_count // TEAMS_PER_MANAGER)
    rows += [user(f"{slug}-m{i + 1:03d}", Role.MANAGER, None) for i in range(managers)]
    rows += [user(f"{slug}-dpo", Role.DATA_PROTECTION, None), user(f"{slug}-admin", Role.ADMIN, None)]
    taken = list(
        User.objects.filter(username__in=[u.username for u in rows]).values_list("username", flat=True)
    )
    if taken:
        raise GenerateError(f"These usernames are taken already: {', '.join(sorted(taken)[:5])}.")
    users = User.objects.bulk_create(rows, batch_size=2000)
    people = [Person(u.pk, u.first_name, u.last_name) for u in users]
    supervisors = people[practitioners : practitioners + team_count]
    Team.supervisors.through.objects.bulk_create(
        Team.supervisors.through(team_id=team.pk, user_id=supervisor.id)
        for team, supervisor in zip(teams, supervisors, strict=True)
    )
    layout_teams = tuple(
        TeamLayout(
            spec=i % len(TEAMS),
            supervisor=supervisors[i],
            practitioners=tuple(people[i * TEAM_SIZE : min(practitioners, (i + 1) * TEAM_SIZE)]),
        )
        for i in range(team_count)
    )
    contact_types = list(ContactType.objects.filter(organisation=organisation))
    layout = Layout(
        organisation_id=organisation.pk,
        note_time_scale_hours=organisation.note_time_scale_hours,
        case_types={c.code: c.pk for c in CaseType.objects.filter(organisation=organisation)},
        contact_types={c.code: c.pk for c in contact_types},
        client_contact_types=frozenset(c.code for c in contact_types if c.is_client_contact),
        required_sections={c.code: tuple(c.required_sections) for c in contact_types},
        teams=layout_teams,
        first_ids=_first_ids(),
    )
    return layout, len(users)


def _first_ids() -> dict[str, int]:
    """The first free id of each table (above its sequence too, on PostgreSQL)."""
    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608 - fixed names
            highest = cursor.fetchone()[0]
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
                    "AND sequencename = split_part(pg_get_serial_sequence(%s, 'id'), '.', 2)",
                    [table],
                )
                row = cursor.fetchone()
                if row is not None and row[0] is not None:
                    highest = max(highest, row[0])
            found[table] = highest + 1
    return found


# -- the bulk paths -------------------------------------------------------------------------------


class _Writer:
    """Writes chunks on a second thread while the next one is made, so the database works on
    one chunk while Python makes the next (on the same connection and transaction: the main
    thread touches the database only after ``close``)."""

    def __init__(self, sink: _Sink) -> None:
        self.sink = sink
        self.chunks: queue.Queue[Chunk | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="generate-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            if self.error is not None:
                continue  # keep draining so the maker never blocks
            try:
                for table in TABLES:
                    rows = chunk.rows[table]
                    if rows:
                        self.sink.write(table, COLUMNS[table], rows)
            except BaseException as exc:  # handed to the main thread
                self.error = exc

    def put(self, chunk: Chunk) -> None:
        if self.error is not None:
            raise self.error
        self.chunks.put(chunk)

    def close(self) -> None:
        self.chunks.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


class _Sink:
    description = ""

    def before(self) -> None:
        """Outside the transaction: settings that only apply for the generation."""

    def start(self) -> None:
        """Inside the transaction, before the first row."""

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        raise NotImplementedError

    def finish(self, next_ids: dict[str, int]) -> None:
        """Inside the transaction, after the last row."""

    def after(self) -> None:
        """Outside the transaction: put the settings back."""


class _PostgresCopy(_Sink):
    """COPY ... FROM STDIN, one per table and chunk, in one transaction.

    Foreign keys are checked by deferred triggers; with 20 rows or more for each case that
    queue would hold tens of millions of events, so the generation runs with
    ``session_replication_role = replica`` (no triggers: the rows refer to ids allocated
    together, so they are consistent by construction) when the role may set it, and with the
    constraints checked row by row otherwise (slower, but any role can do it).
    """

    def start(self) -> None:
        # The writer thread uses this cursor: Django's ``connection`` is per thread.
        self.cursor = connection.cursor()
        self.raw: Any = self.cursor.cursor
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
                self.description = "PostgreSQL COPY, triggers off for the load"
            except DatabaseError:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self.description = "PostgreSQL COPY, constraints checked row by row"

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        with self.raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)

    def finish(self, next_ids: dict[str, int]) -> None:
        self.cursor.close()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608  # nosec B608
                    [table],
                )
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")


class _SqliteMany(_Sink):
    """``executemany`` per table and chunk on the raw connection, in one transaction, with
    ``synchronous = OFF`` and a large page cache for the generation only."""

    description = "SQLite executemany in one transaction"

    def before(self) -> None:
        if connection.in_atomic_block:
            return  # inside the caller's transaction (a test): SQLite refuses these there
        self.description += ", synchronous off"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA temp_store = MEMORY")

    def start(self) -> None:
        # The writer thread uses this: Django's ``connection`` is per thread.
        self.raw: Any = connection.connection

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        converters: list[Callable[[Any], str] | None] = [
            _sqlite_datetime if c in _DATETIME_COLUMNS else _sqlite_date if c in _DATE_COLUMNS else None
            for c in columns
        ]
        positions = [(i, c) for i, c in enumerate(converters) if c is not None]
        values: Sequence[Sequence[object]] = rows
        if positions:
            converted = []
            for row in rows:
                items = list(row)
                for i, convert in positions:
                    if items[i] is not None:
                        items[i] = convert(items[i])
                converted.append(items)
            values = converted
        marks = ", ".join("?" * len(columns))
        self.raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)  # noqa: S608  # nosec B608

    def finish(self, next_ids: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")

    def after(self) -> None:
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -2000")


def _sqlite_datetime(value: Any) -> str:
    # As Django stores an aware datetime on SQLite: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return str(value.replace(tzinfo=None))


def _sqlite_date(value: Any) -> str:
    return value.isoformat()


def _sink() -> _Sink:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return _PostgresCopy()
    if connection.vendor == "sqlite":
        return _SqliteMany()
    raise GenerateError(f"casework generate supports PostgreSQL and SQLite, not {connection.vendor}.")
