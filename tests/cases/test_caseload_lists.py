"""Caseloads that stay usable as they grow (issue 9, scope 8): pages of 100 with the total,
search by client name or reference, sort by band, each case's band shown."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.changes import case_event_record
from casework.cases.models import CaseFlag, FlagCode
from casework.cases.views import CASELOAD_PAGE_SIZE, HISTORY_PAGE
from casework.priorities import views as priority_views
from casework.priorities.services import cases_reassess
from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def test_a_long_caseload_is_paged_with_the_total_and_logs_only_what_it_shows(world, signed_in):
    for _ in range(CASELOAD_PAGE_SIZE + 5):
        CaseFactory(owner=world.practitioner)
    browser = signed_in(world.practitioner)
    first = browser.get("/").content.decode()
    assert f"{CASELOAD_PAGE_SIZE + 6} cases, showing 1\u2013{CASELOAD_PAGE_SIZE}" in first
    assert "Next page" in first
    assert AccessEvent.objects.count() == CASELOAD_PAGE_SIZE
    second = browser.get("/?status=open&page=2").content.decode()
    assert f"showing {CASELOAD_PAGE_SIZE + 1}\u2013{CASELOAD_PAGE_SIZE + 6}" in second
    assert "Previous page" in second and "status=open&amp;page=1" in second


def test_the_caseload_is_searched_by_client_name_or_reference(world, signed_in):
    wanted = CaseFactory(
        owner=world.practitioner, client=ClientFactory(first_name="Eluned", last_name="Parry")
    )
    browser = signed_in(world.practitioner)
    by_name = browser.get("/", {"q": "elun parr"}).content.decode()
    assert "Eluned Parry" in by_name and world.case.client.full_name not in by_name
    by_reference = browser.get("/", {"q": wanted.client.reference.lower()}).content.decode()
    assert "Eluned Parry" in by_reference
    none = browser.get("/", {"q": "Zebedee"}).content.decode()
    assert "No cases match these filters." in none


def test_the_caseload_shows_each_band_and_sorts_red_first(world, signed_in):
    red = CaseFactory(owner=world.practitioner, client=ClientFactory(first_name="Red", last_name="Case"))
    CaseFlag.objects.create(
        organisation=world.organisation,
        case=red,
        code=FlagCode.SAFEGUARDING,
        raised_by=world.practitioner,
        raised_at=timezone.now(),
    )
    cases_reassess(case_ids=[world.case.pk, red.pk])
    page = signed_in(world.practitioner).get("/", {"sort": "band"}).content.decode()
    assert 'class="band-text band-text--red"' in page
    assert page.index("Red Case") < page.index(world.case.client.full_name)


def test_a_long_case_history_shows_the_newest_hundred_and_offers_the_rest(world, signed_in):
    for number in range(HISTORY_PAGE + 10):
        case_event_record(
            case=world.case, actor=world.practitioner, code="goal_added", summary=f"Goal {number:03d}"
        )
    browser = signed_in(world.practitioner)
    page = browser.get(f"/cases/{world.case.pk}/").content.decode()
    assert f"Showing the newest {HISTORY_PAGE} of {HISTORY_PAGE + 10} entries" in page
    assert "Goal 109" in page and "Goal 000" not in page
    whole = browser.get(f"/cases/{world.case.pk}/", {"history": "all"}).content.decode()
    assert "Goal 000" in whole


def test_today_lists_the_most_pressing_and_counts_the_rest(world, signed_in, monkeypatch):
    monkeypatch.setattr(priority_views, "TODAY_LIMIT", 3)
    for _ in range(5):
        CaseFactory(owner=world.practitioner)
    cases_reassess(case_ids=list(world.practitioner.owned_cases.values_list("pk", flat=True)))
    before = AccessEvent.objects.count()
    page = signed_in(world.practitioner).get("/today/").content.decode()
    assert "Showing the 3 most pressing of your 6 cases." in page
    assert AccessEvent.objects.count() - before == 3
