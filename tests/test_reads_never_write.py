"""Reads never write (issue 7): a GET writes the access log and nothing else.

Every page a practitioner, supervisor or manager reads is requested with the database's
statements captured; the only writes allowed are the access log's rows and the session's
last-seen stamp (the idle sign-out). An assessment, a notification or a search log written
while rendering would show up here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.cases.models import FlagCode
from casework.cases.services import flag_raise, note_record
from casework.priorities.models import CaseAssessment, Notification
from tests.factories import CaseFactory, contact_type

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
ALLOWED_TABLES = {"governance_accessevent", "django_session"}


def written_tables(queries: list[dict[str, str]]) -> set[str]:
    tables = set()
    for query in queries:
        found = WRITE.match(query["sql"])
        if found:
            tables.add(found.group(2).lower())
    return tables


@pytest.fixture
def busy_world(world):
    """The world's case with a note and a red flag, and a case loaded without the services
    (no assessment yet), so a read has every excuse to write."""
    note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        sections={"facts": "Phoned.", "follow_up": "Friday."},
    )
    flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.SAFEGUARDING)
    CaseFactory(owner=world.practitioner)
    return world


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("owner", "/"),
        ("owner", "/today/"),
        ("owner", "/today/matrix/"),
        ("owner", "/inbox/"),
        ("owner", "/cases/{case}/"),
        ("owner", "/cases/{case}/history/print"),
        ("owner", "/cases/{case}/notes"),
        ("owner", "/api/today"),
        ("owner", "/api/cases"),
        ("owner", "/api/cases/{case}"),
        ("owner", "/api/cases/{case}/notes"),
        ("supervisor", "/team/"),
        ("supervisor", "/today/team/"),
        ("manager", "/governance/?q=Jo"),
        ("manager", "/governance/clients/{client}/"),
    ],
)
def test_a_read_writes_only_the_access_log(busy_world, role, path):
    user = busy_world.by_role()[role]
    client = Client()
    client.force_login(user)
    client.get("/favicon.ico")  # the session's first stamp, out of the way
    assessments = CaseAssessment.objects.count()
    notifications = Notification.objects.count()
    url = path.format(case=busy_world.case.pk, client=busy_world.case.client_id)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200, url
    assert written_tables(queries.captured_queries) <= ALLOWED_TABLES
    assert CaseAssessment.objects.count() == assessments
    assert Notification.objects.count() == notifications


def test_the_write_pattern_recognises_writes():
    """The check above cannot pass by failing to see a write."""
    queries = [
        {"sql": 'INSERT INTO "priorities_caseassessment" ("case_id") VALUES (1)'},
        {"sql": 'UPDATE "cases_case" SET "version" = 2'},
        {"sql": "DELETE FROM governance_accessevent WHERE at < now()"},
        {"sql": 'SELECT "cases_case"."id" FROM "cases_case"'},
    ]

    assert written_tables(queries) == {"priorities_caseassessment", "cases_case", "governance_accessevent"}
