"""My caseload, the team view and a practitioner's caseload for review (PC3, PC14, PC16)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import Case, CaseFlag
from tests.factories import ActionFactory, CaseFactory, ClientFactory, UserFactory


def names_in_order(body: str) -> list[str]:
    """Client names in the caseload table, top to bottom."""
    return re.findall(r'<a href="/cases/\d+/">([^<]+)</a>', body)


@pytest.fixture
def caseload(world):
    """Alex's caseload: three open cases contacted 40, 10 and never days ago, one closed."""
    now = timezone.now()
    org = world.organisation

    def case(first: str, last_contact_days: int | None, **kwargs) -> Case:
        client = ClientFactory(organisation=org, first_name=first, last_name="Client")
        last = now - dt.timedelta(days=last_contact_days) if last_contact_days is not None else None
        return CaseFactory(owner=world.practitioner, client=client, last_contact_at=last, **kwargs)

    stale = case("Stale", 40)
    recent = case("Recent", 10)
    never = case("Never", None)
    closed = case("Closed", 5, status="closed", closed_on=timezone.localdate())
    ActionFactory(case=recent, due_on=timezone.localdate() - dt.timedelta(days=2))
    ActionFactory(case=recent, due_on=timezone.localdate() + dt.timedelta(days=4))
    CaseFlag.objects.create(organisation=org, case=stale, code="safeguarding", raised_by=world.practitioner)
    world.case.delete()
    return {"stale": stale, "recent": recent, "never": never, "closed": closed}


def test_open_cases_stalest_first_by_default(world, signed_in, caseload):
    body = signed_in(world.practitioner).get("/").content.decode()

    assert names_in_order(body) == ["Never Client", "Stale Client", "Recent Client"]
    assert "<title>My caseload \u2013 Casework</title>" in body
    assert "3 cases" in body


def test_newest_contact_first(world, signed_in, caseload):
    body = signed_in(world.practitioner).get("/", {"sort": "-last_contact"}).content.decode()

    assert names_in_order(body) == ["Recent Client", "Stale Client", "Never Client"]


def test_filters_status_overdue_and_days_since_contact(world, signed_in, caseload):
    client = signed_in(world.practitioner)

    closed = client.get("/", {"status": "closed"}).content.decode()
    any_status = client.get("/", {"status": "any"}).content.decode()
    overdue = client.get("/", {"overdue": "on"}).content.decode()
    quiet = client.get("/", {"min_days": "30"}).content.decode()

    assert names_in_order(closed) == ["Closed Client"]
    assert set(names_in_order(any_status)) == {
        "Never Client",
        "Stale Client",
        "Recent Client",
        "Closed Client",
    }
    assert names_in_order(overdue) == ["Recent Client"]
    assert names_in_order(quiet) == ["Never Client", "Stale Client"]


def test_columns_show_contact_actions_and_flags(world, signed_in, caseload):
    body = signed_in(world.practitioner).get("/").content.decode()
    rows = {name: row for row in re.findall(r"<tr.*?</tr>", body, re.S) for name in names_in_order(row)}

    assert "never" in rows["Never Client"]
    assert "40 days ago" in rows["Stale Client"]
    assert "Flagged" in rows["Stale Client"] and "Flagged" not in rows["Recent Client"]
    assert "2 open" in rows["Recent Client"] and "1 overdue" in rows["Recent Client"]
    next_due = (timezone.localdate() - dt.timedelta(days=2)).strftime("%-d %b %Y")
    assert next_due in rows["Recent Client"]
    assert caseload["stale"].client.reference in rows["Stale Client"]


def test_bad_filter_value_is_ignored_and_explained(world, signed_in, caseload):
    body = signed_in(world.practitioner).get("/", {"min_days": "lots"}).content.decode()

    assert names_in_order(body) == ["Never Client", "Stale Client", "Recent Client"]
    assert 'id="id_min_days_error"' in body


def test_htmx_filter_gets_only_the_results(world, signed_in, caseload):
    response = signed_in(world.practitioner).get("/", {"status": "closed"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert names_in_order(body) == ["Closed Client"]
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(world, signed_in, caseload):
    response = signed_in(world.practitioner).get(
        "/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_filter_form_works_without_and_with_javascript(world, signed_in):
    body = signed_in(world.practitioner).get("/").content.decode()

    form = re.search(r'<form class="filters"[^>]*>', body).group(0)
    assert 'method="get" action="/"' in form
    assert 'hx-get="/"' in form and 'hx-target="#caseload-results"' in form and 'hx-push-url="true"' in form
    for field in ("status", "min_days", "sort", "overdue"):
        assert f'<label for="id_{field}">' in body


def test_empty_caseload_explains_itself(world, signed_in):
    body = signed_in(world.colleague).get("/").content.decode()

    assert "You have no open cases." in body


def test_empty_filter_result_suggests_what_to_change(world, signed_in, caseload):
    body = signed_in(world.practitioner).get("/", {"status": "on_hold"}).content.decode()

    assert "No cases match these filters." in body
    assert "Clear filters" in body


def test_caseload_records_who_saw_which_clients(world, signed_in, caseload):
    signed_in(world.practitioner).get("/")

    seen = set(AccessEvent.objects.filter(user_id=world.practitioner.pk).values_list("case_id", flat=True))
    assert seen == {caseload["stale"].pk, caseload["recent"].pk, caseload["never"].pk}


# Team views ----------------------------------------------------------------------------------


def test_team_overview_counts_each_practitioners_caseload(world, signed_in, caseload):
    body = signed_in(world.supervisor).get("/team/").content.decode()

    row = re.search(rf'<tr>\s*<th scope="row"><a href="/team/{world.practitioner.pk}/">.*?</tr>', body, re.S)
    cells = re.findall(r'<td class="num">(?:<strong class="overdue">)?(\d+)', row.group(0))
    # open, on hold, no contact in 28 days, overdue actions, late notes
    assert cells == ["3", "0", "2", "1", "0"]
    assert f'href="/team/{world.other_practitioner.pk}/"' not in body


def test_manager_sees_every_team(world, signed_in):
    body = signed_in(world.manager).get("/team/").content.decode()

    assert f'href="/team/{world.practitioner.pk}/"' in body
    assert f'href="/team/{world.other_practitioner.pk}/"' in body


def test_supervisor_reviews_a_members_caseload_with_filters(world, signed_in, caseload):
    client = signed_in(world.supervisor)

    body = client.get(f"/team/{world.practitioner.pk}/", {"overdue": "on"}).content.decode()

    assert "<h1>Caseload: Alex Morgan</h1>" in body
    assert names_in_order(body) == ["Recent Client"]
    assert f'hx-get="/team/{world.practitioner.pk}/"' in body


def test_supervisor_cannot_review_another_teams_member(world, signed_in):
    stranger = UserFactory(organisation=world.organisation, team=world.other_team)

    response = signed_in(world.supervisor).get(f"/team/{stranger.pk}/")

    assert response.status_code == 404
