"""Accessibility and layout in a real browser (issue 9, D1, D2, D22, D23, D24).

axe-core (from npm at build time, injected into the page; nothing loads from a CDN) reports
no serious or critical violation on the pages named; the header fits one line at 1280 px for
every role; the case page does not scroll sideways at 390 px; the 90-day chart is not clipped.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from casework.accounts.models import Role
from casework.cases.models import FlagCode
from casework.cases.services import ActionInput, action_add, flag_raise
from casework.priorities.models import PrioritySnapshot
from casework.priorities.services import cases_reassess
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery"

# What sticks out past the window, to name it when the page scrolls sideways.
WIDER_THAN = """(limit) => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > limit)
    .filter(e => !(e.parentElement && e.parentElement.closest('.table-scroll')))
    .slice(0, 8)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets` (npm ci) first.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']})).violations)"
    )
    return [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]


@pytest.fixture
def lived_in(world):
    """A case with an action due, a flag and an assessment, so the pages have something on them."""
    action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Ring the job centre about the work coach appointment",
            due_on=timezone.localdate() + dt.timedelta(days=2),
            assigned_to=world.practitioner,
        ),
    )
    flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.DISABILITY)
    cases_reassess(case_ids=[world.case.pk])
    dpo = UserFactory(organisation=world.organisation, role=Role.DATA_PROTECTION, username="dana")
    for user in (world.practitioner, world.supervisor, world.manager, world.admin, dpo):
        user.set_password(PASSWORD)
        user.save()
    return world


@pytest.mark.axe
def test_the_named_pages_have_no_serious_accessibility_violations(
    live_server, flushable, lived_in, browser_page
):
    page = browser_page
    world = lived_in
    base = live_server.url
    pages = {
        world.practitioner.username: [
            "/today/",
            "/",
            f"/cases/{world.case.pk}/",
            f"/cases/{world.case.pk}/close",
            f"/cases/{world.case.pk}/client",
            "/actions/mine",
            "/inbox/",
        ],
        world.supervisor.username: ["/team/", "/today/team/", f"/cases/{world.case.pk}/reallocate"],
        world.manager.username: ["/priorities/criteria/"],
        world.admin.username: [
            "/administration/staff/",
            "/administration/staff/invite",
            "/administration/teams/",
            "/administration/settings/",
        ],
    }
    found: dict[str, list[str]] = {}
    for username, paths in pages.items():
        _sign_in(page, base, username)
        for path in paths:
            page.goto(f"{base}{path}")
            for violation in _axe(page):
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                found.setdefault(path, []).append(f"{violation['id']} ({violation['impact']}): {targets}")
    assert found == {}


@pytest.mark.parametrize("role", ["practitioner", "supervisor", "manager", "admin"])
def test_the_header_fits_one_line_at_1280_pixels(live_server, flushable, lived_in, browser_page, role):
    page = browser_page
    user = {"practitioner": lived_in.practitioner, "supervisor": lived_in.supervisor}.get(role) or (
        lived_in.manager if role == "manager" else lived_in.admin
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_server.url, user.username)
    tops = page.evaluate(
        "() => Array.from(document.querySelectorAll('header a, header button'))"
        ".filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert tops, "the header has links"
    assert max(tops) - min(tops) < 20, f"the header wraps onto more than one line: {sorted(set(tops))}"


def test_the_case_page_does_not_scroll_sideways_on_a_phone(live_server, flushable, lived_in, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server.url, lived_in.practitioner.username)
    for path in (f"/cases/{lived_in.case.pk}/", "/", "/today/"):
        page.goto(f"{live_server.url}{path}")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        wide = page.evaluate(WIDER_THAN, widths[1])
        assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide in a {widths[1]} px window: {wide}"


def test_the_ninety_day_chart_is_not_clipped(live_server, flushable, lived_in, browser_page):
    today = timezone.localdate()
    PrioritySnapshot.objects.bulk_create(
        PrioritySnapshot(
            organisation=lived_in.organisation,
            practitioner=lived_in.practitioner,
            on=today - dt.timedelta(days=back),
            red=back % 3,
            amber=2 + back % 4,
            green=9 + back % 5,
            past_time_scale=back % 2,
        )
        for back in range(90)
    )
    page = browser_page
    _sign_in(page, live_server.url, lived_in.supervisor.username)
    page.goto(f"{live_server.url}/today/team/?days=90")
    charts = page.locator("svg.chart, figure svg")
    if charts.count() == 0:
        pytest.fail("no chart on the team priorities page")
    clipped = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.chart, figure svg')).map(svg => {
            const box = svg.getBBox();
            const view = svg.viewBox.baseVal;
            const width = view && view.width ? view.width : svg.getBoundingClientRect().width;
            return box.x + box.width - width;
        })"""
    )
    assert all(overflow <= 0.5 for overflow in clipped), clipped
