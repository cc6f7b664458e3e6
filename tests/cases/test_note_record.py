import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.cases.models import Action, CaseEvent, CaseNote, ImmutableRecordError, NoteVersion
from casework.cases.services import ActionInput, note_amend, note_record
from tests.factories import contact_type

FULL = {
    "facts": "Met at the Jobcentre. Jordan brought a printed CV dated 2023.",
    "client_view": "Wants warehouse work near home, days only.",
    "follow_up": "Review job search on Friday.",
}


def test_pc17_note_is_signed_with_server_time_and_creates_actions(world):
    now = timezone.now()
    occurred = now - dt.timedelta(hours=2)
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation),
        occurred_at=occurred,
        sections=FULL,
        now=now,
        actions=[
            ActionInput(
                description="Apply to Amazon Swansea",
                due_on=now.date() + dt.timedelta(days=3),
                owner_kind="client",
            )
        ],
    )
    version = note.versions.get()
    assert version.recorded_at == now
    assert version.occurred_at == occurred
    assert version.is_late is False
    assert "Apply to Amazon Swansea (owner: Client" in version.actions_agreed
    action = Action.objects.get(source_note=note)
    assert action.owner_kind == "client" and action.case == world.case
    world.case.refresh_from_db()
    assert world.case.last_contact_at == occurred
    assert CaseEvent.objects.filter(case=world.case, code="action_added").count() == 1


def test_note_recorded_after_time_scale_is_late(world):
    now = timezone.now()
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=now - dt.timedelta(hours=30),
        sections={"facts": "Rang client.", "follow_up": "None."},
        now=now,
    )
    assert note.versions.get().is_late is True


def test_future_contact_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as exc:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation),
            occurred_at=timezone.now() + dt.timedelta(hours=1),
            sections=FULL,
        )
    assert "occurred_at" in exc.value.message_dict
    assert CaseNote.objects.count() == 0


def test_missing_required_section_is_named(world):
    with pytest.raises(ValidationError) as exc:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation),
            occurred_at=timezone.now(),
            sections={"facts": "Met client."},
        )
    errors = exc.value.message_dict
    assert set(errors) == {"client_view", "actions_agreed", "follow_up"}
    assert "Client's view is required" in errors["client_view"][0]
    assert NoteVersion.objects.count() == 0


def test_amendment_keeps_the_original_and_needs_a_reason(world):
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now(),
        sections={"facts": "Rang client on 0770.", "follow_up": "Call Monday."},
    )
    with pytest.raises(ValidationError) as exc:
        note_amend(note=note, author=world.practitioner, reason="  ", sections={"facts": "Rang client."})
    assert "reason" in exc.value.message_dict
    v2 = note_amend(
        note=note,
        author=world.practitioner,
        reason="Wrong number written down",
        sections={"facts": "Rang client on 07700 900123."},
    )
    assert v2.number == 2
    versions = list(note.versions.order_by("number").values_list("facts", flat=True))
    assert versions == ["Rang client on 0770.", "Rang client on 07700 900123."]


def test_signed_note_cannot_be_edited_by_any_path(world):
    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=timezone.now(),
        sections={"facts": "Emailed the housing list."},
    )
    version = note.versions.get()
    version.facts = "Something else"
    with pytest.raises(ImmutableRecordError):
        version.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteVersion.objects.filter(pk=version.pk).update(facts="Quietly changed")
    assert NoteVersion.objects.get(pk=version.pk).facts == "Emailed the housing list."
