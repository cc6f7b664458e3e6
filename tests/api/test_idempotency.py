"""A retried write is recorded once (issue 8, finding 5): the ``Idempotency-Key`` header."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.accounts.models import ApiToken, IdempotentRequest
from casework.audit.models import AuditEvent
from casework.cases.models import CaseNote, NoteVersion


def _body(facts: str = "Rang about the depot job.") -> str:
    return json.dumps(
        {
            "contact_type": "phone",
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "sections": {"facts": facts, "follow_up": "Monday."},
        }
    )


def _client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)[1]}")


def _post(client: Client, url: str, body: str, key: str | None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body, content_type="application/json", **extra)


def test_a_retry_with_the_same_key_returns_the_first_answer_and_writes_nothing(world):
    client = _client(world.practitioner)
    url = f"/api/cases/{world.case.pk}/notes"
    body = _body()

    first = _post(client, url, body, "note-7f3a")
    audited = AuditEvent.objects.count()
    again = _post(client, url, body, "note-7f3a")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CaseNote.objects.count() == 1
    assert AuditEvent.objects.count() == audited


def test_without_a_key_each_post_is_a_new_note(world):
    client = _client(world.practitioner)
    url = f"/api/cases/{world.case.pk}/notes"

    _post(client, url, _body(), None)
    _post(client, url, _body(), None)

    assert CaseNote.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(world):
    client = _client(world.practitioner)
    url = f"/api/cases/{world.case.pk}/notes"
    _post(client, url, _body(), "k-1")

    response = _post(client, url, _body("Something else."), "k-1")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert CaseNote.objects.count() == 1


def test_keys_belong_to_their_user(world):
    url = f"/api/cases/{world.case.pk}/notes"
    body = _body()

    _post(_client(world.practitioner), url, body, "shared")
    response = _post(_client(world.supervisor), url, body, "shared")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert CaseNote.objects.count() == 2


def test_a_key_expires_after_24_hours(world):
    client = _client(world.practitioner)
    url = f"/api/cases/{world.case.pk}/notes"
    body = _body()
    _post(client, url, body, "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    response = _post(client, url, body, "old")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert CaseNote.objects.count() == 2
    assert IdempotentRequest.objects.count() == 1


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "naïve"])
def test_a_malformed_key_is_refused(world, key):
    response = _post(_client(world.practitioner), f"/api/cases/{world.case.pk}/notes", _body(), key)

    assert response.status_code == 422
    assert CaseNote.objects.count() == 0


def test_an_amendment_retried_with_its_key_is_one_version(world):
    client = _client(world.practitioner)
    note_id = _post(client, f"/api/cases/{world.case.pk}/notes", _body(), None).json()["note"]["id"]
    body = json.dumps({"amends_version": 1, "reason": "Typo", "sections": {"facts": "Rang about the job."}})

    answers = [
        _post(client, f"/api/notes/{note_id}/amendments", body, "amend-1").status_code for _ in range(3)
    ]

    assert answers == [201, 201, 201]
    assert NoteVersion.objects.filter(note_id=note_id).count() == 2


def test_two_retries_racing_write_one_note(committed_db, world):
    url = f"/api/cases/{world.case.pk}/notes"
    body = _body()
    key = ApiToken.issue(world.practitioner)[1]
    barrier = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
            barrier.wait(timeout=10)
            response = _post(client, url, body, "race-1")
            answers.append((response.status_code, response.json()["note"]["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [status for status, _ in answers] == [201] * 4
    assert len({note_id for _, note_id in answers}) == 1
    assert CaseNote.objects.filter(case=world.case).count() == 1
