"""Twenty people recording notes at once are all saved (issue 8, finding 4).

Real threads, each with its own database connection, post notes through the API at the same
moment. On SQLite (the embedded default: WAL, a busy timeout and IMMEDIATE write
transactions) writers queue for the lock instead of being turned away with "database is
locked"; on PostgreSQL they run side by side. Every answer is 201 and every note is there.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.accounts.models import ApiToken, Role
from casework.cases.models import CaseNote
from casework.priorities.services import cases_reassess
from tests.factories import CaseFactory, UserFactory

WRITERS = 20
NOTES_EACH = 10


def test_twenty_concurrent_writers_are_all_saved(committed_db, world):
    writers = []
    for _ in range(WRITERS):
        user = UserFactory(organisation=world.organisation, team=world.team, role=Role.PRACTITIONER)
        case = CaseFactory(owner=user)
        writers.append((ApiToken.issue(user)[1], case.pk))
    cases_reassess(case_ids=[case_id for _, case_id in writers])
    barrier = threading.Barrier(WRITERS)
    answers: list[int] = []
    lock = threading.Lock()

    def write(key: str, case_id: int) -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
            barrier.wait(timeout=30)
            for n in range(NOTES_EACH):
                body = {
                    "contact_type": "phone",
                    "occurred_at": (timezone.now() - dt.timedelta(minutes=n + 1)).isoformat(),
                    "sections": {"facts": f"Call {n} on case {case_id}.", "follow_up": "Next week."},
                }
                response = client.post(
                    f"/api/cases/{case_id}/notes", json.dumps(body), content_type="application/json"
                )
                with lock:
                    answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=writer) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert answers == [201] * (WRITERS * NOTES_EACH)
    assert (
        CaseNote.objects.filter(case_id__in=[case_id for _, case_id in writers]).count()
        == WRITERS * NOTES_EACH
    )
