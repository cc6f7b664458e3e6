"""Anonymised export of a practitioner's own case notes: selection, output, audit, page, command.

Issue 4 item 6 (K1, K2, PC16).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases.models import Case, CaseNote, Client, ClientContact
from casework.cases.services import note_amend, note_record
from casework.governance import views_export
from casework.governance.exports import EXPORT_FORMAT, ExportSelection, anonymised_export
from tests.conftest import World
from tests.factories import CaseFactory, ClientFactory, contact_type

IDENTIFYING = (
    "Jordan",
    "Pritchard",
    "Sarah",
    "07700 900123",
    "07700 900456",
    "07700 900999",
    "jordan.pritchard@example.com",
    "Acacia",
    "CF10 1AA",
    "17/05/1994",
    "Alex",
    "Morgan",
    "Amira",
    "Hussain",
    "Callum",
    "McLeod",
)


@dataclass
class Notes:
    first: CaseNote
    second: CaseNote
    second_case: Case
    colleague_case: Case
    now: dt.datetime


@pytest.fixture
def notes(world: World) -> Notes:
    """Two of alex's cases with notes (one amended), and a colleague's case that is not alex's."""
    now = timezone.now()
    Client.objects.filter(pk=world.case.client_id).update(
        first_name="Jordan",
        last_name="Pritchard",
        date_of_birth=dt.date(1994, 5, 17),
        phone="07700 900123",
        email="jordan.pritchard@example.com",
        address="14 Acacia Avenue\nCardiff\nCF10 1AA",
    )
    world.case.refresh_from_db()
    ClientContact.objects.create(
        organisation=world.organisation,
        client=world.case.client,
        name="Sarah Pritchard",
        relationship="mother",
        phone="07700 900456",
    )
    second_case = CaseFactory(
        owner=world.practitioner, client__first_name="Amira", client__last_name="Hussain"
    )
    colleague_case = CaseFactory(
        owner=world.colleague, client__first_name="Callum", client__last_name="McLeod"
    )
    jordan = {
        "client_view": "Jordan wants warehouse work near Cardiff.",
        "assessment": "Jordan seems ready for work; Sarah is supportive.",
        "actions_agreed": "Jordan to send his CV to Tesco.",
        "follow_up": "Call Sarah on 07700 900456 before the Jobcentre Plus appointment.",
    }

    def record(case: Case, days_ago: int, facts: str, **sections: str) -> CaseNote:
        when = now - dt.timedelta(days=days_ago)
        return note_record(
            case=case,
            author=case.owner,
            contact_type=contact_type(case.organisation),
            occurred_at=when,
            now=when + dt.timedelta(hours=1),
            sections={"client_view": "Fine.", "actions_agreed": "None.", "follow_up": "None.", **sections}
            | {"facts": facts},
        )

    first = record(
        world.case,
        10,
        "Met Jordan Pritchard (DOB 17/05/1994) with his mother Sarah. Rang 07700 900123. "
        "Lives at 14 Acacia Avenue, CF10 1AA. Email jordan.pritchard@example.com. "
        "Review with Alex Morgan on Monday.",
        **jordan,
    )
    note_amend(
        note=first,
        author=world.practitioner,
        reason="Jordan gave a new number: 07700 900999",
        sections={"facts": "Met Jordan Pritchard with his mother Sarah. Rang 07700 900999.", **jordan},
        now=now - dt.timedelta(days=9),
    )
    second = record(
        second_case,
        3,
        "Amira brought her tenancy agreement. Universal Credit claim started.",
        client_view="Amira wants help with the rent arrears.",
        actions_agreed="Amira to bring her bank statements.",
        follow_up="Review in two weeks.",
    )
    record(colleague_case, 2, "Callum McLeod attended.")
    record(world.foreign_case, 2, "Another organisation's note.")
    return Notes(first, second, second_case, colleague_case, now)


def _export_events(world: World) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation_id=world.organisation.pk, action="export.anonymised"))


def test_export_holds_only_my_own_cases_notes_with_identifiers_replaced(world, notes):
    document = anonymised_export(user=world.practitioner, shift_weeks=3)

    raw = json.dumps(document, ensure_ascii=False)
    for identifier in (*IDENTIFYING, world.case.client.reference, "Another organisation"):
        assert identifier not in raw
    assert document["format"] == EXPORT_FORMAT
    assert [(c["case"], c["client"], len(c["notes"])) for c in document["cases"]] == [
        ("Case 1", "[Client 1]", 1),
        ("Case 2", "[Client 2]", 1),
    ]
    original = document["cases"][0]["notes"][0]["versions"][0]
    assert original["recorded_by"] == "[Practitioner 1]"
    assert original["sections"] == [
        {
            "section": "facts",
            "heading": "Facts",
            "opinion": False,
            "text": "Met [Client 1] (DOB [Date of birth]) with his mother [Person 1]. Rang [Phone 1]. "
            "Lives at [Address 1], [Postcode 1]. Email [Email 1]. Review with [Practitioner 1] on Monday.",
        },
        {
            "section": "client_view",
            "heading": "Client's view",
            "opinion": False,
            "text": "[Client 1] wants warehouse work near Cardiff.",
        },
        {
            "section": "assessment",
            "heading": "Practitioner's assessment (opinion)",
            "opinion": True,
            "text": "[Client 1] seems ready for work; [Person 1] is supportive.",
        },
        {
            "section": "actions_agreed",
            "heading": "Actions agreed",
            "opinion": False,
            "text": "[Client 1] to send his CV to Tesco.",
        },
        {
            "section": "follow_up",
            "heading": "Follow-up",
            "opinion": False,
            "text": "Call [Person 1] on [Phone 2] before the Jobcentre Plus appointment.",
        },
    ]
    assert document["cases"][1]["notes"][0]["versions"][0]["sections"][0]["text"] == (
        "[Client 2] brought her tenancy agreement. Universal Credit claim started."
    )


def test_amendments_are_exported_with_their_reason_anonymised(world, notes):
    document = anonymised_export(user=world.practitioner, shift_weeks=3)

    versions = document["cases"][0]["notes"][0]["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["amendment_reason"] == "[Client 1] gave a new number: [Phone 3]"
    assert versions[1]["sections"][0]["text"] == "Met [Client 1] with his mother [Person 1]. Rang [Phone 3]."


def test_every_date_and_time_moves_by_the_same_whole_weeks(world, notes):
    document = anonymised_export(user=world.practitioner, shift_weeks=3)

    def local(value: dt.datetime) -> dt.datetime:
        return timezone.localtime(value).replace(tzinfo=None)

    shift = dt.timedelta(weeks=3)
    first_version = notes.first.versions.order_by("number").first()
    exported = document["cases"][0]["notes"][0]
    assert dt.datetime.fromisoformat(exported["occurred_at"]).replace(tzinfo=None) == (
        local(first_version.occurred_at) + shift
    )
    assert dt.datetime.fromisoformat(exported["recorded_at"]).replace(tzinfo=None) == (
        local(first_version.recorded_at) + shift
    )
    assert document["cases"][0]["opened_on"] == (world.case.opened_on + shift).isoformat()
    second = document["cases"][1]["notes"][0]
    second_version = notes.second.versions.get()
    assert dt.datetime.fromisoformat(second["occurred_at"]).replace(tzinfo=None) == (
        local(second_version.occurred_at) + shift
    )


def test_the_manifest_says_what_was_done_and_that_dates_moved_but_not_by_how_much(world, notes):
    document = anonymised_export(user=world.practitioner, shift_weeks=3)

    manifest = document["manifest"]
    assert manifest["notice"].startswith("Review before sharing.")
    assert manifest["date_shift"] == "applied (secret, whole weeks)"
    assert {row["kind"]: (row["mentions"], row["distinct"]) for row in manifest["replaced"]} == {
        "client": (12, 2),
        "person": (6, 1),
        "staff": (1, 1),
        "phone": (5, 3),
        "email": (1, 1),
        "postcode": (1, 1),
        "address": (1, 1),
        "date_of_birth": (1, 1),
    }
    assert manifest["contents"] == {"cases": 2, "notes": 2, "versions": 3, "date_range_applied": False}
    assert {row["placeholder"]: row["who"] for row in manifest["people"]} == {
        "[Client 1]": "the client of Case 1",
        "[Client 2]": "the client of Case 2",
        "[Person 1]": "a recorded contact of the client (mother)",
        "[Practitioner 1]": "a member of staff (practitioner)",
    }
    assert "3 weeks" not in json.dumps(manifest) and "21 days" not in json.dumps(manifest)
    assert len(manifest["cannot_guarantee"]) >= 4


def test_making_an_export_writes_one_audit_event_and_no_access_event(world, notes):
    access_before = AccessEvent.objects.count()

    document = anonymised_export(user=world.practitioner, export_format="text", shift_weeks=3)

    [event] = _export_events(world)
    assert (event.actor_id, event.object_type, event.object_id) == (
        world.practitioner.pk,
        "export",
        document["export_id"],
    )
    assert (event.client_id, event.case_id) == (None, None)
    assert event.changes == {
        "channel": "web",
        "format": "text",
        "cases": 2,
        "notes": 2,
        "versions": 3,
        "replaced": {row["kind"]: row["mentions"] for row in document["manifest"]["replaced"]},
        "dates_shifted": document["manifest"]["dates_shifted"],
        "selection": {"from": None, "to": None, "case_ids": "all"},
    }
    assert AccessEvent.objects.count() == access_before
    assert verify_chain(world.organisation.pk) is None


def test_a_date_range_selects_notes_by_contact_date_without_revealing_the_range(world, notes):
    since = (notes.now - dt.timedelta(days=5)).date()

    document = anonymised_export(user=world.practitioner, selection=ExportSelection(date_from=since))

    assert [(c["client"], len(c["notes"])) for c in document["cases"]] == [("[Client]", 1)]
    assert document["manifest"]["contents"]["date_range_applied"] is True
    assert since.isoformat() not in json.dumps(document)
    [event] = _export_events(world)
    assert event.changes["selection"] == {"from": since.isoformat(), "to": None, "case_ids": "all"}


def test_a_chosen_case_narrows_the_export(world, notes):
    document = anonymised_export(
        user=world.practitioner, selection=ExportSelection(case_ids=(notes.second_case.pk,))
    )

    assert [c["client"] for c in document["cases"]] == ["[Client]"]
    [event] = _export_events(world)
    assert event.changes["selection"]["case_ids"] == [notes.second_case.pk]


@pytest.mark.parametrize(
    ("who", "selection", "key"),
    [
        ("manager", ExportSelection(), "notes"),
        ("owner", ExportSelection(date_from=dt.date(2001, 1, 1), date_to=dt.date(2001, 1, 31)), "notes"),
        ("owner", ExportSelection(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 1, 1)), "date_to"),
        ("owner", "colleague case", "cases"),
        ("owner", "foreign case", "cases"),
    ],
)
def test_a_selection_that_is_refused_writes_nothing(world, notes, who, selection, key):
    if selection == "colleague case":
        selection = ExportSelection(case_ids=(notes.colleague_case.pk,))
    elif selection == "foreign case":
        selection = ExportSelection(case_ids=(world.foreign_case.pk,))

    with pytest.raises(ValidationError) as exc:
        anonymised_export(user=world.by_role()[who], selection=selection)

    assert list(exc.value.message_dict) == [key]
    assert _export_events(world) == []


# The page ------------------------------------------------------------------------------------


def test_the_page_lists_only_my_own_cases_and_logs_that_list(world, notes, signed_in):
    response = signed_in(world.practitioner).get(reverse("export:notes"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Export my case notes, anonymised" in page
    assert "Jordan Pritchard" in page and "Amira Hussain" in page
    assert "Callum" not in page
    logged = AccessEvent.objects.filter(user_id=world.practitioner.pk, view="anonymised export: cases")
    assert sorted(logged.values_list("case_id", "channel")) == sorted(
        [(world.case.pk, "list"), (notes.second_case.pk, "list")]
    )
    assert _export_events(world) == []


def test_someone_with_no_cases_of_their_own_is_told_so(world, notes, signed_in):
    response = signed_in(world.manager).get(reverse("export:notes"))

    assert response.status_code == 200
    assert "You have no cases of your own" in response.content.decode()


def test_posting_json_downloads_the_anonymised_export(world, notes, signed_in):
    response = signed_in(world.practitioner).post(reverse("export:notes"), {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert response["Content-Disposition"] == (
        f'attachment; filename="anonymised-case-notes-{document["export_id"]}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    assert document["format"] == EXPORT_FORMAT and len(document["cases"]) == 2
    for identifier in IDENTIFYING:
        assert identifier not in response.content.decode()
    [event] = _export_events(world)
    assert event.changes["format"] == "json" and event.changes["channel"] == "web"


def test_posting_text_downloads_a_readable_file(world, notes, signed_in):
    response = signed_in(world.practitioner).post(reverse("export:notes"), {"format": "text"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].endswith('.txt"')
    text = response.content.decode()
    assert text.startswith("ANONYMISED CASE NOTES\n")
    assert "Review before sharing." in text
    assert "Practitioner's assessment (opinion):\n[Client 1] seems ready for work" in text
    assert re.search(r"\nContact \w+day \d{1,2} \w+ \d{4}, \d\d:\d\d; recorded \w+day ", text)
    for identifier in IDENTIFYING:
        assert identifier not in text


def test_posting_html_shows_the_export_with_its_manifest(world, notes, signed_in):
    response = signed_in(world.practitioner).post(
        reverse("export:notes"), {"format": "html", "cases": [world.case.pk]}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Review before sharing" in page and "What this cannot guarantee" in page
    assert "Case 1: [Client]" in page
    assert 'badge--opinion">Opinion</span>' in page
    assert "<script>" not in page
    for identifier in ("Jordan", "Pritchard", "07700 900123", "Acacia", "CF10 1AA"):
        assert identifier not in page


def test_an_invalid_date_range_is_refused_on_the_page_and_nothing_is_written(world, notes, signed_in):
    response = signed_in(world.practitioner).post(
        reverse("export:notes"), {"format": "json", "date_from": "2024-02-01", "date_to": "2024-01-01"}
    )

    assert response.status_code == 400
    assert "The end of the date range must not be before its start." in response.content.decode()
    assert _export_events(world) == []


@pytest.mark.parametrize(
    "role",
    [
        "owner",
        "colleague",
        "supervisor",
        "other_supervisor",
        "other_practitioner",
        "manager",
        "admin",
        "foreign",
    ],
)
def test_only_the_owner_can_export_a_cases_notes(world, notes, signed_in, role):
    """The permission matrix for the export page: a case is exportable by its owner alone."""
    user = world.by_role()[role]
    client = signed_in(user)

    page = client.get(reverse("export:notes"))
    response = client.post(reverse("export:notes"), {"format": "json", "cases": [world.case.pk]})

    assert page.status_code == 200
    if role == "owner":
        assert response.status_code == 200
        assert len(_export_events(world)) == 1
    else:
        assert response.status_code == 400
        assert _export_events(world) == []
        assert AuditEvent.objects.filter(action="export.anonymised").count() == 0


def test_signing_in_is_required(world, notes, client):
    response = client.get(reverse("export:notes"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The command ----------------------------------------------------------------------------------


def test_the_command_writes_a_json_export_recorded_as_made_through_the_command_line(
    world, notes, tmp_path, capsys
):
    out = tmp_path / "notes.json"

    call_command("anonymise", "--user", "alex", "--out", str(out))

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == EXPORT_FORMAT and len(document["cases"]) == 2
    for identifier in IDENTIFYING:
        assert identifier not in out.read_text(encoding="utf-8")
    [event] = _export_events(world)
    assert (event.object_id, event.changes["channel"], event.changes["format"]) == (
        document["export_id"],
        "cli",
        "json",
    )
    assert f"Wrote anonymised export {document['export_id']}: 2 notes from 2 cases" in capsys.readouterr().out


def test_the_command_writes_text_for_a_txt_file_and_honours_the_date_range(world, notes, tmp_path):
    out = tmp_path / "notes.txt"
    since = (notes.now - dt.timedelta(days=5)).date().isoformat()

    call_command("anonymise", "--user", "alex", "--from", since, "--out", str(out))

    text = out.read_text(encoding="utf-8")
    assert text.startswith("ANONYMISED CASE NOTES\n")
    assert "[Client] brought her tenancy agreement." in text
    assert "Case 2" not in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--user", "nobody"], "No active user 'nobody'"),
        (["--user", "alex", "--from", "2024-13-01"], "is not a date"),
        (["--user", "alex", "--from", "2001-01-01", "--to", "2001-01-31"], "No case notes match"),
        (["--user", "alex", "--case", "COLLEAGUE"], "your own cases only"),
    ],
)
def test_the_command_refuses_bad_requests_and_writes_nothing(world, notes, tmp_path, arguments, message):
    arguments = [str(notes.colleague_case.pk) if a == "COLLEAGUE" else a for a in arguments]
    out = tmp_path / "notes.json"

    with pytest.raises(CommandError, match=message):
        call_command("anonymise", *arguments, "--out", str(out))

    assert not out.exists()
    assert _export_events(world) == []


def test_the_export_picker_lists_at_most_its_limit_and_finds_by_name(world, signed_in, monkeypatch):
    """Issue 9, scope 8: the export's case picker stays short; a search finds the rest."""
    monkeypatch.setattr(views_export, "PICKER_LIMIT", 2)
    for name in ("Bethan", "Ceri", "Dylan"):
        CaseFactory(owner=world.practitioner, client=ClientFactory(first_name=name, last_name="Howells"))
    browser = signed_in(world.practitioner)
    page = browser.get("/export/").content.decode()
    assert "You have 4 cases; 2 are listed." in page
    found = browser.get("/export/", {"q": "dylan"}).content.decode()
    assert "Dylan Howells" in found and "Bethan Howells" not in found
