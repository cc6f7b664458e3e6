"""Retention and disposal: what is past retention, legal hold, disposal, erasure, the access log (K1)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases.models import (
    Action,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseType,
    Client,
    ClientContact,
    Deadline,
    Goal,
    NoteVersion,
)
from casework.governance import retention
from casework.governance.models import DisposalCertificate
from casework.governance.services import (
    CommandLineActor,
    case_dispose,
    cases_dispose,
    client_erase,
    legal_hold_set,
    sar_request_log,
)
from casework.locking import StaleRecordError
from tests.factories import CaseFactory
from tests.governance.conftest import build_history, close_years_ago

CASE_DATA = [Action, CaseNote, NoteVersion, Goal, CaseFlag, Deadline, CaseEvent]


def rows_referencing(model, pk: int) -> dict[str, int]:
    """Rows in any table (through tables too) whose foreign key points at ``model`` row ``pk``."""
    found = {}
    for candidate in apps.get_models(include_auto_created=True):
        for field in candidate._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                count = candidate._default_manager.filter(**{field.attname: pk}).count()
                if count:
                    found[f"{candidate._meta.label}.{field.name}"] = count
    return found


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2019, 6, 30), 6, dt.date(2025, 6, 30)),
        (dt.date(2020, 2, 29), 6, dt.date(2026, 3, 1)),
        (dt.date(2020, 2, 29), 4, dt.date(2024, 2, 29)),
    ],
)
def test_add_years_never_ends_retention_early(day, years, expected):
    assert retention.add_years(day, years) == expected


def test_case_is_past_retention_from_the_anniversary_of_closure(world):
    case = close_years_ago(world.case, 6)
    assert retention.retention_ends_on(case) == timezone.localdate()
    assert retention.is_past_retention(case) is True
    assert retention.is_past_retention(case, today=timezone.localdate() - dt.timedelta(days=1)) is False
    assert retention.retention_rule(case.case_type) == "Employment support: 6 years after closure"


def test_report_splits_due_and_held_and_follows_each_case_type(world):
    # Given: one case past retention, one a day short, one held, one open, one of a 2-year type
    due = close_years_ago(world.case, 6, days=1)
    short = close_years_ago(CaseFactory(owner=world.practitioner), 6, days=-1)
    held = close_years_ago(CaseFactory(owner=world.practitioner), 8)
    Case.objects.filter(pk=held.pk).update(legal_hold=True)
    CaseFactory(owner=world.practitioner)
    brief = CaseType.objects.create(
        organisation=world.organisation, code="drop-in", name="Drop-in", retention_years=2
    )
    quick = close_years_ago(CaseFactory(owner=world.practitioner, case_type=brief), 2)
    close_years_ago(CaseFactory(owner=world.practitioner, case_type=brief), 1)
    foreign = close_years_ago(world.foreign_case, 10)

    report = retention.retention_report(world.organisation.pk)

    assert [(row.case.pk, row.rule) for row in report["due"]] == [
        (due.pk, "Employment support: 6 years after closure"),
        (quick.pk, "Drop-in: 2 years after closure"),
    ]
    assert [row.case.pk for row in report["held"]] == [held.pk]
    assert short.pk not in {row.case.pk for row in report["due"]}
    assert foreign.pk not in set(
        retention.cases_past_retention(world.organisation.pk).values_list("pk", flat=True)
    )


def test_a_client_is_due_only_when_every_case_is(world):
    first = close_years_ago(world.case, 7)
    second = CaseFactory(owner=world.practitioner, client=first.client)
    assert list(retention.clients_due_for_disposal(world.organisation.pk)) == []
    close_years_ago(second, 7)
    assert list(retention.clients_due_for_disposal(world.organisation.pk)) == [first.client]


# Disposal ------------------------------------------------------------------------------------


def test_disposal_removes_every_trace_of_the_client_and_keeps_a_certificate(world, dpo, history):
    # Given a client with a full history, closed seven years ago, and an open request
    request = sar_request_log(
        client=history.client, actor=dpo, requested_on=timezone.localdate(), notes="By email"
    )
    case = close_years_ago(history.case, 7)
    client_id, case_id, reference = history.client.pk, case.pk, history.client.reference
    audit_before = AuditEvent.objects.filter(client_id=client_id).count()
    assert rows_referencing(Client, client_id) == {
        "cases.ClientContact.client": 1,
        "cases.Case.client": 1,
        "governance.SubjectAccessRequest.client": 1,
    }

    # When the data-protection officer disposes of it
    certificate = case_dispose(case=case, actor=dpo, reason="Retention period ended")

    # Then no row anywhere points at the client or the case
    assert rows_referencing(Client, client_id) == {}
    assert rows_referencing(Case, case_id) == {}
    for model in CASE_DATA:
        assert model.objects.filter(organisation_id=world.organisation.pk).count() == 0, model
    assert not Client.objects.filter(pk=client_id).exists()
    assert not ClientContact.objects.exists()
    # the certificate says what went, when, by whom and under which rule, and holds no name
    certificate.refresh_from_db()
    assert (
        certificate.kind,
        certificate.case_id,
        certificate.client_reference,
        certificate.case_type,
        certificate.closed_on,
        certificate.client_record_removed,
        certificate.disposed_by,
        certificate.rule,
        certificate.reason,
    ) == (
        "retention",
        case_id,
        reference,
        "Employment support",
        case.closed_on,
        True,
        "dana",
        "Employment support: 6 years after closure",
        "Retention period ended",
    )
    # the request stays as proof it was answered, by reference only
    request.refresh_from_db()
    assert (request.client_id, request.client_reference, request.notes) == (None, reference, "")
    # the audit trail keeps its events, adds the disposal, and still verifies
    disposed = AuditEvent.objects.filter(action="record.disposed").order_by("sequence")
    assert [(e.object_type, e.object_id, e.changes["certificate"]) for e in disposed] == [
        ("case", str(case_id), certificate.pk),
        ("client", str(client_id), certificate.pk),
    ]
    assert AuditEvent.objects.filter(client_id=client_id).count() == audit_before + 2
    assert verify_chain(world.organisation.pk) is None
    # the other organisation is untouched
    assert Case.objects.filter(pk=world.foreign_case.pk).exists()


def test_a_client_with_another_case_keeps_their_details(world, dpo, history):
    old = close_years_ago(history.case, 7)
    current = CaseFactory(owner=world.practitioner, client=history.client)

    certificate = case_dispose(case=old, actor=dpo, reason="Retention period ended")

    assert certificate.client_record_removed is False
    assert Client.objects.filter(pk=history.client.pk).exists()
    assert ClientContact.objects.filter(client=history.client).count() == 1
    assert list(Case.objects.filter(client=history.client)) == [current]
    assert AuditEvent.objects.filter(action="record.disposed").count() == 1


def test_legal_hold_stops_disposal_and_nothing_is_written(world, dpo, history):
    case = close_years_ago(history.case, 7)
    legal_hold_set(case=case, actor=dpo, held=True, reason="Employment tribunal claim")
    audit_count = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        case_dispose(case=case, actor=dpo, reason="Retention period ended")
    run = cases_dispose(organisation_id=world.organisation.pk, actor=dpo, reason="Retention period ended")

    assert list(exc.value.message_dict) == ["legal_hold"]
    assert (run.certificates, run.skipped) == ([], [])
    assert Case.objects.filter(pk=case.pk).exists()
    assert NoteVersion.objects.filter(note__case=case).count() == 2
    assert DisposalCertificate.objects.count() == 0
    assert AuditEvent.objects.count() == audit_count


def test_a_case_within_retention_is_not_disposed_of(world, dpo, history):
    case = close_years_ago(history.case, 5)
    with pytest.raises(ValidationError) as exc:
        case_dispose(case=case, actor=dpo, reason="Tidying up")
    assert list(exc.value.message_dict) == ["retention"]
    assert Case.objects.filter(pk=case.pk).exists()
    assert DisposalCertificate.objects.count() == 0


def test_a_disposal_run_takes_only_the_confirmed_cases(world, dpo):
    first = close_years_ago(world.case, 7)
    second = close_years_ago(CaseFactory(owner=world.practitioner), 9)

    run = cases_dispose(
        organisation_id=world.organisation.pk,
        actor=dpo,
        reason="Retention period ended",
        case_ids=[first.pk, 999],
    )

    assert [c.case_id for c in run.certificates] == [first.pk]
    assert run.skipped == [(999, "No longer due for disposal.")]
    assert Case.objects.filter(pk=second.pk).exists()


# Legal hold ----------------------------------------------------------------------------------


def test_legal_hold_is_set_and_lifted_with_a_reason_on_the_audit_trail(world, dpo):
    case = world.case
    legal_hold_set(case=case, actor=dpo, held=True, reason="Insurance claim", expected_version=1)
    legal_hold_set(case=case, actor=dpo, held=False, reason="Claim settled", expected_version=2)

    case.refresh_from_db()
    assert (case.legal_hold, case.version) == (False, 3)
    events = AuditEvent.objects.filter(action="legal_hold.changed").order_by("sequence")
    assert [e.changes for e in events] == [
        {"legal_hold": [False, True], "reason": "Insurance claim"},
        {"legal_hold": [True, False], "reason": "Claim settled"},
    ]
    assert all(e.actor_username == "dana" and e.case_id == case.pk for e in events)


def test_legal_hold_needs_a_reason_and_a_fresh_copy(world, dpo):
    with pytest.raises(ValidationError) as exc:
        legal_hold_set(case=world.case, actor=dpo, held=True, reason="  ")
    assert list(exc.value.message_dict) == ["reason"]
    with pytest.raises(StaleRecordError):
        legal_hold_set(case=world.case, actor=dpo, held=True, reason="Claim", expected_version=7)
    world.case.refresh_from_db()
    assert world.case.legal_hold is False
    assert not AuditEvent.objects.filter(action="legal_hold.changed").exists()


# Erasure -------------------------------------------------------------------------------------


def test_erasure_on_request_removes_open_and_closed_cases(world, dpo, history):
    second = build_history(world, CaseFactory(owner=world.practitioner, client=history.client)).case
    client_id = history.client.pk

    certificates = client_erase(
        client=history.client, actor=dpo, reason="Client asked us to erase their record"
    )

    assert [(c.kind, c.case_id, c.rule) for c in certificates] == [
        ("erasure", history.case.pk, "Erasure on request (UK GDPR Article 17)"),
        ("erasure", second.pk, "Erasure on request (UK GDPR Article 17)"),
    ]
    assert [c.client_record_removed for c in certificates] == [False, True]
    assert rows_referencing(Client, client_id) == {}
    assert list(AuditEvent.objects.filter(action="record.erased").values_list("object_type", flat=True)) == [
        "case",
        "case",
        "client",
    ]
    assert verify_chain(world.organisation.pk) is None


def test_erasure_is_refused_while_any_case_is_on_hold(world, dpo, history):
    other = CaseFactory(owner=world.practitioner, client=history.client)
    Case.objects.filter(pk=other.pk).update(legal_hold=True)
    audit_count = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        client_erase(client=history.client, actor=dpo, reason="Client asked")

    assert exc.value.message_dict["legal_hold"] == [
        f"The client's record cannot be erased while a case is on legal hold (case {other.pk})."
    ]
    assert Case.objects.filter(client=history.client).count() == 2
    assert NoteVersion.objects.count() == 2
    assert DisposalCertificate.objects.count() == 0
    assert AuditEvent.objects.count() == audit_count


def test_erasure_needs_a_reason(world, dpo, history):
    with pytest.raises(ValidationError) as exc:
        client_erase(client=history.client, actor=dpo, reason="")
    assert list(exc.value.message_dict) == ["reason"]
    assert Client.objects.filter(pk=history.client.pk).exists()


# Commands ------------------------------------------------------------------------------------


def test_dispose_dry_run_lists_and_deletes_nothing(world, history):
    case = close_years_ago(history.case, 7)
    out = StringIO()
    call_command("dispose", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"case {case.pk} ({history.client.reference})" in text
    assert "(the client's record goes too)" in text
    assert text.rstrip().endswith("Dry run: nothing was deleted. 1 case(s) would be disposed of.")
    assert Case.objects.filter(pk=case.pk).exists()
    assert DisposalCertificate.objects.count() == 0


def test_dispose_command_disposes_and_reports(world, history):
    case = close_years_ago(history.case, 7)
    held = close_years_ago(CaseFactory(owner=world.practitioner), 7)
    Case.objects.filter(pk=held.pk).update(legal_hold=True)
    out = StringIO()

    call_command("dispose", stdout=out)

    certificate = DisposalCertificate.objects.get()
    assert (certificate.case_id, certificate.disposed_by) == (case.pk, CommandLineActor.current().username)
    assert f"1 case(s) past retention kept on legal hold: {held.pk}" in out.getvalue()
    assert "disposed of 1 case(s) and 1 client record(s)" in out.getvalue()
    assert Case.objects.filter(pk=held.pk).exists()
    assert verify_chain(world.organisation.pk) is None


def test_prune_access_log_deletes_only_events_past_the_retention_period(world, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (31, 45, 29, 0):
        AccessEvent.objects.create(
            organisation_id=world.organisation.pk,
            at=now - dt.timedelta(days=days),
            username="alex",
            client_id=world.case.client_id,
            channel="web",
            view="case page",
        )
    out = StringIO()
    call_command("prune_access_log", "--dry-run", stdout=out)
    assert "Dry run: 2 access event(s)" in out.getvalue()
    assert AccessEvent.objects.count() == 4

    out = StringIO()
    call_command("prune_access_log", stdout=out)

    assert out.getvalue().startswith("Deleted 2 access event(s) recorded before ")
    assert "(older than 30 days)" in out.getvalue()
    assert sorted((now - e.at).days for e in AccessEvent.objects.all()) == [0, 29]


def test_access_log_is_kept_two_years_by_default(world, settings):
    del settings.ACCESS_LOG_RETENTION_DAYS
    AccessEvent.objects.create(
        organisation_id=world.organisation.pk,
        at=timezone.now() - dt.timedelta(days=729),
        client_id=world.case.client_id,
        channel="web",
        view="case page",
    )
    out = StringIO()
    call_command("prune_access_log", stdout=out)
    assert "Deleted 0 access event(s)" in out.getvalue()
    assert "(older than 730 days)" in out.getvalue()
    assert AccessEvent.objects.count() == 1
