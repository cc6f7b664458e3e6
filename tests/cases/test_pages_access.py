"""Every web view against every role (PC16): unreadable is 404, read-only is 403, nothing written.

Expected answers come from the access matrix CAN_READ / CAN_WRITE in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from casework.cases.models import Action, CaseEvent, CaseNote, NoteVersion
from casework.cases.services import note_record
from tests.conftest import CAN_READ, CAN_WRITE, ROLES
from tests.factories import ActionFactory, contact_type

# Who may open the team pages: /team/ for any supervisor or manager; a member's caseload
# only for that practitioner's supervisor or a manager.
CAN_SEE_TEAMS = {"supervisor", "other_supervisor", "manager"}
CAN_REVIEW_OWNER = {"supervisor", "manager"}


def read_expected(role: str) -> int:
    return 200 if role in CAN_READ else 404


def write_expected(role: str, ok: int) -> int:
    if role in CAN_WRITE:
        return ok
    return 403 if role in CAN_READ else 404


@pytest.fixture
def note(world):
    """A signed note on the world's case, recorded by its owner."""
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        sections={"facts": "Rang Jordan about the CV.", "follow_up": "Ring again on Monday."},
    )


@pytest.fixture
def action(world):
    return ActionFactory(case=world.case)


def written() -> tuple[int, int, int, int]:
    return (
        CaseNote.objects.count(),
        NoteVersion.objects.count(),
        CaseEvent.objects.count(),
        Action.objects.filter(status="done").count(),
    )


# Reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_my_caseload_lists_only_the_users_own_cases(world, signed_in, role):
    user = world.by_role()[role]

    response = signed_in(user).get("/")

    assert response.status_code == 200
    assert (world.case.client.full_name in response.content.decode()) is (role == "owner")
    assert (world.foreign_case.client.full_name in response.content.decode()) is (role == "foreign")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/cases/{id}/", "/cases/{id}/history/print"])
def test_case_pages(world, signed_in, note, role, path):
    response = signed_in(world.by_role()[role]).get(path.format(id=world.case.pk))

    assert response.status_code == read_expected(role)
    body = response.content.decode()
    assert ("Rang Jordan about the CV." in body) is (role in CAN_READ)


@pytest.mark.parametrize("role", ROLES)
def test_team_overview(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get("/team/")

    assert response.status_code == (200 if role in CAN_SEE_TEAMS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_team_member_caseload(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get(f"/team/{world.practitioner.pk}/")

    assert response.status_code == (200 if role in CAN_REVIEW_OWNER else 404)
    assert (world.case.client.full_name in response.content.decode()) is (role in CAN_REVIEW_OWNER)


@pytest.mark.parametrize("role", ROLES)
def test_team_link_shows_only_to_supervisors_and_managers(world, signed_in, role):
    body = signed_in(world.by_role()[role]).get("/").content.decode()

    assert ('href="/team/"' in body) is (role in CAN_SEE_TEAMS)


# Writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_add_note(world, signed_in, note_data, role):
    response = signed_in(world.by_role()[role]).post(f"/cases/{world.case.pk}/notes", note_data())

    assert response.status_code == write_expected(role, 302)
    assert CaseNote.objects.filter(case=world.case).count() == (1 if role in CAN_WRITE else 0)
    if role not in CAN_WRITE:
        assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize("role", ROLES)
def test_note_form_page(world, signed_in, role):
    response = signed_in(world.by_role()[role]).get(f"/cases/{world.case.pk}/notes")

    assert response.status_code == write_expected(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_fact_check(world, signed_in, role):
    response = signed_in(world.by_role()[role]).post(
        f"/cases/{world.case.pk}/notes/check", {"facts": "He was obviously drunk."}
    )

    assert response.status_code == write_expected(role, 200)
    assert ("<mark" in response.content.decode()) is (role in CAN_WRITE)
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize("role", ROLES)
def test_amend_form(world, signed_in, note, role):
    response = signed_in(world.by_role()[role]).get(f"/notes/{note.pk}/amend")

    assert response.status_code == write_expected(role, 200)
    assert ("Rang Jordan about the CV." in response.content.decode()) is (role in CAN_WRITE)


@pytest.mark.parametrize("role", ROLES)
def test_amend(world, signed_in, note, note_data, role):
    data = note_data(
        contact_type=str(note.versions.get().contact_type_id),
        facts="Rang Jordan about the CV and the two adverts.",
        reason="Left out the adverts",
        amends_version="1",
    )

    response = signed_in(world.by_role()[role]).post(f"/notes/{note.pk}/amend", data)

    assert response.status_code == write_expected(role, 302)
    assert NoteVersion.objects.filter(note=note).count() == (2 if role in CAN_WRITE else 1)


@pytest.mark.parametrize("role", ROLES)
def test_mark_action_done(world, signed_in, action, role):
    before = written()

    response = signed_in(world.by_role()[role]).post(f"/actions/{action.pk}/", {"status": "done"})

    assert response.status_code == write_expected(role, 302)
    action.refresh_from_db()
    assert action.status == ("done" if role in CAN_WRITE else "open")
    if role not in CAN_WRITE:
        assert written() == before


@pytest.mark.parametrize("role", ROLES)
def test_change_status(world, signed_in, role):
    before = written()

    response = signed_in(world.by_role()[role]).post(
        f"/cases/{world.case.pk}/status", {"status": "on_hold", "reason": "Client in hospital"}
    )

    assert response.status_code == write_expected(role, 302)
    world.case.refresh_from_db()
    assert world.case.status == ("on_hold" if role in CAN_WRITE else "open")
    if role not in CAN_WRITE:
        assert written() == before


def test_manager_gets_the_read_only_page_on_a_write(world, signed_in, note_data):
    response = signed_in(world.manager).post(f"/cases/{world.case.pk}/notes", note_data())

    assert response.status_code == 403
    assert "You can read this record but not change it" in response.content.decode()


def test_reader_who_may_not_write_sees_no_forms(world, signed_in, note):
    body = signed_in(world.manager).get(f"/cases/{world.case.pk}/").content.decode()

    assert "You can read this case but not record on it." in body
    assert f'action="/cases/{world.case.pk}/notes"' not in body
    assert "Amend this note" not in body


# Anonymous ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/cases/{case}/"),
        ("get", "/cases/{case}/history/print"),
        ("get", "/cases/{case}/notes"),
        ("post", "/cases/{case}/notes"),
        ("post", "/cases/{case}/notes/check"),
        ("get", "/notes/{note}/amend"),
        ("post", "/notes/{note}/amend"),
        ("post", "/actions/{action}/"),
        ("post", "/cases/{case}/status"),
        ("get", "/team/"),
        ("get", "/team/{owner}/"),
    ],
)
def test_anonymous_users_are_sent_to_sign_in(world, note, action, note_data, method, path):
    url = path.format(case=world.case.pk, note=note.pk, action=action.pk, owner=world.practitioner.pk)
    before = written()

    response = getattr(Client(), method)(url, note_data() if method == "post" else None)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert written() == before
