"""`casework generate`: a synthetic organisation of any size (issue 3 item 8), checked at 300 cases."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Max

from casework.accounts.models import Organisation, Role, Team, User
from casework.audit.models import AuditChain, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases import defaults, rules
from casework.cases.events import EVENT_CODES
from casework.cases.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Case,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseStatus,
    Client,
    Deadline,
    Goal,
    NoteVersion,
)
from casework.demo import generate
from casework.demo.generate import GenerateError, GenerateSummary, generate_organisation
from casework.demo.scale_rows import TABLES, Layout, Person, RowFactory, TeamLayout
from casework.priorities.models import CaseAssessment

NOW = datetime(2026, 11, 18, 11, 30, tzinfo=UTC)  # a Wednesday
CASES = 300


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[GenerateSummary]:
    """One generation for every test here, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate_organisation(cases=CASES, seed=7, slug="gen", practitioners=3, now=NOW)
        transaction.set_rollback(True)


@pytest.fixture
def org(generated: GenerateSummary, db: None) -> Organisation:
    return generated.organisation


def _layout(seed_ids: int = 1) -> Layout:
    people = [Person(i, "Alex", "Morgan") for i in range(1, 5)]
    return Layout(
        organisation_id=1,
        note_time_scale_hours=24,
        case_types={code: i for i, (code, _) in enumerate(defaults.CASE_TYPES, 1)},
        contact_types={code: i for i, (code, *_rest) in enumerate(defaults.CONTACT_TYPES, 1)},
        client_contact_types=frozenset(code for code, _, _, contact in defaults.CONTACT_TYPES if contact),
        required_sections={code: tuple(required) for code, _, required, _ in defaults.CONTACT_TYPES},
        teams=(TeamLayout(spec=0, supervisor=people[0], practitioners=tuple(people[1:])),),
        first_ids=dict.fromkeys(TABLES, seed_ids),
    )


def _digest(seed: int) -> str:
    digest = hashlib.sha256()
    for chunk in RowFactory(layout=_layout(), cases=120, seed=seed, now=NOW):
        digest.update(repr(chunk.rows).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_rows_and_another_seed_different_ones() -> None:
    assert _digest(7) == _digest(7)
    assert _digest(7) != _digest(8)


def test_the_same_seed_writes_the_same_organisation(org: Organisation) -> None:
    def content(organisation: Organisation) -> list[tuple[object, ...]]:
        notes = Counter(CaseNote.objects.filter(organisation=organisation).values_list("case_id", flat=True))
        cases = Case.objects.filter(organisation=organisation).order_by("pk")
        return [
            (*row[1:-1], row[-1].split("-", 1)[1], notes[row[0]])
            for row in cases.values_list(
                "pk",
                "status",
                "opened_on",
                "closed_on",
                "complexity",
                "client__first_name",
                "owner__username",
            )
        ]

    again = generate_organisation(cases=CASES, seed=7, slug="gen2", practitioners=3, now=NOW, run_sweep=False)
    other = generate_organisation(cases=CASES, seed=8, slug="gen3", practitioners=3, now=NOW, run_sweep=False)
    mine = content(org)
    assert len(mine) == CASES
    assert content(again.organisation) == mine
    assert content(other.organisation) != mine


def test_staff_are_teams_of_practitioners_with_a_supervisor_and_the_other_roles(
    generated: GenerateSummary, org: Organisation
) -> None:
    roles = Counter(User.objects.filter(organisation=org).values_list("role", flat=True))
    assert roles == {
        Role.PRACTITIONER: 3,
        Role.SUPERVISOR: 1,
        Role.MANAGER: 1,
        Role.DATA_PROTECTION: 1,
        Role.ADMIN: 1,
    }
    (team,) = Team.objects.filter(organisation=org)
    assert list(team.supervisors.values_list("username", flat=True)) == ["gen-s0001"]
    assert team.members.filter(role=Role.PRACTITIONER).count() == 3
    assert not User.objects.filter(organisation=org).exclude(email="").exists()
    assert not any(user.has_usable_password() for user in User.objects.filter(organisation=org))
    assert (generated.practitioners, generated.teams, generated.staff) == (3, 1, 7)


def test_cases_have_the_planned_statuses_dealt_evenly_over_two_years(org: Organisation) -> None:
    cases = Case.objects.filter(organisation=org)
    assert Counter(cases.values_list("status", flat=True)) == {"open": 189, "on_hold": 21, "closed": 90}
    live = Counter(cases.exclude(status=CaseStatus.CLOSED).values_list("owner__username", flat=True))
    assert sorted(live.values()) == [70, 70, 70]
    opened = sorted(cases.values_list("opened_on", flat=True))
    today = NOW.date()
    assert today - timedelta(days=731) <= opened[0] < today - timedelta(days=500) and opened[-1] <= today
    assert all(day.weekday() < 5 for day in opened)
    assert not cases.filter(status=CaseStatus.CLOSED, closed_on__isnull=True).exists()
    assert not cases.exclude(status=CaseStatus.CLOSED).filter(closed_on__isnull=False).exists()
    assert Client.objects.filter(organisation=org).count() == CASES
    assert len(set(Client.objects.filter(organisation=org).values_list("reference", flat=True))) == CASES


def test_every_note_version_fills_its_contact_types_required_sections(org: Organisation) -> None:
    versions = NoteVersion.objects.filter(organisation=org).select_related("contact_type")
    originals: dict[int, NoteVersion] = {}
    checked = 0
    for version in versions.order_by("note_id", "number"):
        sections = {code: getattr(version, code) for code in rules.SECTION_LABELS}
        assert rules.missing_sections(version.contact_type.required_sections, sections) == []
        assert version.occurred_at <= version.recorded_at <= NOW
        if version.number == 1:
            originals[version.note_id] = version
            assert version.amendment_reason == ""
            assert version.is_late == (version.recorded_at - version.occurred_at > timedelta(hours=24))
        else:
            # As note_amend records it: a reason, later, and the original's lateness.
            first = originals[version.note_id]
            assert version.amendment_reason and version.recorded_at > first.recorded_at
            assert version.is_late == first.is_late and version.facts.startswith(first.facts)
        checked += 1
    notes = CaseNote.objects.filter(organisation=org).count()
    assert 3 * CASES < notes < 10 * CASES
    assert notes < checked < 1.15 * notes  # a few amendments


def test_last_contact_is_the_latest_client_contact(org: Organisation) -> None:
    latest = dict(
        NoteVersion.objects.filter(organisation=org, contact_type__is_client_contact=True)
        .values_list("note__case_id")
        .annotate(Max("occurred_at"))
    )
    cases = dict(Case.objects.filter(organisation=org).values_list("pk", "last_contact_at"))
    assert cases == {pk: latest.get(pk) for pk in cases}


def test_plans_flags_and_deadlines_look_like_a_real_caseload(org: Organisation) -> None:
    actions = Action.objects.filter(organisation=org)
    assert actions.count() > 2 * CASES
    assert actions.overdue(today=NOW.date()).filter(case__status=CaseStatus.OPEN).exists()
    assert not actions.filter(owner_kind=ActionOwner.STAFF).exclude(assigned_to=F("case__owner")).exists()
    assert not actions.filter(status=ActionStatus.DONE, completed_on__isnull=True).exists()
    assert Goal.objects.filter(organisation=org).count() >= 2 * (CASES - 10)
    flagged = CaseFlag.objects.filter(organisation=org).values("case").distinct().count()
    assert 0.05 * CASES < flagged < 0.6 * CASES
    upcoming = Deadline.objects.filter(organisation=org, met_on__isnull=True, due_on__gte=NOW.date())
    assert upcoming.filter(case__status=CaseStatus.OPEN).exists()


def test_case_history_refers_to_the_rows_it_describes(org: Organisation) -> None:
    events = CaseEvent.objects.filter(organisation=org)
    assert set(events.values_list("code", flat=True)) <= set(EVENT_CODES)
    assert events.filter(code="case_opened").count() == CASES
    closed = Case.objects.filter(organisation=org, status=CaseStatus.CLOSED).count()
    assert events.filter(code="status_changed", data__to="closed").count() == closed
    assert sorted(events.filter(code="action_added").values_list("data__action_id", flat=True)) == sorted(
        Action.objects.filter(organisation=org).values_list("pk", flat=True)
    )
    assert sorted(events.filter(code="flag_raised").values_list("data__flag_id", flat=True)) == sorted(
        CaseFlag.objects.filter(organisation=org).values_list("pk", flat=True)
    )


def test_the_sweep_assessed_every_live_case(generated: GenerateSummary, org: Organisation) -> None:
    live = Case.objects.filter(organisation=org).exclude(status=CaseStatus.CLOSED)
    assessed = CaseAssessment.objects.filter(organisation=org)
    assert set(assessed.values_list("case_id", flat=True)) == set(live.values_list("pk", flat=True))
    assert generated.sweep_assessed == live.count() == 210
    for assessment in assessed:
        assert sum(reason["points"] for reason in assessment.rationale) == assessment.score
    bands = Counter(assessed.values_list("band", flat=True))
    assert bands["red"] > 0 and bands["green"] > bands["red"]


def test_generated_data_has_no_audit_trail_and_the_chain_verifies(org: Organisation) -> None:
    assert not AuditEvent.objects.filter(organisation_id=org.pk).exists()
    assert not AuditChain.objects.filter(organisation_id=org.pk).exists()
    assert verify_chain(org.pk) is None


def test_new_rows_after_a_generation_take_fresh_ids(org: Organisation) -> None:
    highest = Client.objects.aggregate(Max("pk"))["pk__max"]
    client = Client.objects.create(organisation=org, first_name="New", last_name="Client")
    assert client.pk > highest


def test_the_command_refuses_an_organisation_that_exists(org: Organisation) -> None:
    cases = Case.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate", "--cases", "10", "--organisation", "gen", stdout=StringIO())
    assert Case.objects.count() == cases
    with pytest.raises(GenerateError):
        generate_organisation(cases=0, slug="none")
    assert not Organisation.objects.filter(slug="none").exists()


def test_the_command_writes_and_reports(db: None) -> None:
    out = StringIO()
    call_command("generate", "--cases", "20", "--seed", "3", "--organisation", "small", stdout=out)
    org = Organisation.objects.get(slug="small")
    assert Case.objects.filter(organisation=org).count() == 20
    assert "20 cases" in out.getvalue() and "sweep: 14 open and on-hold cases assessed" in out.getvalue()


def test_a_failed_write_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate._SqliteMany, "write", fail)
    monkeypatch.setattr(generate._PostgresCopy, "write", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_organisation(cases=30, seed=1, slug="broken", now=NOW)
    assert not Organisation.objects.filter(slug="broken").exists()
    assert not User.objects.filter(username__startswith="broken-").exists()
