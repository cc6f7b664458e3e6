"""The supervisor's view: red cases and cases past their time scale in their teams, the
notifications waiting for them, and band counts over time (PC10-PC14)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import FlagCode
from casework.priorities.models import PrioritySnapshot
from casework.priorities.services import cases_reassess
from tests.priorities.conftest import live_case


def _named(case):
    """How a message names a case: the client and reference (issue 9, D8)."""
    return f"{case.client.full_name} ({case.client.reference})"


def red_section(body: str) -> str:
    return body[body.index('id="red-cases"') : body.index('id="past-time-scale"')]


def case_links(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'<a href="/cases/(\d+)/">', html)}


@pytest.fixture
def reds(world):
    """A red case in each team, an amber one in the first, and a red one in another organisation."""
    return {
        "team": live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING]),
        "colleague": live_case(world.colleague, flags=[FlagCode.RISK_TO_SELF, FlagCode.DISABILITY]),
        "other_team": live_case(world.other_practitioner, flags=[FlagCode.SAFEGUARDING]),
        "amber": live_case(world.practitioner, deadline_in_days=1),
        "foreign": live_case(world.foreign_user, flags=[FlagCode.SAFEGUARDING]),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("supervisor", {"team", "colleague"}),
        ("other_supervisor", {"other_team"}),
        ("manager", {"team", "colleague", "other_team"}),
    ],
)
def test_a_supervisor_sees_only_their_teams_red_cases(world, reds, signed_in, role, expected):
    user = world.by_role()[role]

    response = signed_in(user).get("/today/team/")

    assert response.status_code == 200
    assert case_links(red_section(response.content.decode())) == {reds[name].pk for name in expected}


@pytest.mark.parametrize("role", ["owner", "colleague", "admin", "foreign"])
def test_people_who_review_no_team_get_404(world, signed_in, role):
    assert signed_in(world.by_role()[role]).get("/today/team/").status_code == 404


def test_red_rows_name_the_practitioner_and_say_when_no_action_is_planned(world, reds, signed_in):
    body = red_section(signed_in(world.supervisor).get("/today/team/").content.decode())

    row = body[body.index(f'<a href="/cases/{reds["team"].pk}/">') :].split("</tr>", 1)[0]
    assert "<td>Alex Morgan</td>" in row
    assert "Safeguarding concern raised today" in row
    assert "No action planned." in row


def test_cases_past_their_time_scale_across_the_team_whatever_their_band(world, signed_in):
    cases_reassess(case_ids=[world.case.pk])  # as case_open would have
    late = live_case(world.colleague, contact_days_ago=30)  # green: contact overdue adds 15
    live_case(world.practitioner)  # in time
    other = live_case(world.other_practitioner, contact_days_ago=30)

    body = signed_in(world.supervisor).get("/today/team/").content.decode()

    past = body[body.index('id="past-time-scale"') : body.index('id="notifications"')]
    # world.case has never been contacted: past its first-contact time scale.
    assert case_links(past) == {late.pk, world.case.pk}
    assert other.pk not in case_links(past)
    row = past[past.index(f'<a href="/cases/{late.pk}/">') :].split("</tr>", 1)[0]
    assert "<td>Contact</td>" in row and ">Green</span>" in row


def test_the_supervisors_unacknowledged_notifications_are_listed(world, reds, signed_in):
    body = signed_in(world.supervisor).get("/today/team/").content.decode()

    waiting = body[body.index('id="notifications"') : body.index('id="trend"')]
    titles = re.findall(r'#notification-\d+">([^<]+)</a>', waiting)
    assert sorted(titles) == sorted(
        [
            f"Red case for Alex Morgan: {_named(reds['team'])}",
            f"Red case with no planned action: {_named(reds['team'])}",
            f"Red case for {world.colleague.display_name}: {_named(reds['colleague'])}",
            f"Red case with no planned action: {_named(reds['colleague'])}",
        ]
    )


def test_cases_shown_are_recorded_in_the_access_log(world, reds, signed_in):
    cases_reassess(case_ids=[world.case.pk])  # as case_open would have
    signed_in(world.supervisor).get("/today/team/")

    events = AccessEvent.objects.filter(user_id=world.supervisor.pk)
    assert set(events.values_list("case_id", flat=True)) == {
        reds["team"].pk,
        reds["colleague"].pk,
        world.case.pk,  # past its first-contact time scale
    }
    assert set(events.values_list("channel", flat=True)) == {"list"}


def snapshot(world, practitioner, days_ago: int, red: int, amber: int, green: int, past: int = 0) -> None:
    PrioritySnapshot.objects.create(
        organisation=world.organisation,
        practitioner=practitioner,
        on=timezone.localdate() - dt.timedelta(days=days_ago),
        red=red,
        amber=amber,
        green=green,
        past_time_scale=past,
    )


def test_chart_draws_each_days_counts_as_svg_shapes_coloured_by_class(world, signed_in):
    snapshot(world, world.practitioner, 2, red=2, amber=5, green=10, past=3)
    snapshot(world, world.colleague, 2, red=1, amber=0, green=4, past=1)
    snapshot(world, world.practitioner, 1, red=3, amber=4, green=9, past=2)
    snapshot(world, world.other_practitioner, 1, red=9, amber=9, green=9, past=9)  # another team

    body = signed_in(world.supervisor).get("/today/team/").content.decode()

    svg = body[body.index("<svg") : body.index("</svg>")]
    assert "style=" not in svg
    titles = re.findall(r"<g class=\"chart__day\">\s*<title>([^<]+)</title>", svg)
    day1 = timezone.localdate() - dt.timedelta(days=2)
    day2 = timezone.localdate() - dt.timedelta(days=1)
    assert titles == [
        f"{day1:%a} {day1.day} {day1:%b}: 3 red, 5 amber, 14 green; 4 past their time scale",
        f"{day2:%a} {day2.day} {day2:%b}: 3 red, 4 amber, 9 green; 2 past their time scale",
    ]
    assert len(re.findall(r'<rect class="chart__bar chart__bar--red"', svg)) == 2
    assert len(re.findall(r'<polyline class="chart__line"', svg)) == 1
    # The same numbers in a table, for anyone who cannot see the chart.
    assert re.search(
        r'<td class="num">3</td><td class="num">5</td><td class="num">14</td><td class="num">4</td>', body
    )


def test_chart_for_one_practitioner_or_team_and_over_90_days(world, signed_in):
    snapshot(world, world.practitioner, 60, red=2, amber=1, green=1)
    snapshot(world, world.colleague, 60, red=5, amber=5, green=5)
    client = signed_in(world.supervisor)

    thirty = client.get("/today/team/").content.decode()
    assert "No daily counts yet for everyone in your teams in the last 30 days." in thirty

    alex = client.get("/today/team/", {"who": f"user-{world.practitioner.pk}", "days": 90}).content.decode()
    assert re.findall(r"<title>[^<]*: (\d+) red", alex) == ["2"]
    assert f'<option value="user-{world.practitioner.pk}" selected>Alex Morgan</option>' in alex

    team = client.get("/today/team/", {"who": f"team-{world.team.pk}", "days": 90}).content.decode()
    assert re.findall(r"<title>[^<]*: (\d+) red", team) == ["7"]


@pytest.mark.parametrize("who", ["user-{other}", "team-{other_team}"])
def test_a_practitioner_or_team_outside_yours_is_404(world, signed_in, who):
    value = who.format(other=world.other_practitioner.pk, other_team=world.other_team.pk)

    response = signed_in(world.supervisor).get("/today/team/", {"who": value})

    assert response.status_code == 404
