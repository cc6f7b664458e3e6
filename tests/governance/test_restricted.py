"""Restricted cases: only named users may open them, whatever their role (issue 4, item 3)."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases import access, selectors
from casework.cases.models import FlagCode
from casework.cases.services import ActionInput, action_add, deadline_add, flag_raise, note_record
from casework.priorities.services import override_set
from tests.factories import contact_type


@pytest.fixture
def restricted(world):
    world.case.is_restricted = True
    world.case.save(update_fields=["is_restricted"])
    world.case.restricted_to.add(world.practitioner)
    return world.case


def test_named_user_opens_a_restricted_case(world, restricted):
    assert access.case_for_user(world.practitioner, restricted.pk, view="test") == restricted
    assert AccessEvent.objects.filter(refused=True).count() == 0


@pytest.mark.parametrize("role", ["supervisor", "manager", "colleague", "admin"])
def test_anyone_else_gets_404_and_the_attempt_is_logged(world, restricted, role):
    user = world.by_role()[role]
    with pytest.raises(Http404):
        access.case_for_user(user, restricted.pk, channel="api", view="test")
    assert restricted not in selectors.cases_visible_to(user)
    event = AccessEvent.objects.get(refused=True)
    assert (event.username, event.client_id, event.case_id, event.channel) == (
        user.username,
        restricted.client_id,
        restricted.pk,
        "api",
    )


def test_a_named_supervisor_sees_it_and_lists_have_no_duplicates(world, restricted):
    restricted.restricted_to.add(world.supervisor, world.manager)
    assert list(selectors.cases_visible_to(world.supervisor)) == [restricted]
    assert list(selectors.cases_visible_to(world.manager)).count(restricted) == 1


def test_unknown_case_is_not_logged_as_a_refusal(world):
    with pytest.raises(Http404):
        access.case_for_user(world.supervisor, 999_999, view="test")
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize("kind", ["case", "note", "action", "flag", "deadline", "override"])
def test_a_refused_attempt_is_logged_whichever_record_it_came_through(world, restricted, kind, signed_in):
    """Issue 8 finding 6: through a note, action, flag, deadline or override id too."""
    ids = _one_of_each(world, restricted)
    paths = {
        "case": f"/cases/{ids['case']}/",
        "note": f"/notes/{ids['note']}/amend",
        "action": f"/actions/{ids['action']}/",
        "flag": f"/flags/{ids['flag']}/clear",
        "deadline": f"/deadlines/{ids['deadline']}/met",
        "override": f"/overrides/{ids['override']}/end",
    }
    client = signed_in(world.supervisor)

    response = (
        client.post(paths[kind], {})
        if kind in ("action", "deadline", "override")
        else client.get(paths[kind])
    )

    assert response.status_code == 404
    event = AccessEvent.objects.get(refused=True)
    assert (event.username, event.client_id, event.case_id) == (
        world.supervisor.username,
        restricted.client_id,
        restricted.pk,
    )


def test_an_unknown_record_id_is_not_logged_as_a_refusal(world, signed_in):
    response = signed_in(world.supervisor).get("/notes/999999/amend")

    assert response.status_code == 404
    assert AccessEvent.objects.count() == 0


def _one_of_each(world, case):
    owner = world.practitioner
    note = note_record(
        case=case,
        author=owner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        sections={"facts": "Phoned.", "follow_up": "Friday."},
    )
    action = action_add(
        case=case,
        actor=owner,
        data=ActionInput(description="Send the CV", due_on=timezone.localdate(), assigned_to=owner),
    )
    flag = flag_raise(case=case, actor=owner, code=FlagCode.DISABILITY)
    deadline = deadline_add(
        case=case, actor=owner, kind="agreed", description="Appeal", due_on=timezone.localdate()
    )
    override = override_set(
        case=case,
        actor=owner,
        band="red",
        reason="Court",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )
    return {
        "case": case.pk,
        "note": note.pk,
        "action": action.pk,
        "flag": flag.pk,
        "deadline": deadline.pk,
        "override": override.pk,
    }
