"""An anchored audit chain (issue 8, finding 7): a rewrite of the whole chain behind a dropped
trigger, which the hash chain alone cannot see, is caught by the anchor; a note deleted in
SQL is caught by the records check."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from casework.audit.anchor import anchor_if_due, anchor_write, anchors_read, verify_anchors
from casework.audit.models import AuditChain, AuditEvent
from casework.audit.trail import event_hash, verify_chain
from casework.cases.models import Action, CaseNote, NoteVersion
from casework.cases.services import note_record
from casework.governance.models import DisposalCertificate
from tests.factories import UserFactory, contact_type


@pytest.fixture
def anchor_path(tmp_path, settings):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    return tmp_path / "anchors.jsonl"


def _notes(world, n: int) -> list[CaseNote]:
    return [
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "email"),
            occurred_at=timezone.now() - dt.timedelta(hours=n - i),
            sections={"facts": f"Emailed vacancy {i}."},
        )
        for i in range(n)
    ]


def _drop_trigger(table: str, op: str) -> None:
    """Drop one of the triggers that refuse changes, as someone with the database could."""
    name = f"{table}_no_{op}"
    sql = f"DROP TRIGGER IF EXISTS {name}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ON {table}" if connection.vendor == "postgresql" else sql)


def _rewrite_whole_chain_from(organisation_id: int, sequence: int) -> None:
    """What an attacker who can drop the trigger does: change one event and recompute every
    hash after it, and the chain head, so that the chain alone verifies."""
    _drop_trigger("governance_auditevent", "update")
    events = list(AuditEvent.objects.filter(organisation_id=organisation_id).order_by("sequence"))
    prev = events[sequence - 2].hash if sequence > 1 else "0" * 64
    for event in events[sequence - 1 :]:
        if event.sequence == sequence:
            event.changes = {**event.changes, "contact_type": "face_to_face"}
        event.prev_hash = prev
        event.hash = event_hash(prev, event)
        AuditEvent.objects.filter(pk=event.pk).update(
            changes=event.changes, prev_hash=event.prev_hash, hash=event.hash
        )
        prev = event.hash
    AuditChain.objects.filter(organisation_id=organisation_id).update(last_hash=prev)


def test_the_anchor_file_gets_each_chain_head_appended(world, anchor_path):
    _notes(world, 2)
    anchor_write()
    _notes(world, 1)
    anchor_write()

    lines = [json.loads(line) for line in anchor_path.read_text().splitlines()]
    assert [(line["organisation_id"], line["sequence"]) for line in lines] == [
        (world.organisation.pk, 2),
        (world.organisation.pk, 3),
    ]
    chain = AuditChain.objects.get(organisation_id=world.organisation.pk)
    assert lines[-1]["hash"] == chain.last_hash


def test_a_rewritten_chain_verifies_alone_but_not_against_its_anchor(world, anchor_path):
    _notes(world, 6)
    anchor_write()
    _rewrite_whole_chain_from(world.organisation.pk, 3)

    assert verify_chain(world.organisation.pk) is None  # the hash chain alone is fooled
    problem = verify_anchors(world.organisation.pk, anchors_read())
    assert problem is not None and problem.sequence == 6
    assert "rewritten" in problem.problem
    with pytest.raises(CommandError, match="first broken link"):
        call_command("audit", "verify")


def test_a_chain_cut_short_below_its_anchor_is_caught(world, anchor_path):
    _notes(world, 4)
    anchor_write()
    with connection.cursor() as cursor:
        name = "governance_auditevent_no_delete"
        cursor.execute(
            f"DROP TRIGGER {name} ON governance_auditevent"
            if connection.vendor == "postgresql"
            else f"DROP TRIGGER {name}"
        )
    AuditEvent.objects.filter(organisation_id=world.organisation.pk, sequence=4).delete()
    AuditChain.objects.filter(organisation_id=world.organisation.pk).update(
        last_sequence=3,
        last_hash=AuditEvent.objects.get(organisation_id=world.organisation.pk, sequence=3).hash,
    )

    assert verify_chain(world.organisation.pk) is None
    problem = verify_anchors(world.organisation.pk, anchors_read())
    assert problem is not None and "missing" in problem.problem


def test_a_note_deleted_in_sql_is_reported(world, anchor_path, capsys):
    notes = _notes(world, 2)
    _delete_note_behind_the_triggers(notes[0])

    with pytest.raises(CommandError, match=f"note {notes[0].pk} of case {world.case.pk}"):
        call_command("audit", "verify")


def test_a_disposed_note_is_not_reported(world, anchor_path, capsys):
    notes = _notes(world, 1)
    _delete_note_behind_the_triggers(notes[0])
    DisposalCertificate.objects.create(
        organisation=world.organisation,
        kind="retention",
        case_id=world.case.pk,
        client_reference=world.case.client.reference,
        disposed_by="dana",
        rule="6 years after closure",
        reason="Retention period ended",
    )

    call_command("audit", "verify")

    assert "chain intact" in capsys.readouterr().out


def test_the_sweep_anchors_once_a_day(world, anchor_path):
    _notes(world, 1)
    now = timezone.now()

    assert len(anchor_if_due(now=now)) == 1
    assert anchor_if_due(now=now + dt.timedelta(hours=23)) == []
    assert len(anchor_if_due(now=now + dt.timedelta(hours=24))) == 1
    assert len(anchors_read()) == 2


def test_anchors_are_emailed_to_the_data_protection_officers_where_set_up(
    world, anchor_path, settings, mailoutbox
):

    settings.AUDIT_ANCHOR_EMAIL = True
    UserFactory(organisation=world.organisation, role="dpo", email="dpo@example.org")
    _notes(world, 1)

    anchor_write()

    assert [message.to for message in mailoutbox] == [["dpo@example.org"]]
    assert AuditChain.objects.get(organisation_id=world.organisation.pk).last_hash in mailoutbox[0].body


def _delete_note_behind_the_triggers(note: CaseNote) -> None:
    """Delete a signed note directly in SQL, as someone with database access could."""
    for table in ("cases_noteversion", "cases_casenote"):
        _drop_trigger(table, "delete")
    NoteVersion.goals.through.objects.filter(noteversion__note=note).delete()
    NoteVersion.objects.filter(note=note)._raw_delete(connection.alias)
    Action.objects.filter(source_note=note).update(source_note=None)
    CaseNote.objects.filter(pk=note.pk)._raw_delete(connection.alias)
