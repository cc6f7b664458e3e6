"""Subject access: the response holds everything about the client, and producing it is logged (K1)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import verify_chain
from casework.governance import sar
from casework.governance.models import SubjectAccessRequest
from casework.governance.services import CommandLineActor, sar_request_log, subject_access_produce
from tests.factories import CaseFactory
from tests.governance.conftest import build_history


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 15), dt.date(2025, 4, 15)),
        (dt.date(2025, 8, 31), dt.date(2025, 9, 30)),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 31)),
        (dt.date(2025, 2, 28), dt.date(2025, 3, 28)),
    ],
)
def test_due_date_is_one_calendar_month_later(requested, due):
    assert sar.sar_due_on(requested) == due


@pytest.fixture
def no_pdf(monkeypatch):
    """Most tests read the JSON; rendering the PDF once per test would only slow them down."""
    monkeypatch.setattr(sar, "render_pdf", lambda response: b"%PDF-stub")


def _open(archive: bytes) -> tuple[zipfile.ZipFile, dict]:
    zf = zipfile.ZipFile(io.BytesIO(archive))
    assert zf.testzip() is None
    return zf, json.loads(zf.read("manifest.json"))


def _data(zf: zipfile.ZipFile, name: str) -> list[dict]:
    return json.loads(zf.read(f"data/{name}.json"))


def test_response_holds_every_source_with_amendments_and_a_pdf(world, dpo, history):
    # Given a client with a note and its amendment, a plan, a flag, a deadline and a view,
    # and another client in the same organisation whose data must not appear
    other = build_history(world, CaseFactory(owner=world.practitioner))

    # When the data-protection officer produces the response
    archive = subject_access_produce(client=history.client, actor=dpo, view="test")

    # Then the ZIP holds one JSON file per registered source, listed in the manifest, and a PDF
    zf, manifest = _open(archive)
    names = [source.name for source in sar.SAR_SOURCES]
    assert [s["name"] for s in manifest["sources"]] == names
    assert set(zf.namelist()) == {"README.txt", "manifest.json", "subject-access.pdf"} | {
        f"data/{name}.json" for name in names
    }
    pdf = zf.read("subject-access.pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert manifest["client_reference"] == history.client.reference

    client = _data(zf, "client")
    assert client == [
        {
            "reference": history.client.reference,
            "first_name": history.client.first_name,
            "last_name": history.client.last_name,
            "date_of_birth": "1994-05-17",
            "email": "",
            "phone": "07700 900123",
            "address": "",
            "created_at": client[0]["created_at"],
        }
    ]
    assert [c["name"] for c in _data(zf, "client_contacts")] == ["Mary Pritchard"]
    assert [c["case_id"] for c in _data(zf, "cases")] == [history.case.pk]
    (note,) = _data(zf, "case_notes")
    assert [v["version"] for v in note["versions"]] == [1, 2]
    assert note["versions"][0]["facts"] == "Jordan brought a printed CV dated 2023."
    assert note["versions"][1]["facts"] == "Jordan brought a printed CV dated 2022."
    assert note["versions"][1]["amendment_reason"] == "Wrong year on the CV"
    assert note["versions"][0]["goals"] == ["Find warehouse work"]
    assert [a["description"] for a in _data(zf, "actions")] == ["Apply to the Swansea depot"]
    assert [g["description"] for g in _data(zf, "goals")] == ["Find warehouse work"]
    assert [f["flag"] for f in _data(zf, "flags")] == ["Financial hardship"]
    assert [d["description"] for d in _data(zf, "deadlines")] == ["Mandatory reconsideration"]
    assert [e["code"] for e in _data(zf, "case_events")] == ["action_added", "goal_added"]  # in time order
    assert [(a["by"], a["view"]) for a in _data(zf, "access_log")] == [("alex", "case page")]
    assert [a["what"] for a in _data(zf, "audit_events")] == [
        "Goal added",
        "Case note recorded",
        "Action agreed",
        "Case note amended",
    ]
    # Nothing about the other client
    everything = b"".join(zf.read(name) for name in zf.namelist() if name.endswith(".json"))
    assert other.client.reference.encode() not in everything
    assert note["note_id"] == history.note.pk != other.note.pk


def test_producing_the_response_is_logged_as_an_export(world, dpo, history, no_pdf):
    before = AuditEvent.objects.filter(organisation_id=world.organisation.pk).count()
    subject_access_produce(client=history.client, actor=dpo, view="subject access page")

    access = AccessEvent.objects.get(channel="export")
    assert (access.username, access.client_id, access.case_id, access.view) == (
        "dana",
        history.client.pk,
        None,
        "subject access page",
    )
    audit = AuditEvent.objects.get(action="export.subject_access")
    assert (audit.actor_username, audit.client_id, audit.object_type) == ("dana", history.client.pk, "client")
    assert audit.changes["records"]["case_notes"] == 1
    assert AuditEvent.objects.filter(organisation_id=world.organisation.pk).count() == before + 1
    assert verify_chain(world.organisation.pk) is None


def referrals_for_client(client):
    return [{"referred_to": "Citizens Advice", "client": client.reference}]


def test_a_new_source_is_one_line_in_the_registry(world, dpo, history, no_pdf, monkeypatch):
    monkeypatch.setattr(
        sar,
        "SAR_SOURCES",
        [
            *sar.SAR_SOURCES,
            sar.Source("referrals", "Referrals", "tests.governance.test_sar.referrals_for_client"),
        ],
    )
    zf, manifest = _open(subject_access_produce(client=history.client, actor=dpo, view="test"))
    assert manifest["sources"][-1] == {
        "name": "referrals",
        "title": "Referrals",
        "file": "data/referrals.json",
        "records": 1,
    }
    assert _data(zf, "referrals") == [{"referred_to": "Citizens Advice", "client": history.client.reference}]


def test_request_is_due_a_calendar_month_later_and_audited(world, dpo, history):
    request = sar_request_log(
        client=history.client, actor=dpo, requested_on=dt.date(2026, 1, 31), today=dt.date(2026, 2, 2)
    )
    assert request.due_on == dt.date(2026, 2, 28)
    assert request.client_reference == history.client.reference
    event = AuditEvent.objects.get(action="subject_access.requested")
    assert event.changes == {"requested_on": "2026-01-31", "due_on": "2026-02-28"}


def test_request_received_in_the_future_is_refused(world, dpo, history):
    with pytest.raises(ValidationError) as exc:
        sar_request_log(
            client=history.client, actor=dpo, requested_on=dt.date(2026, 3, 1), today=dt.date(2026, 2, 2)
        )
    assert list(exc.value.message_dict) == ["requested_on"]
    assert SubjectAccessRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="subject_access.requested").exists()


def test_command_writes_the_zip_and_logs_the_export(world, history, tmp_path, no_pdf):
    out = tmp_path / "response.zip"
    call_command("sar", history.client.reference, "--out", str(out))
    zf, manifest = _open(out.read_bytes())
    assert manifest["client_reference"] == history.client.reference
    assert _data(zf, "case_notes")[0]["note_id"] == history.note.pk
    audit = AuditEvent.objects.get(action="export.subject_access")
    assert audit.actor_username == CommandLineActor.current().username
    assert AccessEvent.objects.get(channel="export").view == "casework sar"


def test_command_refuses_an_unknown_reference(world, tmp_path):
    out = tmp_path / "response.zip"
    with pytest.raises(CommandError, match="No client with reference CW-0000-0000"):
        call_command("sar", "CW-0000-0000", "--out", str(out))
    assert not out.exists()
    assert not AccessEvent.objects.exists()
