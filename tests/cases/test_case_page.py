"""The case page: summary, action plan, history; marking actions done; changing status (PC1, PC9, PC17)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import Action, CaseEvent, CaseFlag, Deadline
from casework.cases.services import deadline_add, flag_raise, goal_add, note_amend, note_record
from casework.priorities.services import override_set
from tests.factories import ActionFactory, GoalFactory, contact_type


@pytest.fixture
def late_note(world):
    """A home visit recorded 30 hours after it happened, with an assessment."""
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "home_visit"),
        occurred_at=timezone.now() - dt.timedelta(hours=30, minutes=20),
        sections={
            "facts": "Visited Jordan at home. The kitchen had no working cooker.",
            "client_view": "Jordan wants help to replace the cooker.",
            "assessment": "Jordan is coping but isolated.",
            "actions_agreed": "Apply for a hardship grant.",
            "follow_up": "Visit again in two weeks.",
        },
    )


def test_page_title_and_summary(world, signed_in):
    org = world.organisation
    CaseFlag.objects.create(
        organisation=org,
        case=world.case,
        code="safeguarding",
        detail="Lives with ex-partner",
        raised_by=world.practitioner,
    )
    Deadline.objects.create(
        organisation=org,
        case=world.case,
        kind="statutory",
        description="Mandatory reconsideration",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )

    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    name, ref = world.case.client.full_name, world.case.client.reference
    assert f"<title>Case: {name} ({ref}) \u2013 Casework</title>" in body
    assert "Employment support" in body
    assert "Client secures sustainable employment" in body
    assert "<strong>Risk:</strong> Safeguarding concern \u2013 Lives with ex-partner" in body
    assert re.search(r'<li class="overdue">\s*Mandatory reconsideration \(Statutory\)', body)


def test_history_labels_opinion_and_marks_late_notes(world, signed_in, late_note):
    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    article = re.search(
        rf'<article class="timeline-item note" id="note-{late_note.pk}".*?</article>', body, re.S
    )
    text = article.group(0)
    assert "Recorded late: 30 hours after the contact" in text
    assert '<h4>Practitioner\'s assessment <span class="badge badge--opinion">Opinion</span></h4>' in text
    assert '<p class="prewrap">Jordan is coping but isolated.</p>' in text
    assert "<h4>Facts</h4>" in text


def test_history_shows_events_and_amendments(world, signed_in, late_note):
    note_amend(
        note=late_note, author=world.supervisor, reason="Cooker, not oven", sections={"facts": "No cooker."}
    )

    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    assert "<strong>Case note amended</strong> by" in body
    assert "Reason: Cooker, not oven" in body
    assert "You are reading version 2." in body
    details = re.search(r'<details class="earlier-versions">(.*?)</details>', body, re.S).group(1)
    assert "The kitchen had no working cooker." in details


def test_action_plan_groups_actions_under_goals_and_highlights_overdue(world, signed_in):
    goal = GoalFactory(case=world.case, description="Find warehouse work")
    overdue = ActionFactory(case=world.case, goal=goal, due_on=timezone.localdate() - dt.timedelta(days=3))
    loose = ActionFactory(case=world.case, description="Check bus routes")

    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    goal_section = re.search(
        r"<h3 id=\"goal-\d+\">Goal: Find warehouse work</h3>.*?</section>", body, re.S
    ).group(0)
    assert f'id="action-{overdue.pk}" class="action-row overdue-row' in goal_section
    assert "Overdue</strong>" in goal_section
    assert "Actions not linked to a goal" in body
    assert f'id="action-{loose.pk}" class="action-row action-row--open"' in body


def test_case_page_view_is_logged(world, signed_in):
    signed_in(world.supervisor).get(f"/cases/{world.case.pk}/")

    event = AccessEvent.objects.get(user_id=world.supervisor.pk)
    assert (event.case_id, event.channel, event.view) == (world.case.pk, "web", "case page")


def test_print_page_is_oldest_first_without_navigation(world, signed_in, late_note):
    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/history/print").content.decode()

    assert "<nav" not in body
    assert "Case history (oldest first)" in body
    assert "Recorded late: 30 hours after the contact" in body
    assert "<script" not in body.replace('<script src="/static/casework.js" defer></script>', "")


# Actions ------------------------------------------------------------------------------------


def test_mark_done_without_javascript_redirects_with_a_message(world, signed_in):
    action = ActionFactory(case=world.case)
    client = signed_in(world.practitioner)

    response = client.post(f"/actions/{action.pk}/", {"status": "done", "version": action.version})

    assert response["Location"] == f"/cases/{world.case.pk}/#action-{action.pk}"
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", timezone.localdate())
    assert "marked done" in client.get(response["Location"]).content.decode()


def test_mark_done_with_htmx_returns_the_row(world, signed_in):
    action = ActionFactory(case=world.case)

    response = signed_in(world.practitioner).post(
        f"/actions/{action.pk}/",
        {"status": "done", "version": action.version},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="action-{action.pk}" class="action-row action-row--done">')
    assert "Open again" in body


def test_mark_done_from_a_stale_page_is_refused(world, signed_in):
    action = ActionFactory(case=world.case)
    stale_version = action.version
    Action.objects.filter(pk=action.pk).update(version=stale_version + 1, description="Changed elsewhere")

    response = signed_in(world.practitioner).post(
        f"/actions/{action.pk}/", {"status": "done", "version": stale_version}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 409
    assert "Someone else changed this action" in response.content.decode()
    assert "Changed elsewhere" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"
    assert not CaseEvent.objects.filter(code="action_updated").exists()


def test_unknown_action_status_is_refused(world, signed_in):
    action = ActionFactory(case=world.case)

    response = signed_in(world.practitioner).post(f"/actions/{action.pk}/", {"status": "binned"})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "open"


# Case status --------------------------------------------------------------------------------


def test_putting_on_hold_needs_a_reason(world, signed_in):
    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/status", {"status": "on_hold"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_reason_error"><li>Give a reason for closing the case or putting it on hold.</li>' in body
    world.case.refresh_from_db()
    assert world.case.status == "open"
    assert not CaseEvent.objects.exists()


def test_putting_on_hold_with_a_reason_is_recorded_in_the_history(world, signed_in):
    client = signed_in(world.practitioner)

    response = client.post(
        f"/cases/{world.case.pk}/status",
        {"status": "on_hold", "reason": "Client in hospital", "version": world.case.version},
    )

    assert response["Location"] == f"/cases/{world.case.pk}/"
    world.case.refresh_from_db()
    assert world.case.status == "on_hold"
    page = client.get(response["Location"]).content.decode()
    assert "Case status is now: on hold." in page
    assert "Case on hold: Client in hospital" in page


def test_the_status_form_does_not_close_a_case_without_its_outcomes(world, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/status",
        {"status": "closed", "reason": "Client started work", "version": world.case.version},
    )

    assert response.status_code == 400
    world.case.refresh_from_db()
    assert world.case.status == "open"


def test_status_change_from_a_stale_page_is_refused(world, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/status",
        {
            "status": "on_hold",
            "reason": "Done",
            "version": world.case.version - 1 if world.case.version > 1 else 99,
        },
    )

    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == "open"


def test_the_printable_history_holds_flags_deadlines_priority_overrides_and_empty_goals(world, signed_in):
    """Issue 9, D6: the whole record on paper, and no link that goes nowhere."""
    flag_raise(case=world.case, actor=world.practitioner, code="disability", detail="Uses a wheelchair")
    deadline_add(
        case=world.case,
        actor=world.practitioner,
        kind="agreed",
        description="Send the PIP form back",
        due_on=timezone.localdate() + dt.timedelta(days=9),
    )
    goal_add(case=world.case, actor=world.practitioner, description="Move into a ground-floor flat")
    override_set(
        case=world.case,
        actor=world.practitioner,
        band="red",
        reason="Landlord has served notice",
        expires_on=timezone.localdate() + dt.timedelta(days=5),
    )
    page = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/history/print").content.decode()
    for text in (
        "Uses a wheelchair",
        "Send the PIP form back",
        "Goal: Move into a ground-floor flat",
        "Landlord has served notice",
        "Override history",
    ):
        assert text in page, text
    for anchor in re.findall(r'href="#([\w-]+)"', page):
        assert f'id="{anchor}"' in page, anchor
    assert "<form" not in page
