"""Shared fixtures: one organisation with two teams, a person in every role, and a case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from casework.accounts.models import Organisation, Role, Team, User
from casework.cases.models import Case
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
