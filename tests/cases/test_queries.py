"""Pages cost a fixed number of SQL queries, however big the caseload or history (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.cases.models import CaseFlag, Deadline
from casework.cases.services import ActionInput, note_amend, note_record
from tests.factories import ActionFactory, CaseFactory, GoalFactory, contact_type

# The same bound for 5 and for 40 rows; the slack (2) is smaller than the smallest N+1 (5).
# Caseload, 9 today: session, user, authenticator devices, the caseload, the access-log
# insert, the session's last-seen stamp (savepoint, update, release), and the inbox count.
CASELOAD_QUERY_BOUND = 11
# Case page, 22 today: those fixed costs plus case, write check, plan (goals, actions, flags,
# deadlines), history (notes, versions, goals of versions, events), note form choices, and
# the priority panel (assessment, overrides).
CASE_PAGE_QUERY_BOUND = 27  # issue 9: closures, My actions count, acknowledged alerts, own flags
# Print page, 16 today: the case page less the write check and the note form.
PRINT_PAGE_QUERY_BOUND = 20  # issue 9 (D6): the outcomes and the priority panel are printed too


def build_caseload(world, size: int) -> None:
    for index in range(size):
        case = CaseFactory(
            owner=world.practitioner, last_contact_at=timezone.now() - dt.timedelta(days=index)
        )
        ActionFactory(case=case, due_on=timezone.localdate() - dt.timedelta(days=1))
        ActionFactory(case=case)
        if index % 3 == 0:
            CaseFlag.objects.create(
                organisation=world.organisation, case=case, code="disability", raised_by=world.practitioner
            )


def build_history(world, size: int) -> None:
    goal = GoalFactory(case=world.case)
    Deadline.objects.create(
        organisation=world.organisation,
        case=world.case,
        kind="agreed",
        description="Send the CV",
        due_on=timezone.localdate(),
    )
    for index in range(size):
        note = note_record(
            case=world.case,
            author=world.practitioner if index % 2 else world.supervisor,
            contact_type=contact_type(world.organisation, "phone"),
            occurred_at=timezone.now() - dt.timedelta(days=index, hours=index % 30),
            sections={"facts": f"Call {index}.", "follow_up": "Call again.", "assessment": "Coping."},
            actions=[
                ActionInput(
                    description=f"Action {index}",
                    due_on=timezone.localdate() + dt.timedelta(days=index - 3),
                    assigned_to=world.colleague,
                    goal=goal,
                )
            ],
            goals=[goal],
        )
        if index % 4 == 0:
            note_amend(note=note, author=world.practitioner, reason="Fix", sections={"follow_up": "Later."})


@pytest.mark.parametrize("size", [5, 40])
def test_caseload_page_queries_do_not_grow_with_the_caseload(
    world, signed_in, django_assert_max_num_queries, size
):
    build_caseload(world, size)
    client = signed_in(world.practitioner)

    with django_assert_max_num_queries(CASELOAD_QUERY_BOUND):
        response = client.get("/", {"status": "any"})

    assert response.content.decode().count('<tr class="has-overdue">') == size


@pytest.mark.parametrize("size", [5, 40])
def test_team_member_caseload_queries_do_not_grow(world, signed_in, django_assert_max_num_queries, size):
    build_caseload(world, size)
    client = signed_in(world.supervisor)

    with django_assert_max_num_queries(CASELOAD_QUERY_BOUND + 1):
        response = client.get(f"/team/{world.practitioner.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize(
    ("path", "bound"),
    [("/cases/{id}/", CASE_PAGE_QUERY_BOUND), ("/cases/{id}/history/print", PRINT_PAGE_QUERY_BOUND)],
)
def test_case_pages_queries_do_not_grow_with_the_history(
    world, signed_in, django_assert_max_num_queries, size, path, bound
):
    build_history(world, size)
    client = signed_in(world.supervisor)

    with django_assert_max_num_queries(bound):
        response = client.get(path.format(id=world.case.pk))

    assert response.content.decode().count('class="timeline-item note"') == size
