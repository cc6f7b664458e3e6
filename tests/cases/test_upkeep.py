"""Keeping a case up to date (issue 9, scope 3 and 5): client corrections, case details,
reallocation, closing with outcomes and reopening, on the pages and in the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases import upkeep
from casework.cases.models import (
    Action,
    ActionStatus,
    CaseClosure,
    CaseEvent,
    CaseOutcome,
    ClientCorrection,
)
from casework.cases.services import ActionInput, action_add
from casework.locking import StaleRecordError
from casework.priorities.models import Notification, NotificationKind
from tests.conftest import CAN_WRITE, ROLES

pytestmark = pytest.mark.django_db


def _url(world, page):
    return f"/cases/{world.case.pk}/{page}"


# Client corrections ---------------------------------------------------------------------


def test_correcting_a_client_keeps_the_old_value_out_of_the_audit_trail(world):
    client = world.case.client
    old_last = client.last_name
    correction = upkeep.client_correct(
        client=client,
        actor=world.practitioner,
        values={"last_name": "Okafor-Hughes", "phone": "07700 900987"},
        reason="Client married and gave a new number",
        expected_version=client.version,
        case=world.case,
    )

    client.refresh_from_db()
    assert (client.last_name, client.phone, client.version) == ("Okafor-Hughes", "07700 900987", 2)
    assert correction.before["last_name"] == old_last
    event = AuditEvent.objects.get(action="client.updated")
    assert event.changes == {"fields": ["last_name", "phone"], "correction_id": correction.pk}
    assert old_last not in str(event.changes)
    assert CaseEvent.objects.filter(case=world.case, code="client_corrected").exists()
    assert verify_chain(world.organisation.pk) is None


def test_a_correction_needs_a_reason_and_valid_values_and_writes_nothing_without(world):
    client = world.case.client
    with pytest.raises(ValidationError) as caught:
        upkeep.client_correct(
            client=client,
            actor=world.practitioner,
            values={
                "first_name": "",
                "email": "not an address",
                "date_of_birth": timezone.localdate() + timedelta(1),
            },
            reason="",
            expected_version=client.version,
        )
    assert set(caught.value.message_dict) == {"first_name", "email", "date_of_birth", "reason"}
    assert not ClientCorrection.objects.exists()
    client.refresh_from_db()
    assert client.version == 1


def test_a_correction_from_an_older_copy_is_refused(world):
    client = world.case.client
    upkeep.client_correct(
        client=client,
        actor=world.practitioner,
        values={"phone": "0161 496 0000"},
        reason="New number",
        expected_version=1,
    )
    with pytest.raises(StaleRecordError):
        upkeep.client_correct(
            client=client,
            actor=world.supervisor,
            values={"phone": "0161 496 0999"},
            reason="Other number",
            expected_version=1,
        )
    client.refresh_from_db()
    assert client.phone == "0161 496 0000"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_correct_a_client(world, signed_in, role):
    user = world.by_role()[role]
    response = signed_in(user).get(_url(world, "client"))
    expected = 200 if role in CAN_WRITE else 403 if role == "manager" else 404
    assert response.status_code == expected


def test_the_correction_page_saves_and_lists_the_earlier_values(world, signed_in):
    browser = signed_in(world.practitioner)
    client = world.case.client
    old_address = client.address or "empty"
    response = browser.post(
        _url(world, "client"),
        {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "address": "14 Bridge Street, Wrexham LL11 1AA",
            "reason": "Client moved house",
            "version": client.version,
        },
    )
    assert response.status_code == 302
    page = browser.get(_url(world, "client")).content.decode()
    assert "Client moved house" in page
    assert (old_address if old_address != "empty" else "empty") in page


def test_the_correction_page_shows_field_errors_and_keeps_what_was_typed(world, signed_in):
    response = signed_in(world.practitioner).post(
        _url(world, "client"),
        {"first_name": "", "last_name": "Jones", "email": "nope", "reason": "", "version": 1},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the client&#x27;s first name." in page
    assert "Give an email address in the form name@example.com." in page
    assert 'value="Jones"' in page


# Case details -----------------------------------------------------------------------------


def test_changing_case_details_is_recorded_without_the_free_text(world):
    case = world.case
    changed = upkeep.case_update(
        case=case,
        actor=world.practitioner,
        values={
            "required_outcomes": "Find paid work\nSort out the rent arrears",
            "complexity": 3,
            "contact_interval_days": 7,
            "next_review_on": timezone.localdate() + timedelta(days=30),
        },
        expected_version=case.version,
    )
    assert changed == ["complexity", "contact_interval_days", "next_review_on", "required_outcomes"]
    event = AuditEvent.objects.get(action="case.updated")
    assert "rent arrears" not in str(event.changes)
    case.refresh_from_db()
    assert (case.complexity, case.contact_interval_days) == (3, 7)


def test_restricting_a_case_always_names_its_owner_and_refuses_colleagues(world):
    case = world.case
    upkeep.case_update(
        case=case,
        actor=world.practitioner,
        values={"is_restricted": True, "restricted_to": [world.supervisor]},
        expected_version=case.version,
    )
    assert set(case.restricted_to.all()) == {world.practitioner, world.supervisor}
    with pytest.raises(ValidationError) as caught:
        upkeep.case_update(
            case=case,
            actor=world.practitioner,
            values={"restricted_to": [world.colleague]},
            expected_version=case.version,
        )
    assert "restricted_to" in caught.value.message_dict


def test_the_next_review_cannot_move_into_the_past(world):
    with pytest.raises(ValidationError) as caught:
        upkeep.case_update(
            case=world.case,
            actor=world.practitioner,
            values={"next_review_on": timezone.localdate() - timedelta(days=1)},
            expected_version=world.case.version,
        )
    assert "next_review_on" in caught.value.message_dict


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_case_details(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get(_url(world, "details"))
    assert response.status_code == (200 if role in CAN_WRITE else 403 if role == "manager" else 404)


def test_the_details_page_refuses_a_stale_save_with_409(world, signed_in):
    browser = signed_in(world.practitioner)
    data = {"required_outcomes": "Find work", "complexity": 2, "version": world.case.version}
    assert browser.post(_url(world, "details"), data).status_code == 302
    response = browser.post(_url(world, "details"), {**data, "required_outcomes": "Other"})
    assert response.status_code == 409
    world.case.refresh_from_db()
    assert world.case.required_outcomes == "Find work"


# Reallocation -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_reallocate(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get(_url(world, "reallocate"))
    if role in ("supervisor", "manager"):
        assert response.status_code == 200
    elif role == "owner":
        assert response.status_code == 403
    else:
        assert response.status_code == 404


def test_reallocating_moves_the_case_its_open_actions_and_tells_the_new_owner(world, signed_in):
    action = action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Ring the job centre",
            due_on=timezone.localdate() + timedelta(3),
            assigned_to=world.practitioner,
        ),
    )
    browser = signed_in(world.supervisor)
    response = browser.post(
        _url(world, "reallocate"),
        {
            "new_owner": world.colleague.pk,
            "reason": "Alex is on long-term leave",
            "version": world.case.version,
        },
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.owner == world.colleague
    action.refresh_from_db()
    assert action.assigned_to == world.colleague
    told = Notification.objects.get(recipient=world.colleague, kind=NotificationKind.REALLOCATED)
    assert world.case.client.reference in told.title
    event = CaseEvent.objects.get(case=world.case, code="case_reallocated")
    assert "Alex is on long-term leave" in event.summary
    # Access follows the case: the old owner no longer sees it, the new owner does.
    assert signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").status_code == 404
    assert signed_in(world.colleague).get(f"/cases/{world.case.pk}/").status_code == 200


def test_a_supervisor_cannot_give_a_case_outside_their_teams(world, signed_in):
    response = signed_in(world.supervisor).post(
        _url(world, "reallocate"),
        {"new_owner": world.other_practitioner.pk, "reason": "Try", "version": world.case.version},
    )
    assert response.status_code == 400
    world.case.refresh_from_db()
    assert world.case.owner == world.practitioner


def test_reallocating_a_restricted_case_opens_it_to_the_new_owner(world):
    upkeep.case_update(
        case=world.case, actor=world.practitioner, values={"is_restricted": True}, expected_version=1
    )
    upkeep.case_reallocate(
        case=world.case,
        actor=world.manager,
        new_owner=world.colleague,
        reason="Caseload balance",
        expected_version=world.case.version,
    )
    assert set(world.case.restricted_to.all()) == {world.colleague}


# Closing and reopening ---------------------------------------------------------------------


def _with_outcomes(world):
    upkeep.case_update(
        case=world.case,
        actor=world.practitioner,
        values={"required_outcomes": "Find paid work\n- Get a CSCS card"},
        expected_version=world.case.version,
    )


def test_closing_asks_for_every_outcome_and_why_not(world, signed_in):
    _with_outcomes(world)
    browser = signed_in(world.practitioner)
    response = browser.post(
        _url(world, "close"),
        {
            "outcome_0": "achieved",
            "outcome_1": "partly",
            "why_1": "",
            "reason": "",
            "version": world.case.version,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why “Get a CSCS card” was not fully achieved." in page
    assert "Say why the case is closing." in page
    assert not CaseClosure.objects.exists()


def test_closing_records_outcomes_and_handles_open_actions_and_reopening_keeps_them(world, signed_in):
    _with_outcomes(world)
    action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Send the CV",
            due_on=timezone.localdate() + timedelta(2),
            assigned_to=world.practitioner,
        ),
    )
    browser = signed_in(world.practitioner)
    form = {
        "outcome_0": "achieved",
        "outcome_1": "not_achieved",
        "why_1": "Course cancelled",
        "reason": "Client started work at the depot",
        "version": world.case.version,
    }
    missing_choice = browser.post(_url(world, "close"), form)
    assert missing_choice.status_code == 400
    assert "Say what happens to the 1 open action(s)." in missing_choice.content.decode()

    response = browser.post(_url(world, "close"), {**form, "open_actions": "withdraw"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == "closed"
    assert sorted(CaseOutcome.objects.values_list("result", flat=True)) == ["achieved", "not_achieved"]
    assert Action.objects.get(case=world.case).status == ActionStatus.CANCELLED
    page = browser.get(f"/cases/{world.case.pk}/").content.decode()
    assert "Get a CSCS card: <strong>not achieved</strong> \u2013 Course cancelled" in page

    reopened = browser.post(
        _url(world, "status"), {"status": "open", "reason": "Lost the job", "version": world.case.version}
    )
    assert reopened.status_code == 302
    closure = CaseClosure.objects.get()
    assert closure.reopened_by == world.practitioner
    assert CaseOutcome.objects.count() == 2
    assert "reopened on" in browser.get(f"/cases/{world.case.pk}/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_close(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get(_url(world, "close"))
    assert response.status_code == (200 if role in CAN_WRITE else 403 if role == "manager" else 404)


def test_every_new_page_logs_the_access_and_nothing_else(world, signed_in):
    browser = signed_in(world.supervisor)
    for page in ("client", "details", "reallocate", "close"):
        before_audit = AuditEvent.objects.count()
        before = AccessEvent.objects.count()
        assert browser.get(_url(world, page)).status_code == 200
        assert AccessEvent.objects.count() == before + 1
        assert AuditEvent.objects.count() == before_audit
