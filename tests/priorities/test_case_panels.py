"""The case page's priority panel, overrides (PC15), and the flag and deadline forms (PC8, PC9).

Every write is refused to anyone who may not write on the case (404 if they cannot see it,
403 if they can only read it), and nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases.models import CaseEvent, CaseFlag, Deadline, FlagCode
from casework.priorities.models import CaseAssessment, PriorityOverride
from casework.priorities.services import cases_reassess, override_set
from tests.conftest import CAN_READ, CAN_WRITE, ROLES
from tests.priorities.conftest import live_case


def expected_write(role: str, ok: int) -> int:
    if role in CAN_WRITE:
        return ok
    return 403 if role in CAN_READ else 404


def in_a_week() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


@pytest.fixture
def assessed(world):
    """The world's case, contacted yesterday and assessed: green, score 0."""
    world.case.last_contact_at = timezone.now() - dt.timedelta(days=1)
    world.case.save(update_fields=["last_contact_at"])
    cases_reassess(case_ids=[world.case.pk])
    return world.case


# -- the panel ---------------------------------------------------------------------------------


def test_panel_shows_band_quadrant_score_and_each_criterion_with_its_points(world, signed_in):
    case = live_case(world.practitioner, flags=[FlagCode.SAFEGUARDING], deadline_in_days=1)

    body = signed_in(world.practitioner).get(f"/cases/{case.pk}/").content.decode()

    panel = body[body.index('id="priority"') : body.index('id="flags"')]
    assert (
        '<span class="band band--red"><span class="band__light" aria-hidden="true"></span>Red</span>' in panel
    )
    assert 'Do now <span class="meta">(urgency 80, importance 50)</span>' in panel
    reasons = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td class="num">(\d+)</td></tr>', panel
    )
    assert [(name, int(points)) for name, _, points in reasons] == [
        ("Safeguarding concern", 50),
        ("Statutory deadline within 5 working days", 30),
    ]
    assert reasons[0][1] == "Safeguarding concern raised today"
    assert '<td class="num">80</td></tr></tfoot>' in panel


def test_writers_get_the_forms_and_a_manager_reads_without_them(world, assessed, signed_in):
    mine = signed_in(world.practitioner).get(f"/cases/{assessed.pk}/").content.decode()
    managers = signed_in(world.manager).get(f"/cases/{assessed.pk}/").content.decode()

    for form in ("priority/override", "/flags", "/deadlines"):
        assert f'action="/cases/{assessed.pk}{"/" if not form.startswith("/") else ""}{form}"' in mine
        assert f'action="/cases/{assessed.pk}{"/" if not form.startswith("/") else ""}{form}"' not in managers
    assert 'id="priority"' in managers and "Green" in managers


def test_case_page_has_no_inline_style_or_script(world, assessed, signed_in):
    body = signed_in(world.practitioner).get(f"/cases/{assessed.pk}/").content.decode()

    assert "style=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)


# -- overrides (PC15) --------------------------------------------------------------------------


def test_override_needs_a_reason_and_nothing_is_saved_without_one(world, assessed, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{assessed.pk}/priority/override",
        {"override-band": "red", "override-reason": "  ", "override-expires_on": in_a_week()},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Give a reason for moving this case&#x27;s priority." in body
    assert re.search(r'<div class="field field--error">\s*<label for="id_override-reason">', body)
    assert not PriorityOverride.objects.exists()
    assert CaseAssessment.objects.get(case=assessed).effective_band == "green"


def test_override_needs_an_end_date_within_three_months(world, assessed, signed_in):
    client = signed_in(world.practitioner)
    url = f"/cases/{assessed.pk}/priority/override"

    missing = client.post(url, {"override-band": "red", "override-reason": "Court on Monday"})
    too_late = client.post(
        url,
        {
            "override-band": "red",
            "override-reason": "Court on Monday",
            "override-expires_on": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
        },
    )

    assert missing.status_code == 400 and "Give the date the override ends." in missing.content.decode()
    assert too_late.status_code == 400
    assert "An override can last three months at most; review it then." in too_late.content.decode()
    assert not PriorityOverride.objects.exists()


def test_override_moves_the_band_and_shows_beside_the_computed_band_and_in_the_history(
    world, assessed, signed_in
):
    client = signed_in(world.practitioner)

    response = client.post(
        f"/cases/{assessed.pk}/priority/override",
        {
            "override-band": "red",
            "override-reason": "Eviction hearing moved forward",
            "override-expires_on": in_a_week(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{assessed.pk}/#priority"
    override = PriorityOverride.objects.get()
    assert (override.band, override.computed_band, override.created_by) == (
        "red",
        "green",
        world.practitioner,
    )
    assessment = CaseAssessment.objects.get(case=assessed)
    assert (assessment.band, assessment.effective_band) == ("green", "red")
    assert AuditEvent.objects.filter(action="priority.overridden", case_id=assessed.pk).count() == 1
    body = client.get(f"/cases/{assessed.pk}/").content.decode()
    panel = body[body.index('id="priority"') : body.index('id="flags"')]
    assert ">Red</span>" in panel and "Criteria say: Green" in panel
    assert "Reason: Eviction hearing moved forward" in panel
    history = panel[panel.index("Override history") :]
    assert "Moved from green to <strong>red</strong>" in history and "by Alex Morgan" in history


def test_ending_an_override_early_restores_the_computed_band_and_keeps_it_in_the_history(
    world, assessed, signed_in
):
    override = override_set(
        case=assessed,
        actor=world.practitioner,
        band="amber",
        reason="Waiting on the GP letter",
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )
    client = signed_in(world.supervisor)

    response = client.post(f"/overrides/{override.pk}/end", {"override_end-reason": "Letter arrived"})

    assert response.status_code == 302
    override.refresh_from_db()
    assert override.ended_at is not None and override.ended_by == world.supervisor
    assert override.end_reason == "Letter arrived"
    assert CaseAssessment.objects.get(case=assessed).effective_band == "green"
    body = client.get(f"/cases/{assessed.pk}/").content.decode()
    assert "Reason: Waiting on the GP letter" in body
    assert f"by {world.supervisor.display_name}: Letter arrived." in body


@pytest.mark.parametrize("role", ROLES)
def test_override_role_matrix_and_nothing_written_when_refused(world, assessed, signed_in, role):
    user = world.by_role()[role]

    response = signed_in(user).post(
        f"/cases/{assessed.pk}/priority/override",
        {"override-band": "red", "override-reason": "Because", "override-expires_on": in_a_week()},
    )

    assert response.status_code == expected_write(role, 302)
    assert PriorityOverride.objects.count() == (1 if role in CAN_WRITE else 0)


@pytest.mark.parametrize("role", ["manager", "colleague"])
def test_ending_someone_elses_override_is_refused(world, assessed, signed_in, role):
    override = override_set(
        case=assessed,
        actor=world.practitioner,
        band="red",
        reason="Court",
        expires_on=timezone.localdate() + dt.timedelta(days=3),
    )

    response = signed_in(world.by_role()[role]).post(f"/overrides/{override.pk}/end")

    assert response.status_code == expected_write(role, 302)
    override.refresh_from_db()
    assert override.ended_at is None


# -- flags and deadlines -----------------------------------------------------------------------


def test_raising_a_flag_from_the_case_page_reprioritises_the_case(world, assessed, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{assessed.pk}/flags", {"flag-code": "safeguarding", "flag-detail": "Disclosed at the visit"}
    )

    assert response.status_code == 302 and response["Location"].endswith("#flags")
    flag = CaseFlag.objects.get(case=assessed)
    assert (flag.code, flag.detail, flag.raised_by) == (
        "safeguarding",
        "Disclosed at the visit",
        world.practitioner,
    )
    assert CaseAssessment.objects.get(case=assessed).band == "red"


def test_a_flag_already_raised_is_refused_next_to_the_field(world, assessed, signed_in):
    client = signed_in(world.practitioner)
    client.post(f"/cases/{assessed.pk}/flags", {"flag-code": "disability"})

    response = client.post(f"/cases/{assessed.pk}/flags", {"flag-code": "disability"})

    assert response.status_code == 400
    assert "Disability is already raised on this case." in response.content.decode()
    assert CaseFlag.objects.filter(case=assessed).count() == 1


def test_clearing_a_flag_needs_a_reason(world, assessed, signed_in):
    client = signed_in(world.practitioner)
    client.post(f"/cases/{assessed.pk}/flags", {"flag-code": "safeguarding"})
    flag = CaseFlag.objects.get(case=assessed)

    refused = client.post(f"/flags/{flag.pk}/clear", {"flag_clear-reason": ""})
    flag.refresh_from_db()
    assert refused.status_code == 400 and flag.cleared_at is None
    assert "Say why the flag no longer applies." in refused.content.decode()

    cleared = client.post(f"/flags/{flag.pk}/clear", {"flag_clear-reason": "Strategy meeting closed it"})
    flag.refresh_from_db()
    assert cleared.status_code == 302 and flag.cleared_at is not None
    assert CaseAssessment.objects.get(case=assessed).band == "green"
    assert (
        CaseEvent.objects.filter(case=assessed, code="flag_cleared")
        .get()
        .summary.endswith("Strategy meeting closed it")
    )


def test_setting_and_meeting_a_deadline(world, assessed, signed_in):
    client = signed_in(world.practitioner)
    due = timezone.localdate() + dt.timedelta(days=1)

    added = client.post(
        f"/cases/{assessed.pk}/deadlines",
        {
            "deadline-kind": "statutory",
            "deadline-description": "Mandatory reconsideration",
            "deadline-due_on": due.isoformat(),
        },
    )

    assert added.status_code == 302
    deadline = Deadline.objects.get(case=assessed)
    assert (deadline.kind, deadline.description, deadline.due_on) == (
        "statutory",
        "Mandatory reconsideration",
        due,
    )
    assert (
        "statutory deadline (Mandatory reconsideration)" in CaseAssessment.objects.get(case=assessed).summary
    )

    met = client.post(f"/deadlines/{deadline.pk}/met")

    deadline.refresh_from_db()
    assert met.status_code == 302 and deadline.met_on == timezone.localdate()
    assert CaseAssessment.objects.get(case=assessed).next_deadline is None


def test_a_deadline_needs_a_description_and_a_date(world, assessed, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{assessed.pk}/deadlines", {"deadline-kind": "agreed", "deadline-description": ""}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the date it is due." in body
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_flag_and_deadline_role_matrix_and_nothing_written_when_refused(world, assessed, signed_in, role):
    client = signed_in(world.by_role()[role])

    flag = client.post(f"/cases/{assessed.pk}/flags", {"flag-code": "disability"})
    deadline = client.post(
        f"/cases/{assessed.pk}/deadlines",
        {"deadline-kind": "agreed", "deadline-description": "CV", "deadline-due_on": in_a_week()},
    )

    assert flag.status_code == expected_write(role, 302)
    assert deadline.status_code == expected_write(role, 302)
    written = 1 if role in CAN_WRITE else 0
    assert CaseFlag.objects.count() == written and Deadline.objects.count() == written


@pytest.mark.parametrize("role", ["manager", "colleague", "foreign"])
def test_clearing_flags_and_meeting_deadlines_is_refused_to_non_writers(world, assessed, signed_in, role):
    flag = CaseFlag.objects.create(
        organisation=world.organisation, case=assessed, code="disability", raised_by=world.practitioner
    )
    deadline = Deadline.objects.create(
        organisation=world.organisation,
        case=assessed,
        kind="agreed",
        description="CV",
        due_on=timezone.localdate(),
    )
    client = signed_in(world.by_role()[role])

    cleared = client.post(f"/flags/{flag.pk}/clear", {"flag_clear-reason": "No"})
    met = client.post(f"/deadlines/{deadline.pk}/met")

    assert cleared.status_code == met.status_code == expected_write(role, 302)
    flag.refresh_from_db()
    deadline.refresh_from_db()
    assert flag.cleared_at is None and deadline.met_on is None


def test_an_empty_override_form_names_every_missing_field_at_once(world, signed_in):
    """Issue 9, D14."""
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/priority/override",
        {"override-band": "", "override-reason": "", "override-expires_on": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Choose red, amber or green.",
        "Give a reason for moving this case&#x27;s priority.",
        "Give the date the override ends.",
    ):
        assert message in page, message
