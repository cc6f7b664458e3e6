"""The inbox: notifications about red cases, unacknowledged first; acknowledging records the
time and an optional note (PC11, PC12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import FlagCode
from casework.priorities.models import Notification, NotificationKind
from casework.priorities.services import override_set
from tests.priorities.conftest import live_case


@pytest.fixture
def told(world):
    """Two red cases: the supervisor is told of each, twice (turned red, and no planned action)."""
    first = live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING])
    second = live_case(world.colleague, flags=[FlagCode.RISK_TO_OTHERS, FlagCode.DISABILITY])
    return first, second


def _named(case):
    """How a message names a case: the client and reference (issue 9, D8)."""
    return f"{case.client.full_name} ({case.client.reference})"


def unread_titles(body: str) -> list[str]:
    part = body[body.index('id="unread-title"') : body.index('id="read-title"')]
    return re.findall(r"<h3>([^<]+)</h3>", part)


def test_inbox_lists_unacknowledged_first_newest_first(world, told, signed_in):
    first, second = told
    older = Notification.objects.filter(recipient=world.supervisor, case=first)
    older.update(created_at=timezone.now() - dt.timedelta(hours=2))
    acknowledged = Notification.objects.get(
        recipient=world.supervisor, case=second, kind=NotificationKind.RED_WITHOUT_PLAN
    )
    acknowledged.acknowledged_at = timezone.now()
    acknowledged.save(update_fields=["acknowledged_at"])

    body = signed_in(world.supervisor).get("/inbox/").content.decode()

    assert unread_titles(body)[0] == f"Red case for {world.colleague.display_name}: {_named(second)}"
    assert set(unread_titles(body)[1:]) == {
        f"Red case for Alex Morgan: {_named(first)}",
        f"Red case with no planned action: {_named(first)}",
    }
    read = body[body.index('id="read-title"') :]
    assert f"Red case with no planned action: {_named(second)}" in read
    assert "Why: " in body  # the rationale travels with the message


def test_acknowledging_records_the_time_and_note_and_the_nav_count_falls(world, told, signed_in):
    client = signed_in(world.supervisor)
    before = client.get("/inbox/").content.decode()
    assert '<span class="nav__count">4<' in before
    notification = Notification.objects.filter(recipient=world.supervisor).first()
    started = timezone.now()

    response = client.post(
        f"/inbox/{notification.pk}/acknowledge", {"note": "Discussed in supervision; plan agreed"}
    )

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None and notification.acknowledged_at >= started
    assert notification.acknowledgement == "Discussed in supervision; plan agreed"
    after = client.get("/inbox/").content.decode()
    assert '<span class="nav__count">3<' in after
    assert "Your note: Discussed in supervision; plan agreed" in after


def test_acknowledging_without_a_note_is_fine(world, told, signed_in):
    notification = Notification.objects.filter(recipient=world.supervisor).first()

    signed_in(world.supervisor).post(f"/inbox/{notification.pk}/acknowledge", {})

    notification.refresh_from_db()
    assert notification.acknowledged_at is not None and notification.acknowledgement == ""


@pytest.mark.parametrize("role", ["owner", "manager", "other_supervisor", "foreign"])
def test_nobody_acknowledges_another_persons_notification(world, told, signed_in, role):
    notification = Notification.objects.filter(recipient=world.supervisor).first()

    response = signed_in(world.by_role()[role]).post(
        f"/inbox/{notification.pk}/acknowledge", {"note": "Mine"}
    )

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.acknowledged_at is None and notification.acknowledgement == ""


def test_acknowledge_is_post_only(world, told, signed_in):
    notification = Notification.objects.filter(recipient=world.supervisor).first()

    assert signed_in(world.supervisor).get(f"/inbox/{notification.pk}/acknowledge").status_code == 405


def test_an_empty_inbox_says_so(world, signed_in):
    body = signed_in(world.practitioner).get("/inbox/").content.decode()

    assert "Nothing waiting for you." in body
    assert "nav__count" not in body


def test_a_message_names_the_client_and_says_when_an_override_made_the_case_red(world, signed_in):
    """Issue 9, D8 and D9: no "case 189"; a red caused by an override says so, with its reason."""
    case = live_case(world.practitioner)
    override_set(
        case=case,
        actor=world.practitioner,
        band="red",
        reason="Eviction hearing moved forward to Monday",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )
    message = Notification.objects.get(
        recipient=world.supervisor, case=case, kind=NotificationKind.TURNED_RED
    )
    assert message.title == f"Red case for Alex Morgan: {_named(case)}"
    assert "Alex Morgan moved it to red by hand: Eviction hearing moved forward to Monday" in message.body
    assert f"case {case.pk}" not in message.body


def test_a_supervisors_acknowledgement_shows_on_the_case_for_the_practitioner(world, told, signed_in):
    """Issue 9, D20."""
    first, _ = told
    note = Notification.objects.filter(recipient=world.supervisor, case=first).first()
    signed_in(world.supervisor).post(
        f"/inbox/{note.pk}/acknowledge", {"note": "Talked it through with Alex; home visit booked"}
    )
    page = signed_in(world.practitioner).get(f"/cases/{first.pk}/").content.decode()
    assert "Red alerts acknowledged" in page
    assert "Talked it through with Alex; home visit booked" in page


def test_the_inbox_logs_the_cases_its_messages_name(world, told, signed_in):
    """Messages name clients (D8), so reading the inbox is logged like any list of cases."""
    first, second = told
    before = AccessEvent.objects.count()
    signed_in(world.supervisor).get("/inbox/")
    logged = set(AccessEvent.objects.order_by("pk")[before:].values_list("case_id", flat=True))
    assert logged == {first.pk, second.pk}
