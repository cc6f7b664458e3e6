"""Fixtures for the priorities tests: signed-in clients and cases built through the services,
so each has the assessment the services keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from casework.accounts.models import User
from casework.cases.models import Case
from casework.cases.services import deadline_add, flag_raise
from casework.priorities.services import cases_reassess
from tests.factories import CaseFactory


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """A test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def live_case(
    owner: User,
    *,
    contact_days_ago: int | None = 1,
    flags: Sequence[str] = (),
    deadline_in_days: int | None = None,
    deadline_kind: str = "statutory",
    **fields: Any,
) -> Case:
    """An open case contacted ``contact_days_ago`` days ago (None: never), with the flags and
    deadline given raised through the services, and its assessment stored."""
    now = timezone.now()
    last_contact = None if contact_days_ago is None else now - dt.timedelta(days=contact_days_ago)
    case = CaseFactory(owner=owner, last_contact_at=last_contact, **fields)
    for code in flags:
        flag_raise(case=case, actor=owner, code=code)
    if deadline_in_days is not None:
        deadline_add(
            case=case,
            actor=owner,
            kind=deadline_kind,
            description=f"Deadline for case {case.pk}",
            due_on=timezone.localdate() + dt.timedelta(days=deadline_in_days),
        )
    cases_reassess(case_ids=[case.pk])
    return case
