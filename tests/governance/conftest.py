"""Fixtures for the governance tests: a data-protection officer and a client with a full history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from casework.accounts.models import Role, User
from casework.audit.access import access_record
from casework.cases.models import Case, CaseFlag, CaseNote, Client, ClientContact, Deadline, Goal, NoteVersion
from casework.cases.services import ActionInput, case_set_status, goal_add, note_amend, note_record
from casework.governance.retention import add_years
from tests.factories import UserFactory, contact_type


@pytest.fixture
def dpo(world) -> User:
    return UserFactory(organisation=world.organisation, role=Role.DATA_PROTECTION, username="dana")


@dataclass
class History:
    client: Client
    case: Case
    note: CaseNote
    amendment: NoteVersion
    goal: Goal


def build_history(world, case: Case) -> History:
    """A note with an action and an amendment, a goal, a flag, a deadline, a contact and a view."""
    now = timezone.now()
    goal = goal_add(case=case, actor=case.owner, description="Find warehouse work", measure="Job offer")
    note = note_record(
        case=case,
        author=case.owner,
        contact_type=contact_type(world.organisation),
        occurred_at=now - dt.timedelta(hours=3),
        sections={
            "facts": "Jordan brought a printed CV dated 2023.",
            "client_view": "Wants days only.",
            "follow_up": "Friday.",
        },
        actions=[
            ActionInput(description="Apply to the Swansea depot", due_on=now.date(), owner_kind="client")
        ],
        goals=[goal],
        now=now - dt.timedelta(hours=2),
    )
    amendment = note_amend(
        note=note,
        author=case.owner,
        reason="Wrong year on the CV",
        sections={"facts": "Jordan brought a printed CV dated 2022."},
        now=now - dt.timedelta(hours=1),
    )
    CaseFlag.objects.create(
        organisation_id=case.organisation_id, case=case, code="financial_hardship", raised_by=case.owner
    )
    Deadline.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind="statutory",
        description="Mandatory reconsideration",
        due_on=now.date() + dt.timedelta(days=20),
    )
    ClientContact.objects.create(
        organisation_id=case.organisation_id, client=case.client, name="Mary Pritchard", relationship="mother"
    )
    access_record(user=case.owner, client_id=case.client_id, case_id=case.pk, channel="web", view="case page")
    return History(client=case.client, case=case, note=note, amendment=amendment, goal=goal)


@pytest.fixture
def history(world) -> History:
    return build_history(world, world.case)


def close_years_ago(case: Case, years: int, *, days: int = 0) -> Case:
    """Close the case through the service, then move its dates back as if it happened long ago."""
    case_set_status(case=case, actor=case.owner, status="closed", reason="Client found work")
    closed_on = add_years(timezone.localdate(), -years) - dt.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(opened_on=closed_on - dt.timedelta(days=200), closed_on=closed_on)
    case.refresh_from_db()
    return case
