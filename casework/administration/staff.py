"""Staff and teams, as the organisation's administrator keeps them (PC12, PC16; K8, K17).

Invite a member of staff by e-mail with a one-time link to set their password (Django's own
password-reset tokens: they expire after ``PASSWORD_RESET_TIMEOUT`` and stop working once the
password is set), change their role and teams, deactivate a leaver (they can no longer sign
in, their API tokens are revoked, and their open cases are listed for reallocation), bring
them back, and import staff from a spreadsheet's CSV: a preview first, every row's problems
named, and nothing written unless every row is right.

Every change is audited with who, when, and the values before and after (staff details, not
client data), and a change made from an older copy of the record is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casework.accounts.models import ApiToken, Organisation, Role, Team, User
from casework.audit.trail import audit_record
from casework.cases.models import Case, CaseStatus
from casework.inputs import reason_problems, text_problem
from casework.locking import StaleRecordError, save_versioned

ROLE_WORDS = {value: label.lower() for value, label in Role.choices}


# Links and e-mails -------------------------------------------------------------------------


def set_password_path(user: User) -> str:
    """The one-time path at which ``user`` sets their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", args=[uid, token])


def _send_invitation(user: User, base_url: str, organisation: Organisation) -> None:
    link = base_url.rstrip("/") + set_password_path(user)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = (
        f"Hello {user.first_name or user.username},\n\n"
        f"You have been given an account on Casework for {organisation.name}.\n"
        f"Your username is: {user.username}\n\n"
        f"Set your password here (the link works once, for {days} days):\n{link}\n\n"
        "If you were not expecting this, ignore this e-mail."
    )
    address = user.email
    transaction.on_commit(
        lambda: send_mail(
            f"Your Casework account at {organisation.name}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )
    )


# Checks --------------------------------------------------------------------------------------


def _name_problems(first_name: str, last_name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, label, value in (
        ("first_name", "first name", first_name),
        ("last_name", "last name", last_name),
    ):
        if not value.strip():
            errors[name] = [f"Give their {label}."]
        elif len(value) > 150:
            errors[name] = [f"Keep the {label} to 150 characters or fewer."]
        elif problem := text_problem(value, multiline=False):
            errors[name] = [problem]
    return errors


def _email_problem(email: str, *, exclude: int | None = None) -> str | None:
    try:
        validate_email(email)
    except ValidationError:
        return "Give an e-mail address in the form name@example.org."
    taken = User.objects.filter(username__iexact=email) | User.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        return f"Someone already has an account with {email}."
    return None


def _teams_problem(organisation: Organisation, teams: Iterable[Team | None]) -> bool:
    return any(team is not None and team.organisation_id != organisation.pk for team in teams)


def _staff_problems(
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    supervises: Sequence[Team],
    *,
    user: User | None = None,
) -> dict[str, list[str]]:
    """What is wrong with a member of staff's details, by field (``user``: the one being changed)."""
    errors = _name_problems(first_name, last_name)
    unchanged = user is not None and email == user.email.lower()
    if not unchanged and (problem := _email_problem(email, exclude=user.pk if user else None)):
        errors["email"] = [problem]
    if role not in Role.values:
        errors["role"] = ["Choose a role from the list."]
    if _teams_problem(organisation, [team, *supervises]):
        errors["team"] = ["Choose a team in your organisation."]
    if supervises and role != Role.SUPERVISOR:
        errors["supervises"] = [
            "Only a supervisor supervises teams: choose the supervisor role, or no teams."
        ]
    return errors


def _staff_values(user: User) -> dict[str, Any]:
    return {
        "role": user.role,
        "team": user.team_id,
        "supervises": sorted(user.supervised_teams.values_list("pk", flat=True)),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }


# Staff ---------------------------------------------------------------------------------------


def staff_invite(
    *,
    organisation: Organisation,
    actor: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    supervises: Sequence[Team] = (),
    base_url: str,
) -> User:
    """Add a member of staff and e-mail them a one-time link to set their password."""
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip().lower()
    errors = _staff_problems(organisation, first_name, last_name, email, role, team, supervises)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=email,
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            role=role,
            team=team,
            invited_at=timezone.now(),
        )
        user.set_unusable_password()
        user.save()
        user.supervised_teams.set(supervises)
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action="staff.invited",
            object_type="user",
            object_id=user.pk,
            changes={"after": _staff_values(user)},
        )
        _send_invitation(user, base_url, organisation)
    return user


def invitation_resend(*, user: User, actor: User, base_url: str) -> None:
    """Send a new link to someone who has not set their password yet (or lost the first)."""
    if not user.is_active:
        raise ValidationError({"__all__": ["Reactivate the account before sending an invitation."]})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(invited_at=timezone.now())
        audit_record(
            organisation_id=user.org_id,
            actor=actor,
            action="staff.invited",
            object_type="user",
            object_id=user.pk,
            changes={"resent": True},
        )
        _send_invitation(user, base_url, user.organisation)  # type: ignore[arg-type]


def staff_change(
    *,
    user: User,
    actor: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    supervises: Sequence[Team],
    expected_version: int | None,
) -> bool:
    """Change a member of staff's name, e-mail, role or teams. Returns whether anything changed."""
    organisation = user.organisation
    assert organisation is not None
    email = email.strip().lower()
    errors = _staff_problems(organisation, first_name, last_name, email, role, team, supervises, user=user)
    if user.pk == actor.pk and role != Role.ADMIN:
        errors["role"] = ["You cannot take away your own administrator role: ask another administrator."]
    if errors:
        raise ValidationError(errors)
    before = _staff_values(user)
    after = {
        "role": role,
        "team": team.pk if team else None,
        "supervises": sorted(t.pk for t in supervises),
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email,
    }
    if expected_version is not None and expected_version != user.version:
        raise StaleRecordError("member of staff")
    if before == after:
        return False
    with transaction.atomic():
        row: dict[str, Any] = {
            "role": role,
            "team_id": after["team"],
            "first_name": after["first_name"],
            "last_name": after["last_name"],
            "email": email,
        }
        save_versioned(user, row, expected_version=expected_version, label="member of staff")
        user.supervised_teams.set(supervises)
        changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action="staff.changed",
            object_type="user",
            object_id=user.pk,
            changes=changed,
        )
    return True


def open_cases_of(user: User) -> list[Case]:
    """A member of staff's open and on-hold cases, to be reallocated when they leave."""
    return list(
        Case.objects.filter(owner=user)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("case_type", "client")
        .order_by("opened_on", "pk")
    )


def staff_deactivate(*, user: User, actor: User, reason: str, expected_version: int | None) -> list[Case]:
    """A leaver: they can no longer sign in and their API tokens stop working. Returns their
    open cases, which their supervisor or a manager reallocates."""
    errors: dict[str, list[str]] = {}
    if user.pk == actor.pk:
        errors["__all__"] = ["You cannot deactivate your own account."]
    missing = "Say why the account is being deactivated, for example: left the service."
    if reason_errors := reason_problems(reason, missing):
        errors["reason"] = reason_errors
    if errors:
        raise ValidationError(errors)
    if not user.is_active:
        return open_cases_of(user)
    with transaction.atomic():
        save_versioned(user, {"is_active": False}, expected_version=expected_version, label="member of staff")
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        cases = open_cases_of(user)
        audit_record(
            organisation_id=user.org_id,
            actor=actor,
            action="staff.deactivated",
            object_type="user",
            object_id=user.pk,
            changes={"is_active": [True, False], "reason": reason.strip()[:200], "open_cases": len(cases)},
        )
    return cases


def staff_reactivate(*, user: User, actor: User, expected_version: int | None) -> None:
    if user.is_active:
        return
    with transaction.atomic():
        save_versioned(user, {"is_active": True}, expected_version=expected_version, label="member of staff")
        audit_record(
            organisation_id=user.org_id,
            actor=actor,
            action="staff.reactivated",
            object_type="user",
            object_id=user.pk,
            changes={"is_active": [False, True]},
        )


# Teams ---------------------------------------------------------------------------------------


def team_save(
    *,
    organisation: Organisation,
    actor: User,
    team: Team | None,
    name: str,
    supervisors: Sequence[User],
    members: Sequence[User],
    expected_version: int | None = None,
) -> Team:
    """Create a team or change its name, supervisors and members. A member leaves any other team."""
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the team a name."]
    elif len(name) > 200:
        errors["name"] = ["Keep the name to 200 characters or fewer."]
    elif problem := text_problem(name, multiline=False):
        errors["name"] = [problem]
    elif (
        Team.objects.filter(organisation=organisation, name__iexact=name)
        .exclude(pk=team.pk if team else 0)
        .exists()
    ):
        errors["name"] = [f"There is already a team called {name}."]
    if any(
        person.role != Role.SUPERVISOR or person.organisation_id != organisation.pk for person in supervisors
    ):
        errors["supervisors"] = ["Only members of staff with the supervisor role can supervise a team."]
    if any(person.organisation_id != organisation.pk for person in members):
        errors["members"] = ["Choose members of staff in your organisation."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if team is None:
            team = Team.objects.create(organisation=organisation, name=name)
            before: dict[str, Any] = {}
            action = "team.created"
        else:
            before = {
                "name": team.name,
                "supervisors": sorted(team.supervisors.values_list("pk", flat=True)),
                "members": sorted(team.members.values_list("pk", flat=True)),
            }
            if expected_version is not None and expected_version != team.version:
                raise StaleRecordError("team")
            save_versioned(team, {"name": name}, expected_version=expected_version, label="team")
            action = "team.changed"
        team.supervisors.set(supervisors)
        member_ids = {person.pk for person in members}
        User.objects.filter(team=team).exclude(pk__in=member_ids).update(team=None)
        User.objects.filter(pk__in=member_ids).update(team=team)
        after = {
            "name": name,
            "supervisors": sorted(p.pk for p in supervisors),
            "members": sorted(member_ids),
        }
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action=action,
            object_type="team",
            object_id=team.pk,
            changes={
                key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
            },
        )
    return team


# CSV import ----------------------------------------------------------------------------------

IMPORT_COLUMNS = ("first_name", "last_name", "email", "role", "team")
_ROLE_NAMES = {label.lower(): value for value, label in Role.choices} | {
    value: value for value in Role.values
}
MAX_IMPORT_ROWS = 500


@dataclass
class ImportRow:
    line: int
    first_name: str
    last_name: str
    email: str
    role: str
    team_name: str
    problems: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    new_teams: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and not any(row.problems for row in self.rows)


def staff_import_preview(*, organisation: Organisation, text: str) -> ImportPreview:
    """Read a CSV of staff (columns: first name, last name, e-mail, role, team; a header row)
    and say what is wrong with each row. Writes nothing."""
    if "\x00" in text:
        return ImportPreview([], ["The file is not a CSV text file."])
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        table = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        return ImportPreview([], [f"The file could not be read as CSV: {exc}."])
    if not table:
        return ImportPreview([], ["The file is empty."])
    header = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in table[0]]
    header = ["email" if name in ("e_mail", "email_address") else name for name in header]
    missing = [name for name in IMPORT_COLUMNS if name not in header]
    if missing:
        return ImportPreview(
            [],
            [
                "The first row must name the columns: first name, last name, email, role, team. Missing: "
                + ", ".join(name.replace("_", " ") for name in missing)
                + "."
            ],
        )
    if len(table) == 1:
        return ImportPreview([], ["The file has its header row but no one under it."])
    if len(table) - 1 > MAX_IMPORT_ROWS:
        return ImportPreview([], [f"Import at most {MAX_IMPORT_ROWS} people at a time."])
    where = {name: header.index(name) for name in IMPORT_COLUMNS}
    teams = {team.name.lower(): team for team in Team.objects.filter(organisation=organisation)}
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    new_teams: dict[str, str] = {}
    for number, cells in enumerate(table[1:], start=2):
        cells = cells + [""] * (len(header) - len(cells))
        value = {name: cells[index].strip() for name, index in where.items()}
        row = ImportRow(
            number,
            value["first_name"],
            value["last_name"],
            value["email"].lower(),
            _ROLE_NAMES.get(value["role"].lower(), value["role"]),
            value["team"],
        )
        row.problems.extend(
            message
            for messages in _name_problems(row.first_name, row.last_name).values()
            for message in messages
        )
        if problem := _email_problem(row.email):
            row.problems.append(problem)
        elif row.email in seen:
            row.problems.append(f"The same e-mail address is on line {seen[row.email]}.")
        seen.setdefault(row.email, number)
        if row.role not in Role.values:
            row.problems.append(
                f"Unknown role {value['role']!r}: use practitioner, supervisor, manager, "
                "data protection officer or administrator."
            )
        if row.team_name and row.team_name.lower() not in teams:
            if problem := text_problem(row.team_name, multiline=False):
                row.problems.append(problem)
            else:
                new_teams.setdefault(row.team_name.lower(), row.team_name)
        rows.append(row)
    return ImportPreview(rows, [], sorted(new_teams.values()))


def staff_import(*, organisation: Organisation, actor: User, text: str, base_url: str) -> list[User]:
    """Import the CSV: every row, or none if any row has a problem. Teams named in the file
    that do not exist yet are created; each person is invited as ``staff_invite`` does."""
    preview = staff_import_preview(organisation=organisation, text=text)
    if not preview.ok:
        raise ValidationError({"file": ["Nothing was imported: put right the rows marked, then try again."]})
    people: list[User] = []
    with transaction.atomic():
        teams = {team.name.lower(): team for team in Team.objects.filter(organisation=organisation)}
        for name in preview.new_teams:
            teams[name.lower()] = team_save(
                organisation=organisation, actor=actor, team=None, name=name, supervisors=[], members=[]
            )
        for row in preview.rows:
            team = teams.get(row.team_name.lower()) if row.team_name else None
            people.append(
                staff_invite(
                    organisation=organisation,
                    actor=actor,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    role=row.role,
                    team=team,
                    base_url=base_url,
                )
            )
        audit_record(
            organisation_id=organisation.pk,
            actor=actor,
            action="staff.imported",
            object_type="organisation",
            object_id=organisation.pk,
            changes={"people": len(people), "new_teams": len(preview.new_teams)},
        )
    return people


def staff_counts(organisation: Organisation) -> Mapping[int, int]:
    """Open cases held by each member of staff, by user id: one query."""
    rows = (
        Case.objects.filter(organisation=organisation)
        .exclude(status=CaseStatus.CLOSED)
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    return {row["owner_id"]: row["n"] for row in rows}
