"""Every page and endpoint that takes a record id writes its access row (PC16; K1; issue 7).

The test walks the URL configuration itself, so a page added later is walked too: any URL
whose path takes a case, note, action, flag, deadline, override or client id is requested as
a user who may see the record, and exactly one access row naming that client must follow.
A new page that fetched its record without the permission-checked getter would fail here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client as TestClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from casework.accounts.models import Role, User
from casework.audit.models import AccessEvent
from casework.cases.models import FlagCode
from casework.cases.services import ActionInput, action_add, deadline_add, flag_raise, note_record
from casework.priorities.services import cases_reassess, override_set
from tests.factories import UserFactory, contact_type

RECORD_IDS = {"case_id", "note_id", "action_id", "flag_id", "deadline_id", "override_id", "client_id"}

# A body for the API's writes that passes the schema, so the endpoint itself runs: a request
# refused by schema validation never reaches the record and shows nothing of it.
API_BODIES = {
    "note_create": {"contact_type": "phone", "occurred_at": "2001-01-01T00:00:00Z", "sections": {}},
    "amendment_create": {"amends_version": 1, "reason": "Walk"},
    "action_patch": {},
    "client_patch": {"reason": "Walk", "version": 1},
    "case_patch": {"version": 1},
    "case_reallocation": {"new_owner": 1, "reason": "Walk", "version": 1},
    "case_closure": {"reason": "Walk", "version": 1},
}
PATCHES = {"action_patch", "client_patch", "case_patch"}


@dataclass(frozen=True)
class Route:
    path: str
    namespace: str
    name: str
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.name}"


def _routes(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            kwargs = tuple(getattr(pattern.pattern, "converters", {}) or ())
            if not kwargs:
                kwargs = tuple(pattern.pattern.regex.groupindex)
            yield Route(prefix + str(pattern.pattern), namespace, pattern.name or "", kwargs)


def record_routes() -> list[Route]:
    seen: set[str] = set()
    found = []
    for route in _routes(get_resolver().url_patterns):
        if RECORD_IDS & set(route.kwargs) and route.path not in seen:
            seen.add(route.path)
            found.append(route)
    return found


ROUTES = record_routes()


@pytest.fixture
def records(world):
    """One of each record on the world's case, made through the services."""
    owner = world.practitioner
    now = timezone.now()
    cases_reassess(case_ids=[world.case.pk])
    note = note_record(
        case=world.case,
        author=owner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=now - dt.timedelta(hours=1),
        sections={"facts": "Phoned about the interview.", "follow_up": "Friday."},
    )
    action = action_add(
        case=world.case,
        actor=owner,
        data=ActionInput(description="Send the CV", due_on=timezone.localdate(), assigned_to=owner),
    )
    flag = flag_raise(case=world.case, actor=owner, code=FlagCode.DISABILITY)
    deadline = deadline_add(
        case=world.case, actor=owner, kind="agreed", description="Appeal", due_on=timezone.localdate()
    )
    override = override_set(
        case=world.case,
        actor=owner,
        band="red",
        reason="Court date",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )
    goal = world.case.goals.create(organisation_id=world.organisation.pk, description="Work")
    return {
        "case_id": world.case.pk,
        "note_id": note.pk,
        "action_id": action.pk,
        "flag_id": flag.pk,
        "deadline_id": deadline.pk,
        "override_id": override.pk,
        "client_id": world.case.client_id,
        "goal_id": goal.pk,
    }


def _viewer(world, route: Route) -> User:
    if route.namespace == "governance":
        return UserFactory(organisation=world.organisation, role=Role.DATA_PROTECTION)
    if "realloca" in route.name:
        return world.supervisor  # the owner's supervisor reallocates
    return world.practitioner


def _request(client: TestClient, route: Route, path: str):
    if route.namespace == "api":
        body = API_BODIES.get(route.name)
        if body is not None:
            method = client.patch if route.name in PATCHES else client.post
            return method(path, json.dumps(body), content_type="application/json")
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


def test_the_walk_finds_the_record_pages_it_must_cover():
    names = {str(route) for route in ROUTES}

    assert {
        "cases:case_detail",
        "cases:note_amend",
        "cases:action_update",
        "cases:flag_clear",
        "cases:deadline_met",
        "priorities:override_new",
        "priorities:override_end",
        "governance:client",
        "governance:legal_hold",
        "api:case_detail",
        "api:amendment_create",
    } <= names
    assert len(ROUTES) >= 25


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_record_url_writes_one_access_row_for_its_client(world, records, route):
    user = _viewer(world, route)
    client = TestClient()
    client.force_login(user)
    path = "/" + route.path
    for name in route.kwargs:
        path = path.replace(f"<int:{name}>", str(records[name])).replace(f"<{name}>", str(records[name]))
    before = AccessEvent.objects.count()

    response = _request(client, route, path)

    assert response.status_code < 500
    assert response.status_code not in (403, 404, 405), (path, response.status_code)
    rows = list(AccessEvent.objects.order_by("pk")[before:])
    assert [(row.username, row.client_id) for row in rows] == [(user.username, world.case.client_id)], path
    assert rows[0].view


def test_a_page_that_shows_no_record_writes_no_access_row(world):
    """The other side: a page with no client on it (the criteria editor) logs nothing."""
    client = TestClient()
    client.force_login(world.manager)

    response = client.get("/priorities/criteria/")

    assert response.status_code == 200
    assert AccessEvent.objects.count() == 0
