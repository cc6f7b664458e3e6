"""An amendment never silently undoes a colleague's correction (issue 8, finding 1; PC1, K4).

Each amendment names the version it amends. Tested through the API, through a form opened
before a colleague's amendment, and with two amendments racing in real threads, each on its
own database connection, on SQLite (a file, WAL, IMMEDIATE) and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.accounts.models import ApiToken
from casework.cases.models import CaseNote, NoteVersion
from casework.cases.services import note_amend, note_record
from tests.factories import contact_type

AMEND = "/api/notes/{}/amendments"


def _note(world) -> CaseNote:
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        sections={"facts": "Rang about the job at the depot.", "follow_up": "Call on Monday."},
    )


def _post_json(client: Client, url: str, body: dict, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_the_api_refuses_an_amendment_of_a_version_that_has_moved_on(world):
    note = _note(world)
    note_amend(
        note=note, author=world.supervisor, reason="Wrong day", sections={"follow_up": "Call on Tuesday."}
    )
    client = Client()
    client.force_login(world.practitioner)

    response = _post_json(
        client, AMEND.format(note.pk), {"amends_version": 1, "reason": "Typo", "sections": {"facts": "Rang."}}
    )

    assert response.status_code == 409
    body = response.json()
    assert body["current"]["number"] == 2
    assert body["current"]["sections"]["follow_up"] == "Call on Tuesday."
    assert "Nothing of yours was saved" in body["detail"]
    assert NoteVersion.objects.filter(note=note).count() == 2


def test_a_form_opened_before_a_colleagues_amendment_keeps_both_and_saves_nothing(world, signed_in):
    note = _note(world)
    client = signed_in(world.practitioner)
    page = client.get(f"/notes/{note.pk}/amend").content.decode()
    assert 'name="amends_version" value="1"' in page
    # Meanwhile the supervisor corrects the follow-up.
    note_amend(
        note=note, author=world.supervisor, reason="Wrong day", sections={"follow_up": "Call on Tuesday."}
    )
    local = timezone.localtime(note.versions.get(number=1).occurred_at)
    mine = {
        "amends_version": "1",
        "reason": "Named the depot",
        "contact_type": str(note.versions.get(number=1).contact_type_id),
        "occurred_date": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
        "facts": "Rang about the job at the Swansea depot.",
        "follow_up": "Call on Monday.",
    }

    response = client.post(f"/notes/{note.pk}/amend", mine)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Call on Tuesday." in html  # the colleague's correction, shown
    assert "Rang about the job at the Swansea depot." in html  # what the user typed, kept
    assert 'name="amends_version" value="2"' in html
    assert NoteVersion.objects.filter(note=note).count() == 2

    # Having compared, the user keeps the correction and saves again: it goes through.
    again = client.post(
        f"/notes/{note.pk}/amend", {**mine, "amends_version": "2", "follow_up": "Call on Tuesday."}
    )

    assert again.status_code == 302
    latest = NoteVersion.objects.filter(note=note).order_by("-number").first()
    assert (latest.number, latest.facts, latest.follow_up) == (
        3,
        "Rang about the job at the Swansea depot.",
        "Call on Tuesday.",
    )


@pytest.mark.parametrize("rounds", [5])
def test_two_amendments_at_the_same_moment_one_wins_and_the_other_is_told(committed_db, world, rounds):
    note = _note(world)
    keys = [ApiToken.issue(world.practitioner)[1], ApiToken.issue(world.supervisor)[1]]
    for round_number in range(rounds):
        version = NoteVersion.objects.filter(note=note).count()
        barrier = threading.Barrier(2)
        answers: list[int] = []

        def amend(
            key: str,
            words: str,
            version: int = version,
            barrier: threading.Barrier = barrier,
            answers: list[int] = answers,
        ) -> None:
            try:
                client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
                body = {"amends_version": version, "reason": "Correction", "sections": {"facts": words}}
                barrier.wait(timeout=10)
                answers.append(_post_json(client, AMEND.format(note.pk), body).status_code)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=amend, args=(key, f"Round {round_number}: version from {who}."))
            for key, who in zip(keys, ("Alex", "Sam"), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(answers) == [201, 409], answers
        assert NoteVersion.objects.filter(note=note).count() == version + 1
