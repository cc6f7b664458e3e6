"""Restricted cases: only named users may open them, whatever their role (issue 4, item 3)."""

import pytest
from django.http import Http404

from casework.audit.models import AccessEvent
from casework.cases import access, selectors


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
