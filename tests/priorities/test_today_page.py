"""Today: the practitioner's open cases in priority order, the matrix, traffic-light counts and
the cases past their time scale (PC8-PC10, PC14, PC15)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import CaseStatus, FlagCode
from casework.cases.services import ActionInput, action_add
from casework.priorities.models import CaseAssessment, Notification
from casework.priorities.services import cases_reassess, override_set
from tests.factories import CaseFactory
from tests.priorities.conftest import live_case


def queue_ids(body: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr class="queue-row[^"]*" id="case-(\d+)"', body)]


def section(body: str, start: str, end: str | None = None) -> str:
    """The part of the page from the element with id ``start`` up to the one with id ``end``."""
    begin = body.index(f'id="{start}"')
    return body[begin : body.index(f'id="{end}"', begin) if end else None]


@pytest.fixture
def caseload(world):
    """Red, amber (near and far deadline), green, on-hold, closed and someone else's case."""
    p = world.practitioner
    # world.case, made by a factory, is assessed as the service that opens a case would.
    cases_reassess(case_ids=[world.case.pk])
    return {
        "green": live_case(p),
        "amber_far": live_case(p, deadline_in_days=6),
        "red": live_case(p, flags=[FlagCode.SAFEGUARDING]),
        "amber_near": live_case(p, deadline_in_days=1),
        "on_hold": live_case(p, status=CaseStatus.ON_HOLD, flags=[FlagCode.DISABILITY]),
        "closed": live_case(p, status=CaseStatus.CLOSED, closed_on=timezone.localdate()),
        "colleague": live_case(world.colleague, flags=[FlagCode.SAFEGUARDING]),
    }


def test_today_lists_own_open_and_on_hold_cases_red_first_then_score_then_nearest_deadline(
    world, caseload, signed_in
):
    # world.case has never been contacted: awaiting first contact makes it amber (25 points).
    response = signed_in(world.practitioner).get("/today/")

    assert response.status_code == 200
    c = caseload
    assert queue_ids(response.content.decode()) == [
        c["red"].pk,  # 50: safeguarding
        c["amber_near"].pk,  # 30: statutory deadline, due first
        c["amber_far"].pk,  # 30: statutory deadline, due later
        world.case.pk,  # 25: no first contact
        c["on_hold"].pk,  # 15: vulnerability
        c["green"].pk,  # 0
    ]


def test_a_case_not_yet_assessed_shows_as_such_and_viewing_it_assesses_nothing(world, signed_in):
    """Reads never write (issue 7): a case loaded without the services waits for the sweep."""
    assert not CaseAssessment.objects.filter(case=world.case).exists()

    body = signed_in(world.practitioner).get("/today/").content.decode()

    assert not CaseAssessment.objects.filter(case=world.case).exists()
    assert not Notification.objects.exists()
    assert queue_ids(body) == [world.case.pk]
    assert "Not yet assessed" in body and "The next sweep assesses it" in body


def test_a_case_not_yet_assessed_sorts_after_every_assessed_case(world, signed_in):
    assessed = live_case(world.practitioner)

    body = signed_in(world.practitioner).get("/today/").content.decode()

    assert queue_ids(body) == [assessed.pk, world.case.pk]


def test_traffic_light_counts_name_each_band_in_text(world, caseload, signed_in):
    body = signed_in(world.practitioner).get("/today/").content.decode()

    counts = re.findall(
        r'<li class="band-count band-count--(\w+)">\s*<span class="band-count__number">(\d+)</span>\s*'
        r'<span class="band band--\w+"><span class="band__light" aria-hidden="true"></span>(\w+)</span>',
        body,
    )
    assert counts == [("red", "1", "Red"), ("amber", "3", "Amber"), ("green", "2", "Green")]


def test_each_row_shows_band_quadrant_rationale_next_deadline_and_next_action(world, caseload, signed_in):
    case = caseload["amber_near"]
    due = timezone.localdate() + dt.timedelta(days=1)
    action_add(
        case=case,
        actor=world.practitioner,
        data=ActionInput(
            description="Send the mandatory reconsideration form",
            due_on=timezone.localdate(),
            assigned_to=world.practitioner,
        ),
    )

    body = signed_in(world.practitioner).get("/today/").content.decode()

    row = body[body.index(f'id="case-{case.pk}"') :].split("</tr>", 1)[0]
    assert ">Amber</span>" in row
    assert '<span class="quadrant">Act soon</span>' in row
    assert "Score 30" in row
    assert f"Statutory deadline (Deadline for case {case.pk})" in row  # the one-line rationale
    assert f"({due.day} {due:%b %Y})" in row  # the next deadline's date
    assert "Send the mandatory reconsideration form" in row
    today = timezone.localdate()
    assert f"\u2013 Alex Morgan, due {today.day} {today:%b %Y}" in row


def test_a_red_case_with_no_planned_action_says_so(world, caseload, signed_in):
    body = signed_in(world.practitioner).get("/today/").content.decode()

    red_row = body[body.index(f'id="case-{caseload["red"].pk}"') :].split("</tr>", 1)[0]
    assert "No action planned." in red_row
    green_row = body[body.index(f'id="case-{caseload["green"].pk}"') :].split("</tr>", 1)[0]
    assert "No action planned." not in green_row and "None planned" in green_row


def test_an_overridden_case_shows_the_override_band_beside_the_computed_one_and_why(
    world, caseload, signed_in
):
    case = caseload["green"]
    override_set(
        case=case,
        actor=world.practitioner,
        band="red",
        reason="Client disclosed eviction notice by phone; paperwork to follow",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )

    body = signed_in(world.practitioner).get("/today/").content.decode()

    assert queue_ids(body)[:2] == [caseload["red"].pk, case.pk]  # red now, highest score first
    row = body[body.index(f'id="case-{case.pk}"') :].split("</tr>", 1)[0]
    assert ">Red</span>" in row
    assert "<strong>Moved to red</strong> by Alex Morgan" in row
    assert "the criteria say green." in row
    assert "Reason: Client disclosed eviction notice by phone; paperwork to follow" in row


def test_past_their_time_scale_lists_cases_whatever_their_band_and_which_time_scale(world, signed_in):
    p = world.practitioner
    no_contact = live_case(p, contact_days_ago=20)  # 15 points: green, but past its contact time scale
    review = live_case(p, next_review_on=timezone.localdate() - dt.timedelta(days=3))
    fine = live_case(p)
    world.case.delete()

    body = signed_in(p).get("/today/").content.decode()

    past = section(body, "past-time-scale")
    rows = re.findall(
        r'<a href="/cases/(\d+)/">[^<]*</a>.*?</th>\s*<td>([^<]*)</td>\s*<td>(.*?)</td>', past, re.S
    )
    found = {int(case_id): (missed, re.sub(r"<[^>]+>", "", band).strip()) for case_id, missed, band in rows}
    assert found == {no_contact.pk: ("Contact", "Green"), review.pk: ("Case review", "Green")}
    assert fine.pk not in found
    assert '<a href="#past-time-scale">2 cases past their time scale</a>' in body


def test_first_contact_time_scale_is_named(world, signed_in):
    cases_reassess(case_ids=[world.case.pk])  # made by a factory; the opening service would assess it
    body = signed_in(world.practitioner).get("/today/").content.decode()

    past = section(body, "past-time-scale")
    assert f'<a href="/cases/{world.case.pk}/">' in past
    assert "<td>First contact</td>" in past


def test_matrix_groups_cases_by_urgency_and_importance(world, signed_in):
    p = world.practitioner
    do_now = live_case(p, flags=[FlagCode.SAFEGUARDING])  # 50 urgency, 50 importance
    plan = live_case(p, flags=[FlagCode.DISABILITY])  # 15 importance
    act_soon = live_case(p, deadline_in_days=2)  # 30 urgency
    monitor = live_case(p)
    world.case.delete()

    body = signed_in(p).get("/today/matrix/").content.decode()

    cells = {
        code: section(body, f"quadrant-{code}", end)
        for code, end in [
            ("urgent_important", "quadrant-important_not_urgent"),
            ("important_not_urgent", "quadrant-urgent_not_important"),
            ("urgent_not_important", "quadrant-neither"),
            ("neither", None),
        ]
    }
    placed = {
        code: [int(i) for i in re.findall(r'<a href="/cases/(\d+)/">', cell)] for code, cell in cells.items()
    }
    assert placed == {
        "urgent_important": [do_now.pk],
        "important_not_urgent": [plan.pk],
        "urgent_not_important": [act_soon.pk],
        "neither": [monitor.pk],
    }
    assert 'Do now <span class="matrix__count">(1)</span>' in body
    assert 'aria-current="page">Urgency and importance</a>' in body


@pytest.mark.parametrize("path", ["/today/", "/today/matrix/"])
def test_every_case_shown_is_recorded_in_the_access_log_as_a_list_view(world, caseload, signed_in, path):
    signed_in(world.practitioner).get(path)

    events = AccessEvent.objects.filter(user_id=world.practitioner.pk)
    shown = {caseload[k].pk for k in ("red", "amber_near", "amber_far", "green", "on_hold")} | {world.case.pk}
    assert set(events.values_list("case_id", flat=True)) == shown
    assert set(events.values_list("channel", flat=True)) == {"list"}


@pytest.mark.parametrize("size", [5, 30])
@pytest.mark.parametrize("path", ["/today/", "/today/matrix/"])
def test_today_costs_the_same_queries_for_5_or_30_cases(
    world, signed_in, django_assert_max_num_queries, size, path
):
    for index in range(size):
        case = live_case(world.practitioner, flags=[FlagCode.DISABILITY] if index % 2 else [])
        action_add(
            case=case,
            actor=world.practitioner,
            data=ActionInput(description="Call", due_on=timezone.localdate(), assigned_to=world.practitioner),
        )
        if index % 3 == 0:
            override_set(
                case=case,
                actor=world.practitioner,
                band="red",
                reason="Court date",
                expires_on=timezone.localdate() + dt.timedelta(days=3),
            )
    client = signed_in(world.practitioner)
    cases_reassess(case_ids=[world.case.pk])  # world.case, made by a factory, as the service would
    client.get(path)

    # 11 today: session, user, devices, the queue, next actions, overrides, the access-log
    # insert, the inbox count and the session's last-seen stamp (savepoint, update, release).
    with django_assert_max_num_queries(13):
        response = client.get(path)

    assert response.status_code == 200
    assert len(set(re.findall(r'href="/cases/(\d+)/"', response.content.decode()))) == size + 1


def test_nav_puts_today_first_and_shows_the_unread_count(world, caseload, signed_in):
    body = signed_in(world.practitioner).get("/").content.decode()

    nav = body[body.index('<ul class="nav">') : body.index("</ul>", body.index('<ul class="nav">'))]
    links = re.findall(r'<a href="([^"]+)"', nav)
    assert links == ["/today/", "/", "/actions/mine", "/inbox/", "/export/"]
    # Raising safeguarding with no planned action told the owner too.
    assert 'Inbox <span class="nav__count">1<span class="visually-hidden"> unread</span></span>' in nav


def test_an_administrator_has_no_today_link_and_an_empty_queue(world, signed_in):
    client = signed_in(world.admin)
    body = client.get("/priorities/criteria/").content.decode()
    assert 'href="/today/"' not in body and 'href="/inbox/"' not in body

    response = client.get("/today/")
    assert response.status_code == 200
    assert "You have no open cases." in response.content.decode()


def test_a_case_made_outside_the_services_is_still_listed(world, signed_in):
    extra = CaseFactory(owner=world.practitioner, last_contact_at=timezone.now())

    body = signed_in(world.practitioner).get("/today/").content.decode()

    assert set(queue_ids(body)) == {world.case.pk, extra.pk}
