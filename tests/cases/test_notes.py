"""Recording and amending case notes through the web UI (PC1, PC17; K4, K5)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from casework.cases.models import Action, CaseEvent, CaseNote, NoteVersion
from casework.cases.services import note_amend, note_record
from tests.factories import GoalFactory, UserFactory, contact_type

LONDON = zoneinfo.ZoneInfo("Europe/London")


def nothing_written() -> bool:
    return not CaseNote.objects.exists() and not Action.objects.exists() and not CaseEvent.objects.exists()


def field_error(body: str, field_id: str) -> str:
    """The text of the error list tied to a field, as aria-describedby points at it."""
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', body, re.S)
    assert match, f"no error list for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# Recording ----------------------------------------------------------------------------------


def test_pc17_note_is_recorded_with_its_actions_and_goals(world, signed_in, note_data):
    goal = GoalFactory(case=world.case)
    colleague = world.colleague
    data = note_data(
        goals=str(goal.pk),
        **{
            "action-1-description": "Check the CV for gaps",
            "action-1-owner": "staff",
            "action-1-assigned_to": str(colleague.pk),
            "action-1-due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "action-1-goal": str(goal.pk),
            "action-2-description": "Send the reference",
            "action-2-owner": "other",
            "action-2-owner_name": "Mrs Evans, former employer",
            "action-2-due_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
        },
    )

    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", data)

    note = CaseNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{world.case.pk}/#note-{note.pk}"
    version = note.versions.get()
    assert version.facts == data["facts"]
    assert version.recorded_by == world.practitioner
    assert list(version.goals.all()) == [goal]
    actions = {a.description: a for a in Action.objects.filter(source_note=note)}
    assert set(actions) == {
        "Apply to the Amazon Swansea vacancy",
        "Check the CV for gaps",
        "Send the reference",
    }
    assert actions["Apply to the Amazon Swansea vacancy"].owner_kind == "client"
    assert actions["Check the CV for gaps"].assigned_to == colleague
    assert actions["Check the CV for gaps"].goal == goal
    assert actions["Send the reference"].owner_name == "Mrs Evans, former employer"


def test_action_owned_by_me_is_assigned_to_the_author(world, signed_in, note_data):
    data = note_data(**{"action-0-owner": "me"})

    signed_in(world.supervisor).post(f"/cases/{world.case.pk}/notes", data)

    assert Action.objects.get().assigned_to == world.supervisor


def test_contact_time_is_read_as_uk_local_time(world, signed_in, note_data):
    # A summer contact: 10:00 in London is 09:00 UTC.
    summer = dt.date(timezone.localdate().year - 1, 7, 1)
    world.case.opened_on = summer - dt.timedelta(days=30)
    world.case.save(update_fields=["opened_on"])
    data = note_data(occurred_date=summer.isoformat(), occurred_time="10:00")

    signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", data)

    version = NoteVersion.objects.get()
    assert version.occurred_at == dt.datetime(summer.year, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert version.is_late is True


def test_success_message_mentions_opinion_in_the_facts(world, signed_in, note_data):
    client = signed_in(world.practitioner)

    response = client.post(
        f"/cases/{world.case.pk}/notes",
        note_data(facts="Jordan was obviously lazy about the CV."),
        follow=True,
    )

    body = response.content.decode()
    # The words themselves, in the message, which the page opens at (issue 9, D4).
    assert "Case note saved. In the facts, “obviously”" in body
    assert "“lazy”" in body
    assert "check below the note" not in body
    assert response.redirect_chain[-1][0].endswith("#messages")
    assert 'id="messages"' in body
    assert "Amend this note" in body
    assert CaseNote.objects.count() == 1


def test_success_message_without_findings(world, signed_in, note_data):
    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", note_data(), follow=True)

    body = response.content.decode()
    assert "Case note saved." in body
    assert "may read as opinion" not in body


# Bad input ------------------------------------------------------------------------------------


def test_future_contact_is_refused_next_to_the_date_and_nothing_is_lost(world, signed_in, note_data):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = note_data(occurred_date=tomorrow.isoformat(), facts="Typed with care: every word matters.")

    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert field_error(body, "id_occurred_date") == (
        "The contact cannot be in the future: record it after it has happened."
    )
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_occurred_date_error"' in body
    assert '<a href="#id_occurred_date">The contact cannot be in the future' in body
    assert "<title>Error: Record a case note" in body
    assert "Typed with care: every word matters.</textarea>" in body
    assert "Apply to the Amazon Swansea vacancy" in body
    assert nothing_written()


def test_missing_required_section_names_the_section(world, signed_in, note_data):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/notes", note_data(client_view="   ")
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert field_error(body, "id_client_view") == (
        "Client&#x27;s view is required for a face-to-face appointment note."
    )
    assert 'aria-describedby="id_client_view_helptext id_client_view_error"' in body
    assert nothing_written()


def test_one_megabyte_of_facts_is_refused_clearly(world, signed_in, note_data):
    facts = "x" * 1_000_000

    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", note_data(facts=facts))

    body = response.content.decode()
    assert response.status_code == 400
    assert field_error(body, "id_facts") == "Facts must be 20,000 characters or fewer (it has 1,000,000)."
    assert "too long to check" in body
    assert nothing_written()


@pytest.mark.parametrize(
    ("row", "message", "field"),
    [
        ({"action-1-description": "Call the landlord"}, "Give a due date.", "id_action-1-due_on"),
        ({"action-1-due_on": "2030-01-01"}, "Describe the action.", "id_action-1-description"),
        (
            {"action-1-description": "Call", "action-1-due_on": "2030-01-01", "action-1-owner": "staff"},
            "Choose the member of staff who will do it.",
            "id_action-1-assigned_to",
        ),
        (
            {"action-1-description": "Call", "action-1-due_on": "2030-01-01", "action-1-owner": "other"},
            "Say who will do it.",
            "id_action-1-owner_name",
        ),
    ],
)
def test_incomplete_action_row_is_shown_on_its_field(world, signed_in, note_data, row, message, field):
    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", note_data(**row))

    body = response.content.decode()
    assert response.status_code == 400
    assert field_error(body, field) == message
    assert f'<a href="#{field}">Action 2: {message}</a>' in body
    assert nothing_written()


def test_staff_from_another_organisation_cannot_be_chosen(world, signed_in, note_data):
    data = note_data(
        **{
            "action-1-description": "Call",
            "action-1-due_on": "2030-01-01",
            "action-1-owner": "staff",
            "action-1-assigned_to": str(world.foreign_user.pk),
        }
    )

    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes", data)

    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_action-1-assigned_to") == "Choose one from the list."
    assert nothing_written()


def test_staff_choices_are_the_organisations_staff(world, signed_in):
    inactive = UserFactory(organisation=world.organisation, username="gone", is_active=False)

    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/notes").content.decode()

    select = re.search(r'<select name="action-0-assigned_to".*?</select>', body, re.S).group(0)
    assert f'value="{world.colleague.pk}"' in select
    assert f'value="{world.supervisor.pk}"' in select
    assert f'value="{world.practitioner.pk}"' not in select  # that is "Me"
    assert f'value="{world.foreign_user.pk}"' not in select
    assert f'value="{world.admin.pk}"' not in select
    assert f'value="{inactive.pk}"' not in select


def test_contact_type_choices_show_the_sections_they_need(world, signed_in):
    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    assert "Telephone call (needs: Facts, Follow-up)</option>" in body


def test_unknown_case_is_404(world, signed_in, note_data):
    client = signed_in(world.practitioner)

    assert client.get("/cases/999999/").status_code == 404
    assert client.post("/cases/999999/notes", note_data()).status_code == 404
    assert nothing_written()


def test_someone_elses_case_is_404_and_nothing_is_written(world, signed_in, note_data):
    response = signed_in(world.practitioner).post(f"/cases/{world.foreign_case.pk}/notes", note_data())

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert nothing_written()


def test_forged_csrf_is_refused_and_nothing_is_written(world, note_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.practitioner)
    client.get(f"/cases/{world.case.pk}/")  # sets the real CSRF cookie

    no_token = client.post(f"/cases/{world.case.pk}/notes", note_data())
    forged = client.post(f"/cases/{world.case.pk}/notes", note_data(csrfmiddlewaretoken="x" * 64))

    assert no_token.status_code == 403
    assert forged.status_code == 403
    assert "Your form has expired" in forged.content.decode()
    assert nothing_written()


def test_htmx_post_with_the_page_token_passes_csrf(world, note_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.practitioner)
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)

    response = client.post(
        f"/cases/{world.case.pk}/notes/check",
        {"facts": "Seems fine."},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )

    assert response.status_code == 200


# The fact/opinion check -------------------------------------------------------------------------


def test_fact_check_highlights_opinion_with_label_and_advice(world, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/notes/check",
        {"facts": "Jordan <b>seemed</b> drunk."},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert (
        'Jordan &lt;b&gt;<mark title="Speculation">seemed</mark>&lt;/b&gt; '
        '<mark title="Judgemental wording">drunk</mark>.' in body
    )
    assert "<strong>Judgemental wording.</strong> Record what you observed" in body
    assert "you can still save the note" in body


def test_fact_check_with_plain_facts_says_so(world, signed_in):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/notes/check", {"facts": "Jordan brought a CV dated 2023."}
    )

    assert "No wording in the facts reads as opinion." in response.content.decode()


def test_fact_check_of_empty_facts_is_empty(world, signed_in):
    response = signed_in(world.practitioner).post(f"/cases/{world.case.pk}/notes/check", {"facts": " "})

    assert response.content.decode().strip() == ""


def test_facts_textarea_asks_for_the_check_as_you_type(world, signed_in):
    body = signed_in(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()

    textarea = re.search(r"<textarea name=\"facts\"[^>]*>", body).group(0)
    assert f'hx-post="/cases/{world.case.pk}/notes/check"' in textarea
    assert 'hx-trigger="input changed delay:600ms"' in textarea
    assert 'hx-target="#facts-check"' in textarea


# Amendments ---------------------------------------------------------------------------------


@pytest.fixture
def note(world):
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=3, seconds=17),
        sections={"facts": "Rang Jordan about the CV.", "follow_up": "Ring again on Monday."},
    )


def amend_data(note, **overrides):
    version = note.versions.get(number=1)
    local = timezone.localtime(version.occurred_at)
    data = {
        "contact_type": str(version.contact_type_id),
        "occurred_date": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
        "facts": version.facts,
        "follow_up": version.follow_up,
        "reason": "",
        "amends_version": str(note.versions.count()),
    }
    data.update(overrides)
    return data


def test_amend_form_is_prefilled_with_the_latest_version(world, signed_in, note):
    note_amend(note=note, author=world.practitioner, reason="Day", sections={"follow_up": "Ring on Tuesday."})

    body = signed_in(world.practitioner).get(f"/notes/{note.pk}/amend").content.decode()

    assert "Ring on Tuesday.</textarea>" in body
    assert "Rang Jordan about the CV.</textarea>" in body
    assert "(version 2)" in body


def test_amendment_keeps_the_earlier_version_readable(world, signed_in, note):
    client = signed_in(world.practitioner)
    data = amend_data(note, follow_up="Ring again on Tuesday.", reason="Wrong day")

    response = client.post(f"/notes/{note.pk}/amend", data)

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{world.case.pk}/#note-{note.pk}"
    latest = note.versions.order_by("-number").first()
    assert (latest.number, latest.follow_up, latest.amendment_reason) == (
        2,
        "Ring again on Tuesday.",
        "Wrong day",
    )
    # The date and time were not touched, so the contact keeps its exact time (seconds too).
    assert latest.occurred_at == note.versions.get(number=1).occurred_at
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "amended by Alex Morgan on" in page
    assert "Reason: Wrong day" in page
    details = re.search(r'<details class="earlier-versions">(.*?)</details>', page, re.S).group(1)
    assert "Ring again on Monday." in details
    assert "Version 1 (original)" in details


def test_amendment_needs_a_reason_and_nothing_is_written(world, signed_in, note):
    response = signed_in(world.practitioner).post(
        f"/notes/{note.pk}/amend", amend_data(note, follow_up="Ring on Tuesday.")
    )

    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_reason") == "Give a reason for the amendment."
    assert NoteVersion.objects.filter(note=note).count() == 1


def test_amendment_that_changes_nothing_is_refused(world, signed_in, note):
    response = signed_in(world.practitioner).post(f"/notes/{note.pk}/amend", amend_data(note, reason="Tidy"))

    assert response.status_code == 400
    assert "The amendment changes nothing in the note." in response.content.decode()
    assert NoteVersion.objects.filter(note=note).count() == 1


def test_foreign_note_cannot_be_amended(world, signed_in):
    foreign_note = note_record(
        case=world.foreign_case,
        author=world.foreign_user,
        contact_type=contact_type(world.foreign_case.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        sections={"facts": "Rang.", "follow_up": "None."},
    )

    response = signed_in(world.practitioner).post(
        f"/notes/{foreign_note.pk}/amend", amend_data(foreign_note, facts="Changed", reason="Mine now")
    )

    assert response.status_code == 404
    assert NoteVersion.objects.filter(note=foreign_note).count() == 1
