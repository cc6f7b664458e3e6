"""Caseloads that stay usable as they grow (issue 9, scope 8): pages of 100 with the total,
search by client name or reference, sort by band, each case's band shown."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.audit.models import AccessEvent
from casework.cases.models import CaseFlag, FlagCode
from casework.cases.views import CASELOAD_PAGE_SIZE
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
    assert 'class="band band--red"' in page
    assert page.index("Red Case") < page.index(world.case.client.full_name)
