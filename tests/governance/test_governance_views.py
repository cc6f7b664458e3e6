"""Data-protection pages: who may see them, access log, subject access, legal hold, disposal (PC16; K1)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.accounts.models import Role
from casework.audit.access import access_record
from casework.audit.models import AccessEvent, AuditEvent
from casework.cases.models import Case, Client, NoteVersion
from casework.cases.services import ActionInput, action_add, action_update
from casework.cases.upkeep import client_correct
from casework.governance import sar
from casework.governance.models import DisposalCertificate, SubjectAccessRequest
from casework.governance.services import sar_request_log
from tests.conftest import ROLES
from tests.factories import CaseFactory, ClientFactory, UserFactory
from tests.governance.conftest import close_years_ago


@pytest.fixture
def no_pdf(monkeypatch):
    monkeypatch.setattr(sar, "render_pdf", lambda response: b"%PDF-stub")


def _pages(world, request_id: int) -> dict[str, tuple[str, str]]:
    """Every governance page: name -> (method, url)."""
    case, client = world.case, world.case.client
    return {
        "home": ("get", reverse("governance:home")),
        "client": ("get", reverse("governance:client", args=[client.pk])),
        "erase": ("get", reverse("governance:client_erase", args=[client.pk])),
        "legal_hold": ("get", reverse("governance:legal_hold", args=[case.pk])),
        "requests": ("get", reverse("governance:requests")),
        "request": ("get", reverse("governance:request", args=[request_id])),
        "request_response": ("post", reverse("governance:request_response", args=[request_id])),
        "request_complete": ("post", reverse("governance:request_complete", args=[request_id])),
        "retention": ("get", reverse("governance:retention")),
        "certificates": ("get", reverse("governance:certificates")),
    }


# A manager may read the access log of a client they can see (to look into misuse);
# subject access, legal hold, erasure and disposal are for the data-protection officer alone.
MANAGER_PAGES = {"home", "client"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_data_protection_officer_and_managers_reach_these_pages(world, dpo, signed_in, role, no_pdf):
    request = sar_request_log(client=world.case.client, actor=dpo, requested_on=timezone.localdate())
    user = world.by_role()[role]
    browser = signed_in(user)
    audit_count, access_count = AuditEvent.objects.count(), AccessEvent.objects.count()

    for name, (method, url) in _pages(world, request.pk).items():
        response = getattr(browser, method)(url)
        expected = 200 if role == "manager" and name in MANAGER_PAGES else 404
        assert response.status_code == expected, (name, response.status_code)

    # Nothing was written by anyone turned away; a manager's view of the log is itself logged
    assert AuditEvent.objects.count() == audit_count
    assert SubjectAccessRequest.objects.get().completed_at is None
    expected_views = 1 if role == "manager" else 0
    assert AccessEvent.objects.count() == access_count + expected_views


def test_the_data_protection_officer_reaches_every_page(world, dpo, signed_in, no_pdf):
    request = sar_request_log(client=world.case.client, actor=dpo, requested_on=timezone.localdate())
    browser = signed_in(dpo)
    for name, (method, url) in _pages(world, request.pk).items():
        response = getattr(browser, method)(url)
        assert response.status_code in (200, 302), (name, response.status_code)


def test_a_data_protection_officer_elsewhere_sees_nothing_of_ours(world, signed_in):
    foreign_dpo = UserFactory(organisation=world.foreign_user.organisation, role=Role.DATA_PROTECTION)
    browser = signed_in(foreign_dpo)
    assert browser.get(reverse("governance:client", args=[world.case.client_id])).status_code == 404
    assert browser.get(reverse("governance:legal_hold", args=[world.case.pk])).status_code == 404
    response = browser.get(reverse("governance:home"), {"q": world.case.client.last_name})
    assert response.context["clients"] == []


def test_a_manager_cannot_see_the_log_of_a_client_hidden_from_them(world, signed_in):
    Case.objects.filter(pk=world.case.pk).update(is_restricted=True)
    response = signed_in(world.manager).get(reverse("governance:client", args=[world.case.client_id]))
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(view="access log page").exists()


def test_only_the_data_protection_officer_has_the_menu_link(world, dpo, signed_in):
    link = reverse("governance:home")
    assert f'href="{link}"' in signed_in(dpo).get(link).content.decode()
    assert f'href="{link}"' not in signed_in(world.manager).get(link).content.decode()
    assert (
        f'href="{link}"' not in signed_in(world.practitioner).get(reverse("cases:caseload")).content.decode()
    )


# The access log ------------------------------------------------------------------------------


def test_access_log_shows_views_newest_first_with_refusals(world, dpo, signed_in):
    client = world.case.client
    now = timezone.now()
    for minutes, user, refused in [
        (30, world.practitioner, False),
        (20, world.supervisor, False),
        (10, world.colleague, True),
    ]:
        AccessEvent.objects.create(
            organisation_id=world.organisation.pk,
            at=now - dt.timedelta(minutes=minutes),
            user_id=user.pk,
            username=user.username,
            client_id=client.pk,
            case_id=world.case.pk,
            channel="web",
            view="restricted case" if refused else "case page",
            refused=refused,
        )
    access_record(
        user=world.foreign_user, client_id=world.foreign_case.client_id, case_id=None, channel="web", view="x"
    )

    response = signed_in(dpo).get(reverse("governance:client", args=[client.pk]))

    rows = response.context["view_rows"]
    # the officer's own view of this page comes first: it is logged before the page is read
    assert [(r["event"].username, r["event"].refused) for r in rows] == [
        ("dana", False),
        (world.colleague.username, True),
        (world.supervisor.username, False),
        ("alex", False),
    ]
    assert rows[-1]["name"] == "Alex Morgan"
    html = response.content.decode()
    assert "Refused:" in html


def test_access_log_is_paginated(world, dpo, signed_in):
    AccessEvent.objects.bulk_create(
        AccessEvent(
            organisation_id=world.organisation.pk,
            at=timezone.now() - dt.timedelta(minutes=i),
            username="alex",
            client_id=world.case.client_id,
            channel="list",
            view="caseload",
        )
        for i in range(1, 61)
    )
    browser = signed_in(dpo)
    first = browser.get(reverse("governance:client", args=[world.case.client_id]))
    second = browser.get(reverse("governance:client", args=[world.case.client_id]), {"page": 2})
    assert len(first.context["view_rows"]) == 50
    assert len(second.context["view_rows"]) == 12  # 60 + two views of the page itself
    assert "Page 1 of 2" in first.content.decode()


def test_audit_events_for_the_client_are_listed(world, dpo, signed_in, history):
    response = signed_in(dpo).get(reverse("governance:client", args=[history.client.pk]))
    labels = [row["label"] for row in response.context["change_rows"]]
    assert labels == ["Case note amended", "Action agreed", "Case note recorded", "Goal added"]
    assert response.context["change_rows"][0]["detail"].startswith("Details: Facts")


def test_search_finds_by_name_or_reference_and_logs_the_results(world, dpo, signed_in):
    client = world.case.client
    other = ClientFactory(organisation=world.organisation, first_name="Zed", last_name="Quinn")
    browser = signed_in(dpo)

    by_name = browser.get(reverse("governance:home"), {"q": f"{client.first_name} {client.last_name}"})
    by_ref = browser.get(reverse("governance:home"), {"q": client.reference.lower()})

    assert by_name.context["clients"] == [client]
    assert by_ref.context["clients"] == [client]
    logged = AccessEvent.objects.filter(channel="list", view="governance client search")
    assert [(e.username, e.client_id) for e in logged] == [("dana", client.pk), ("dana", client.pk)]
    assert not AccessEvent.objects.filter(client_id=other.pk).exists()


def test_a_managers_search_leaves_out_clients_hidden_from_them(world, signed_in):
    hidden = CaseFactory(owner=world.practitioner, is_restricted=True).client
    response = signed_in(world.manager).get(reverse("governance:home"), {"q": hidden.last_name})
    assert hidden not in response.context["clients"]


# Subject access -------------------------------------------------------------------------------


def test_logging_a_request_sets_the_due_date(world, dpo, signed_in):
    response = signed_in(dpo).post(
        reverse("governance:requests"),
        {
            "reference": world.case.client.reference.lower(),
            "requested_on": "2026-01-31",
            "notes": "By letter",
        },
    )
    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:request", args=[request.pk])
    assert (request.client, request.due_on, request.handled_by, request.notes) == (
        world.case.client,
        dt.date(2026, 2, 28),
        dpo,
        "By letter",
    )


def test_a_request_for_an_unknown_reference_is_refused(world, dpo, signed_in):
    response = signed_in(dpo).post(
        reverse("governance:requests"), {"reference": "CW-0000-0000", "requested_on": "2026-01-31"}
    )
    assert response.status_code == 400
    assert "No client has this reference" in response.content.decode()
    assert SubjectAccessRequest.objects.count() == 0


def test_a_foreign_client_reference_is_not_found(world, dpo, signed_in):
    response = signed_in(dpo).post(
        reverse("governance:requests"),
        {"reference": world.foreign_case.client.reference, "requested_on": "2026-01-31"},
    )
    assert response.status_code == 400
    assert SubjectAccessRequest.objects.count() == 0


def test_outstanding_requests_are_listed_by_due_date_with_overdue_ones_marked(world, dpo, signed_in):
    today = timezone.localdate()
    late = sar_request_log(client=world.case.client, actor=dpo, requested_on=today - dt.timedelta(days=40))
    fresh = sar_request_log(client=world.case.client, actor=dpo, requested_on=today)
    response = signed_in(dpo).get(reverse("governance:requests"))
    assert response.context["outstanding"] == [late, fresh]
    html = response.content.decode()
    assert html.count('class="overdue-row"') == 1
    assert html.count("badge--overdue") == 1


def test_downloading_the_response_gives_the_zip_and_logs_it(world, dpo, signed_in, history, no_pdf):
    request = sar_request_log(client=history.client, actor=dpo, requested_on=timezone.localdate())
    response = signed_in(dpo).post(reverse("governance:request_response", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="subject-access-{history.client.reference}-'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["due_on"] == request.due_on.isoformat()
    assert (
        AccessEvent.objects.filter(channel="export", view="subject access page", username="dana").count() == 1
    )
    assert AuditEvent.objects.get(action="export.subject_access").changes["request"] == request.pk


def test_a_request_is_marked_answered(world, dpo, signed_in):
    request = sar_request_log(client=world.case.client, actor=dpo, requested_on=timezone.localdate())
    response = signed_in(dpo).post(reverse("governance:request_complete", args=[request.pk]))
    request.refresh_from_db()
    assert response.status_code == 302
    assert request.completed_at is not None
    assert (
        AuditEvent.objects.filter(action="subject_access.completed", object_id=str(request.pk)).count() == 1
    )


# Legal hold, disposal and erasure -----------------------------------------------------------


def test_legal_hold_is_set_from_its_page(world, dpo, signed_in):
    url = reverse("governance:legal_hold", args=[world.case.pk])
    response = signed_in(dpo).post(url, {"held": "1", "reason": "Tribunal claim", "version": "1"})
    world.case.refresh_from_db()
    assert response.status_code == 302
    assert world.case.legal_hold is True
    assert AuditEvent.objects.get(action="legal_hold.changed").changes == {
        "legal_hold": [False, True],
        "reason": "Tribunal claim",
    }
    page = signed_in(dpo).get(reverse("governance:client", args=[world.case.client_id]))
    assert "On legal hold</strong>: Tribunal claim" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held": "1", "reason": "", "version": "1"}, "Give the reason."),
        ({"held": "1", "reason": "Claim", "version": "5"}, "Someone else changed this case"),
    ],
)
def test_legal_hold_without_a_reason_or_from_a_stale_page_is_refused(world, dpo, signed_in, data, message):
    response = signed_in(dpo).post(reverse("governance:legal_hold", args=[world.case.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.legal_hold is False
    assert not AuditEvent.objects.filter(action="legal_hold.changed").exists()


def test_disposal_needs_confirmation(world, dpo, signed_in, history):
    case = close_years_ago(history.case, 7)
    browser = signed_in(dpo)
    page = browser.get(reverse("governance:retention"))
    assert [row.case for row in page.context["due"]] == [case]
    assert page.context["form"].initial["case_ids"] == str(case.pk)

    response = browser.post(
        reverse("governance:retention"), {"case_ids": str(case.pk), "reason": "Retention period ended"}
    )

    assert response.status_code == 400
    assert "Confirm that you have checked the list." in response.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()
    assert DisposalCertificate.objects.count() == 0


def test_disposal_from_the_page_deletes_and_shows_the_certificate(world, dpo, signed_in, history):
    case = close_years_ago(history.case, 7)
    reference = history.client.reference
    browser = signed_in(dpo)

    response = browser.post(
        reverse("governance:retention"),
        {"case_ids": str(case.pk), "reason": "Retention period ended", "confirm": "on"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("governance:certificates"), 302)]
    assert not Client.objects.filter(pk=history.client.pk).exists()
    assert NoteVersion.objects.count() == 0
    (certificate,) = response.context["certificates"]
    assert (certificate.case_id, certificate.client_reference, certificate.disposed_by) == (
        case.pk,
        reference,
        "dana",
    )
    assert "Disposed of 1 case(s) and 1 client record(s)." in response.content.decode()


def test_erasure_is_refused_on_legal_hold_then_done_once_lifted(world, dpo, signed_in, history):
    Case.objects.filter(pk=history.case.pk).update(legal_hold=True)
    browser = signed_in(dpo)
    url = reverse("governance:client_erase", args=[history.client.pk])
    data = {"reason": "Client asked on the phone; identity checked", "confirm": "on"}

    refused = browser.post(url, data)

    assert refused.status_code == 400
    assert "cannot be erased while a case is on legal hold" in refused.content.decode()
    assert Client.objects.filter(pk=history.client.pk).exists()

    Case.objects.filter(pk=history.case.pk).update(legal_hold=False)
    done = browser.post(url, data)

    assert done.status_code == 302
    assert not Client.objects.filter(pk=history.client.pk).exists()
    assert DisposalCertificate.objects.get().kind == "erasure"


def test_a_broad_search_shows_the_first_fifty_and_says_so(world, dpo, signed_in):
    Client.objects.bulk_create(
        Client(
            organisation=world.organisation, reference=f"CW-TEST-{i:04d}", first_name="Sam", last_name="Jones"
        )
        for i in range(55)
    )
    response = signed_in(dpo).get(reverse("governance:home"), {"q": "Jones"})
    assert len(response.context["clients"]) == 50
    assert "Showing the first 50 matches." in response.content.decode()
    assert AccessEvent.objects.filter(channel="list").count() == 50


def test_the_request_form_starts_at_today_for_the_chosen_client(world, dpo, signed_in):
    ref = world.case.client.reference
    response = signed_in(dpo).get(reverse("governance:requests"), {"ref": ref})
    html = response.content.decode()
    assert f'value="{ref}"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_erasing_is_a_warning_button_and_is_not_offered_on_legal_hold(world, dpo, signed_in):
    """Issue 9, D18/D19: a destructive action looks like one, and is not offered when it is refused."""
    client = signed_in(dpo)
    url = f"/governance/clients/{world.case.client_id}/erase"

    free = client.get(url).content.decode()
    world.case.legal_hold = True
    world.case.save(update_fields=["legal_hold"])
    held = client.get(url).content.decode()
    page = client.get(f"/governance/clients/{world.case.client_id}/").content.decode()

    assert 'class="button button--warning">Erase the record' in free
    assert "Erase the record</button>" not in held
    assert "cannot be erased while a case is on legal hold" in held
    assert "<strong>On legal hold</strong>" in page


def test_changes_to_the_record_read_as_labels_names_and_dates(world, dpo, signed_in):
    """Issue 9, D7: no "status: ['open', 'done']", "assigned to: 1" or ISO timestamps."""
    action = action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Ring the council",
            due_on=timezone.localdate() + dt.timedelta(days=2),
            assigned_to=world.practitioner,
        ),
    )
    action_update(action=action, actor=world.practitioner, status="done", assigned_to=world.supervisor)
    response = signed_in(dpo).get(f"/governance/clients/{world.case.client_id}/")
    changes = " | ".join(row["detail"] for row in response.context["change_rows"])
    assert "Status: Open \u2192 Done" in changes
    assert f"Assigned to: Alex Morgan \u2192 {world.supervisor.display_name}" in changes
    assert "[&#x27;open&#x27;" not in changes and "assigned to: 1" not in changes
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", changes)


def test_the_dpo_sees_each_correction_with_the_details_before_and_after(world, dpo, signed_in):
    client = world.case.client
    client_correct(
        client=client,
        actor=world.practitioner,
        values={"address": "3 Quay Street, Caernarfon LL55 2EE"},
        reason="Client moved to a new flat",
        expected_version=client.version,
    )
    page = signed_in(dpo).get(f"/governance/clients/{client.pk}/").content.decode()
    assert "Corrections to the client's details" in page
    assert "3 Quay Street, Caernarfon LL55 2EE" in page and "Client moved to a new flat" in page
