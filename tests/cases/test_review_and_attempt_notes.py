"""Reviews and contact that keep the clock honest (issue 9, scope 6; PC13, PC14).

A case review note sets the case's next review date and clears "case review overdue"; an
attempt (no answer, a letter with no reply) is recorded and shown but is not contact made."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from casework.accounts.models import ApiToken
from casework.cases.models import Case
from casework.cases.services import note_record
from casework.priorities.models import CaseAssessment
from casework.priorities.services import cases_reassess
from tests.factories import contact_type

REVIEW = {
    "facts": "Reviewed the plan.",
    "assessment": "On track.",
    "decisions": "Carry on.",
    "follow_up": "June.",
}


# When the review happened, and its date where the service is (an hour ago may be yesterday).
REVIEWED_AT = timezone.now() - dt.timedelta(hours=1)


def _reviewed_on() -> dt.date:
    return timezone.localtime(REVIEWED_AT).date()


def _review(world, **kwargs):
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "case_review"),
        occurred_at=REVIEWED_AT,
        sections=REVIEW,
        **kwargs,
    )


def test_a_case_review_note_sets_the_next_review_and_clears_review_overdue(world):
    Case.objects.filter(pk=world.case.pk).update(next_review_on=timezone.localdate() - dt.timedelta(days=5))
    world.case.refresh_from_db()
    cases_reassess(case_ids=[world.case.pk])
    assert "review" in CaseAssessment.objects.get(case=world.case).past_time_scale

    _review(world)

    world.case.refresh_from_db()
    interval = world.organisation.case_review_interval_days
    assert world.case.next_review_on == _reviewed_on() + dt.timedelta(days=interval)
    assert "review" not in CaseAssessment.objects.get(case=world.case).past_time_scale


def test_the_next_review_can_be_chosen_on_the_note(world):
    chosen = _reviewed_on() + dt.timedelta(days=14)

    _review(world, next_review_on=chosen)

    world.case.refresh_from_db()
    assert world.case.next_review_on == chosen


@pytest.mark.parametrize("days", [0, -3])
def test_a_next_review_not_after_the_review_is_refused(world, days):
    with pytest.raises(ValidationError) as caught:
        _review(world, next_review_on=_reviewed_on() + dt.timedelta(days=days))

    assert "next_review_on" in caught.value.message_dict
    world.case.refresh_from_db()
    assert world.case.next_review_on is None


def test_only_a_case_review_note_sets_the_next_review(world):
    with pytest.raises(ValidationError) as caught:
        note_record(
            case=world.case,
            author=world.practitioner,
            contact_type=contact_type(world.organisation, "phone"),
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            sections={"facts": "Rang.", "follow_up": "Friday."},
            next_review_on=timezone.localdate() + dt.timedelta(days=10),
        )

    assert "case review" in caught.value.message_dict["next_review_on"][0]


@pytest.mark.parametrize(("code", "counts"), [("no_answer", False), ("letter_sent", False), ("phone", True)])
def test_an_attempt_is_recorded_but_is_not_contact_made(world, code, counts):
    before = world.case.last_contact_at
    when = timezone.now() - dt.timedelta(hours=1)

    note = note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, code),
        occurred_at=when,
        sections={"facts": "Rang twice; no answer.", "follow_up": "Try again Monday."},
    )

    world.case.refresh_from_db()
    assert note.versions.get().contact_type.code == code
    assert world.case.last_contact_at == (when if counts else before)


def test_the_api_takes_the_next_review_and_refuses_a_bad_one(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(world.practitioner)[1]}")
    body = {
        "contact_type": "case_review",
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "sections": REVIEW,
        "next_review_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    }
    url = f"/api/cases/{world.case.pk}/notes"

    refused = client.post(url, json.dumps(body), content_type="application/json")
    body["next_review_on"] = (timezone.localdate() + dt.timedelta(days=28)).isoformat()
    accepted = client.post(url, json.dumps(body), content_type="application/json")

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "next_review_on"]
    assert accepted.status_code == 201
    world.case.refresh_from_db()
    assert world.case.next_review_on.isoformat() == body["next_review_on"]


def test_the_note_form_sets_the_default_next_review_for_a_review(world, signed_in, note_data):
    review_type = contact_type(world.organisation, "case_review")
    data = note_data(contact_type=str(review_type.pk), assessment="On track.", decisions="Carry on.")

    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", data)

    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.next_review_on is not None
