"""Shared fixtures: one organisation with two teams, a person in every role, and a case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client

from casework.accounts.models import Organisation, Role, Team, User
from casework.audit.models import AuditEvent
from casework.cases.models import Case
from casework.dbtriggers import trigger_statements
from tests.factories import CaseFactory, OrganisationFactory, TeamFactory, UserFactory


@dataclass
class World:
    organisation: Organisation
    team: Team
    other_team: Team
    practitioner: User  # owns ``case``
    colleague: User  # same team, another practitioner
    supervisor: User  # supervises ``team``
    other_supervisor: User  # supervises ``other_team``
    other_practitioner: User  # in ``other_team``
    manager: User
    admin: User
    case: Case
    foreign_user: User  # a practitioner in another organisation
    foreign_case: Case

    def by_role(self) -> dict[str, User]:
        return {
            "owner": self.practitioner,
            "colleague": self.colleague,
            "supervisor": self.supervisor,
            "other_supervisor": self.other_supervisor,
            "other_practitioner": self.other_practitioner,
            "manager": self.manager,
            "admin": self.admin,
            "foreign": self.foreign_user,
        }


# Who may read and who may write the world's ``case``: the access matrix (PC16).
CAN_READ = {"owner", "supervisor", "manager"}
CAN_WRITE = {"owner", "supervisor"}
# Every role of World.by_role(), for parametrizing tests over the matrix.
ROLES = [
    "owner",
    "colleague",
    "supervisor",
    "other_supervisor",
    "other_practitioner",
    "manager",
    "admin",
    "foreign",
]


@pytest.fixture
def world(db: None) -> World:
    org = OrganisationFactory()
    team = TeamFactory(organisation=org, name="Employment North")
    other_team = TeamFactory(organisation=org, name="Housing South")
    practitioner = UserFactory(
        organisation=org, team=team, username="alex", first_name="Alex", last_name="Morgan"
    )
    colleague = UserFactory(organisation=org, team=team, username="priya")
    supervisor = UserFactory(organisation=org, team=team, role=Role.SUPERVISOR, username="sam")
    team.supervisors.add(supervisor)
    other_supervisor = UserFactory(organisation=org, team=other_team, role=Role.SUPERVISOR)
    other_team.supervisors.add(other_supervisor)
    other_practitioner = UserFactory(organisation=org, team=other_team)
    manager = UserFactory(organisation=org, role=Role.MANAGER)
    admin = UserFactory(organisation=org, role=Role.ADMIN)
    case = CaseFactory(owner=practitioner)
    foreign_org = OrganisationFactory()
    foreign_team = TeamFactory(organisation=foreign_org)
    foreign_user = UserFactory(organisation=foreign_org, team=foreign_team)
    foreign_case = CaseFactory(owner=foreign_user)
    return World(
        organisation=org,
        team=team,
        other_team=other_team,
        practitioner=practitioner,
        colleague=colleague,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        other_practitioner=other_practitioner,
        manager=manager,
        admin=admin,
        case=case,
        foreign_user=foreign_user,
        foreign_case=foreign_case,
    )


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """A test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def clear_the_audit_trail() -> None:
    """Delete every audit event, lifting the append-only trigger for this alone and putting it
    back as migration ``governance.0002`` made it. For tests that commit for real."""
    args = (
        connection.vendor,
        ["governance_auditevent"],
        ["UPDATE", "DELETE"],
        "the audit trail is append-only",
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in trigger_statements(*args, create=False):
            cursor.execute(sql)
        AuditEvent.objects.all().delete()
        for sql in trigger_statements(*args):
            cursor.execute(sql)


@pytest.fixture
def committed_db(transactional_db: None) -> Iterator[None]:
    """A database whose writes commit (threads see each other's), emptied afterwards: the
    flush cannot delete audit events on SQLite, whose trigger refuses, so they go first."""
    yield
    clear_the_audit_trail()
