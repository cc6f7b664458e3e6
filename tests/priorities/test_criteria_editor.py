"""The criteria editor: administrators and managers agree the criteria, bands and time scales;
every change is kept with who, when, why, before and after (PC7, K14).

Anyone else gets 404 for every page of it, and nothing is written.
"""

from __future__ import annotations

import re

import pytest

from casework.priorities.models import CriteriaChange, PriorityCriterion, PrioritySettings

EDITORS = {"admin", "manager"}
PAGES = ["/priorities/criteria/", "/priorities/criteria/new", "/priorities/settings/"]


def criterion(world, code: str) -> PriorityCriterion:
    return PriorityCriterion.objects.get(organisation=world.organisation, code=code)


def flag_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Safeguarding concern",
        "points": "60",
        "axis": "both",
        "param_codes": ["safeguarding"],
        "is_active": "on",
        "reason": "Agreed at the quality meeting on 12 November",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "role", ["owner", "colleague", "supervisor", "other_supervisor", "admin", "manager", "foreign"]
)
@pytest.mark.parametrize("page", [*PAGES, "edit"])
def test_only_administrators_and_managers_reach_the_editor(world, signed_in, role, page):
    path = f"/priorities/criteria/{criterion(world, 'safeguarding').pk}/" if page == "edit" else page

    response = signed_in(world.by_role()[role]).get(path)

    assert response.status_code == (200 if role in EDITORS else 404)


@pytest.mark.parametrize("role", ["owner", "supervisor", "foreign"])
def test_a_practitioner_or_supervisor_cannot_edit_criteria_and_nothing_is_written(world, signed_in, role):
    target = criterion(world, "safeguarding")
    client = signed_in(world.by_role()[role])

    edit = client.post(f"/priorities/criteria/{target.pk}/", flag_post(points="0"))
    add = client.post(
        "/priorities/criteria/new?kind=complexity",
        {"name": "X", "points": "5", "axis": "urgency", "param_min_level": "1", "reason": "Because"},
    )
    settings = client.post("/priorities/settings/", {"red_threshold": "1", "reason": "Because"})

    assert (edit.status_code, add.status_code, settings.status_code) == (404, 404, 404)
    target.refresh_from_db()
    assert (target.points, target.version) == (50, 1)
    assert not PriorityCriterion.objects.filter(name="X").exists()
    assert PrioritySettings.objects.get(organisation=world.organisation).red_threshold == 50
    assert not CriteriaChange.objects.exists()


def test_the_list_shows_kind_settings_points_axis_and_whether_in_use(world, signed_in):
    body = signed_in(world.admin).get("/priorities/criteria/").content.decode()

    row = body[body.index(">Risk of harm</a>") :].split("</tr>", 1)[0]
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == [
        "Flag raised",
        "Flags: Risk to self, Risk to others, Domestic abuse",
        "40",
        "Urgency and importance",
        "Yes",
    ]


def test_the_form_is_built_from_the_kinds_parameters(world, signed_in):
    client = signed_in(world.admin)

    flag = client.get(f"/priorities/criteria/{criterion(world, 'safeguarding').pk}/").content.decode()
    deadline = client.get(
        f"/priorities/criteria/{criterion(world, 'statutory_deadline').pk}/"
    ).content.decode()

    # A flag criterion: a checkbox for every flag code, the chosen ones ticked.
    boxes = re.findall(r'<input type="checkbox" name="param_codes" value="(\w+)"[^>]*?( checked)?>', flag)
    assert len(boxes) == 11
    assert [code for code, checked in boxes if checked] == ["safeguarding"]
    assert 'name="param_per_flag"' in flag and 'name="param_max_points"' in flag
    # A deadline criterion: the kinds of deadline and the number of working days.
    kinds = re.findall(
        r'<input type="checkbox" name="param_deadline_kinds" value="(\w+)"[^>]*?( checked)?>', deadline
    )
    assert [(code, bool(checked)) for code, checked in kinds] == [
        ("statutory", True),
        ("agreed", False),
        ("internal", False),
    ]
    assert re.search(r'<input type="number" name="param_working_days" value="5"', deadline)


def test_an_edit_with_a_reason_is_saved_and_logged_with_before_and_after(world, signed_in):
    target = criterion(world, "safeguarding")
    client = signed_in(world.admin)

    response = client.post(
        f"/priorities/criteria/{target.pk}/", flag_post(param_codes=["safeguarding", "domestic_abuse"])
    )

    assert response.status_code == 302 and response["Location"] == "/priorities/criteria/"
    target.refresh_from_db()
    assert (target.points, target.params, target.version) == (
        60,
        {"codes": ["safeguarding", "domestic_abuse"]},
        2,
    )
    change = CriteriaChange.objects.get()
    assert (change.changed_by, change.criterion_code) == (world.admin, "safeguarding")
    assert change.reason == "Agreed at the quality meeting on 12 November"
    assert change.before["points"] == 50 and change.after["points"] == 60
    log = client.get("/priorities/criteria/").content.decode()
    entry = log[log.index('id="changes"') :]
    assert "Changed criterion “Safeguarding concern”" in entry
    assert "Reason: Agreed at the quality meeting on 12 November" in entry
    assert re.search(r'<th scope="row">Points</th><td>50</td><td>60</td>', entry)


def test_a_change_without_a_reason_is_refused_next_to_the_reason_field(world, signed_in):
    target = criterion(world, "safeguarding")

    response = signed_in(world.manager).post(f"/priorities/criteria/{target.pk}/", flag_post(reason=""))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Say why the criteria are changing and who agreed it." in field_html(body, "reason")
    target.refresh_from_db()
    assert target.points == 50 and not CriteriaChange.objects.exists()


def field_html(body: str, name: str) -> str:
    """The field's wrapper, from its opening tag to its control: label, hint and errors."""
    control = body.index(f'name="{name}"')
    start = max(body.rfind('<div class="field', 0, control), body.rfind('<fieldset class="field', 0, control))
    return body[start:control]


def test_a_required_parameter_left_empty_is_refused_next_to_it(world, signed_in):
    target = criterion(world, "safeguarding")

    response = signed_in(world.admin).post(f"/priorities/criteria/{target.pk}/", flag_post(param_codes=[]))

    assert response.status_code == 400
    assert "Flags: choose at least one." in field_html(response.content.decode(), "param_codes")
    target.refresh_from_db()
    assert target.version == 1


def test_parameter_errors_from_the_service_sit_next_to_their_field(world, signed_in):
    target = criterion(world, "safeguarding")

    # A cap on the points without points for each flag: the engine refuses it.
    response = signed_in(world.admin).post(
        f"/priorities/criteria/{target.pk}/", flag_post(param_max_points="30")
    )

    assert response.status_code == 400
    field = field_html(response.content.decode(), "param_max_points")
    assert "field--error" in field
    assert "Most points only applies with points for each flag." in field
    target.refresh_from_db()
    assert target.version == 1 and not CriteriaChange.objects.exists()


def test_a_stale_edit_is_refused_with_a_clear_message(world, signed_in):
    target = criterion(world, "safeguarding")
    client = signed_in(world.admin)
    client.post(f"/priorities/criteria/{target.pk}/", flag_post(points="55"))  # now at version 2

    response = client.post(f"/priorities/criteria/{target.pk}/", flag_post(points="70", version="1"))

    assert response.status_code == 409
    assert "Someone else changed this criterion after you opened it." in response.content.decode()
    target.refresh_from_db()
    assert (target.points, target.version) == (55, 2)
    assert CriteriaChange.objects.count() == 1
    assert 'name="version" value="2"' in response.content.decode()  # a second submit goes through


def test_adding_a_criterion_starts_by_choosing_its_kind(world, signed_in):
    client = signed_in(world.admin)
    kinds = client.get("/priorities/criteria/new").content.decode()
    assert '<a href="/priorities/criteria/new?kind=complexity">Complexity</a>' in kinds

    response = client.post(
        "/priorities/criteria/new?kind=complexity",
        {
            "name": "Medium or high complexity",
            "points": "5",
            "axis": "importance",
            "param_min_level": "2",
            "is_active": "on",
            "reason": "Complex cases need planning time",
        },
    )

    assert response.status_code == 302
    added = PriorityCriterion.objects.get(organisation=world.organisation, name="Medium or high complexity")
    assert (added.kind, added.params, added.points, added.axis) == (
        "complexity",
        {"min_level": 2},
        5,
        "importance",
    )
    assert CriteriaChange.objects.get().summary == "Added criterion “Medium or high complexity”"


def test_another_organisations_criterion_is_404(world, signed_in):
    foreign = PriorityCriterion.objects.get(organisation=world.foreign_user.organisation, code="safeguarding")

    response = signed_in(world.admin).post(f"/priorities/criteria/{foreign.pk}/", flag_post())

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.points == 50


def settings_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "red_threshold": "60",
        "amber_threshold": "25",
        "urgency_threshold": "20",
        "importance_threshold": "15",
        "first_contact_working_days": "3",
        "first_contact_working_hours_at_risk": "2",
        "contact_interval_days": "14",
        "contact_interval_days_at_risk": "7",
        "pause_time_scales_on_hold": "on",
        "extra_holidays": "2026-12-29\n30/12/2026",
        "removed_holidays": "",
        "reason": "New service standards from April",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_settings_are_saved_with_closure_days_and_logged(world, signed_in):
    response = signed_in(world.admin).post("/priorities/settings/", settings_post())

    assert response.status_code == 302
    row = PrioritySettings.objects.get(organisation=world.organisation)
    assert (row.red_threshold, row.amber_threshold, row.first_contact_working_days) == (60, 25, 3)
    assert row.extra_holidays == ["2026-12-29", "2026-12-30"]
    change = CriteriaChange.objects.get()
    assert change.summary == "Changed bands and time scales" and change.criterion_code == ""


def test_settings_errors_sit_next_to_their_fields(world, signed_in):
    client = signed_in(world.admin)

    thresholds = client.post("/priorities/settings/", settings_post(red_threshold="10", amber_threshold="20"))
    dates = client.post("/priorities/settings/", settings_post(extra_holidays="2026-13-45"))

    assert thresholds.status_code == 400
    body = thresholds.content.decode()
    assert "The red threshold must be a whole number no lower than the amber threshold." in field_html(
        body, "red_threshold"
    )
    assert dates.status_code == 400
    assert "“2026-13-45” is not a date." in dates.content.decode()
    assert PrioritySettings.objects.get(organisation=world.organisation).red_threshold == 50
    assert not CriteriaChange.objects.exists()
