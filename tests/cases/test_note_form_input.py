"""The note form refuses what the API refuses (issue 8, findings 3 and 9): control characters
in the text and dates outside 1900 to 2100, each next to its field, with nothing saved."""

from __future__ import annotations

from casework.cases.models import CaseNote


def test_the_web_form_refuses_a_control_character_in_the_facts(world, signed_in, note_data):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/notes", note_data(facts="Rang\x07 about the job.")
    )

    assert response.status_code == 400
    assert "control character (U+0007)" in response.content.decode()
    assert CaseNote.objects.count() == 0


def test_the_web_form_refuses_an_action_due_in_the_year_1(world, signed_in, note_data):
    response = signed_in(world.practitioner).post(
        f"/cases/{world.case.pk}/notes", note_data(**{"action-0-due_on": "0001-01-01"})
    )

    assert response.status_code == 400
    assert "between 1 January 1900 and 31 December 2100" in response.content.decode()
    assert CaseNote.objects.count() == 0
