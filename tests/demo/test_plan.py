"""The demo plan: deterministic, realistic and complete before anything is written."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from casework.accounts.models import Role
from casework.cases import rules
from casework.cases.models import ActionStatus, CaseStatus
from casework.demo.plan import plan_demo
from casework.demo.specs import DEFAULT_CONTACT_RULES, STAFF, DemoPlan, owner_label

# A fixed reference time, so every run of these tests sees the same plan.
NOW = datetime(2026, 3, 18, 12, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return plan_demo(now=NOW)


def versions(plan: DemoPlan):  # type: ignore[no-untyped-def]
    return [(case, note, v) for case in plan.cases for note in case.notes for v in note.versions]


def test_same_seed_and_time_give_the_same_plan(plan: DemoPlan) -> None:
    assert plan_demo(now=NOW).digest() == plan.digest()


def test_another_seed_or_reference_time_gives_another_plan(plan: DemoPlan) -> None:
    assert plan_demo(now=NOW, seed=15, clients=30).digest() != plan_demo(now=NOW, clients=30).digest()
    assert (
        plan_demo(now=NOW + timedelta(days=1), clients=30).digest() != plan_demo(now=NOW, clients=30).digest()
    )


def test_staff_are_two_teams_of_four_with_a_supervisor_each_and_three_more_roles() -> None:
    roles = Counter(member.role for member in STAFF)
    assert roles == {
        Role.PRACTITIONER: 8,
        Role.SUPERVISOR: 2,
        Role.MANAGER: 1,
        Role.DATA_PROTECTION: 1,
        Role.ADMIN: 1,
    }
    per_team = Counter((member.team, member.role) for member in STAFF if member.team is not None)
    assert per_team == {
        (0, Role.PRACTITIONER): 4,
        (1, Role.PRACTITIONER): 4,
        (0, Role.SUPERVISOR): 1,
        (1, Role.SUPERVISOR): 1,
    }
    assert all(member.username == member.first_name.lower() for member in STAFF)


def test_about_400_clients_each_with_a_case_and_a_few_returning(plan: DemoPlan) -> None:
    assert len(plan.clients) == 400
    per_client = Counter(case.client for case in plan.cases)
    assert set(range(400)) == set(per_client)
    returning = [client for client, count in per_client.items() if count == 2]
    assert len(returning) == 12 and max(per_client.values()) == 2
    for client in returning:
        first, second = [case for case in plan.cases if case.client == client]
        assert first.status == CaseStatus.CLOSED and second.status == CaseStatus.OPEN
        assert first.closed_on is not None and first.closed_on < second.opened_on


def test_alex_has_a_realistic_caseload(plan: DemoPlan) -> None:
    active = [c for c in plan.cases if c.owner == "alex" and c.status != CaseStatus.CLOSED]
    assert 40 <= len(active) <= 50


def test_cases_span_six_months_with_a_mix_of_statuses(plan: DemoPlan) -> None:
    today = NOW.date()
    assert all(today - timedelta(days=183) <= c.opened_on <= today for c in plan.cases)
    statuses = Counter(c.status for c in plan.cases)
    assert statuses[CaseStatus.OPEN] > 0.7 * len(plan.cases)
    assert statuses[CaseStatus.ON_HOLD] >= 10 and statuses[CaseStatus.CLOSED] >= 30
    for case in plan.cases:
        assert (case.closed_on is not None) == (case.status == CaseStatus.CLOSED)
        assert case.complexity in (1, 2, 3)
        assert case.required_outcomes and "{" not in case.required_outcomes


def test_notes_average_six_to_ten_a_case(plan: DemoPlan) -> None:
    notes = sum(len(case.notes) for case in plan.cases)
    assert 6 <= notes / len(plan.cases) <= 10


def test_every_version_fills_the_sections_its_contact_type_requires(plan: DemoPlan) -> None:
    for _case, _note, version in versions(plan):
        required = DEFAULT_CONTACT_RULES[version.contact_type].required_sections
        assert rules.missing_sections(required, version.sections) == []
        assert all("{" not in text and "}" not in text for text in version.sections.values())


def test_contacts_happen_in_the_case_and_are_recorded_afterwards(plan: DemoPlan) -> None:
    for case, _note, version in versions(plan):
        assert case.opened_on <= version.occurred_at.date()
        assert version.occurred_at <= version.recorded_at < NOW
        if case.closed_on is not None:
            assert version.occurred_at.date() <= case.closed_on


def test_lateness_follows_the_24_hour_time_scale(plan: DemoPlan) -> None:
    late = 0
    for _case, note, version in versions(plan):
        original = note.versions[0]
        assert version.is_late == (original.recorded_at - original.occurred_at > timedelta(hours=24))
        late += version.number == 1 and version.is_late
    notes = sum(len(case.notes) for case in plan.cases)
    assert 0.03 * notes < late < 0.12 * notes


def test_amendments_change_the_note_and_give_a_reason(plan: DemoPlan) -> None:
    amended = [note for case in plan.cases for note in case.notes if len(note.versions) > 1]
    assert len(amended) > 100
    reasons = Counter(note.versions[1].amendment_reason for note in amended)
    assert "Client's new phone number added" in reasons
    assert "Corrected the date of the tribunal hearing" in reasons
    for note in amended:
        first, second = note.versions
        assert first.amendment_reason == "" and second.number == 2
        assert second.sections != first.sections
        assert second.recorded_at > first.recorded_at
        assert (second.occurred_at, second.contact_type) == (first.occurred_at, first.contact_type)


def test_only_the_chosen_facts_read_as_opinion(plan: DemoPlan) -> None:
    """A few notes show the fact/opinion advice; every other facts section is plain fact (K4)."""
    flagged = 0
    for _case, note, version in versions(plan):
        findings = rules.check_facts(version.sections["facts"])
        assert bool(findings) == note.opinion_in_facts, version.sections["facts"]
        flagged += bool(findings) and version.number == 1
    assert 20 < flagged < 0.05 * sum(len(case.notes) for case in plan.cases)


def test_actions_agreed_lists_every_action_as_note_record_does(plan: DemoPlan) -> None:
    for case in plan.cases:
        for action in case.actions:
            assert action.note is not None
            text = case.notes[action.note].versions[0].sections["actions_agreed"]
            label = owner_label(action.owner_kind, action.assigned_to, action.owner_name)
            assert f"- {action.description} (owner: {label}; due {rules.short_date(action.due_on)})" in text


def test_some_actions_are_overdue_and_finished_ones_are_dated(plan: DemoPlan) -> None:
    actions = [a for case in plan.cases for a in case.actions]
    overdue = [a for a in actions if a.status == ActionStatus.OPEN and a.due_on < NOW.date()]
    assert 0.03 * len(actions) < len(overdue) < 0.2 * len(actions)
    for action in actions:
        assert (action.completed_on is not None) == (action.status == ActionStatus.DONE)
        assert (action.changed_at is not None) == (action.status != ActionStatus.OPEN)


def test_last_contact_is_the_latest_client_contact(plan: DemoPlan) -> None:
    for case in plan.cases:
        contacts = [
            v.occurred_at
            for note in case.notes
            for v in note.versions
            if DEFAULT_CONTACT_RULES[v.contact_type].is_client_contact
        ]
        assert case.last_contact_at == (max(contacts) if contacts else None)


def test_live_cases_are_due_a_review_six_weeks_after_the_last(plan: DemoPlan) -> None:
    for case in plan.cases:
        if case.status == CaseStatus.CLOSED:
            assert case.next_review_on is None
            continue
        reviews = [
            n.versions[0].occurred_at.date()
            for n in case.notes
            if n.versions[0].contact_type == "case_review"
        ]
        assert case.next_review_on == max(reviews, default=case.opened_on) + timedelta(days=42)


def test_flags_and_deadlines_include_safeguarding_and_statutory_ones(plan: DemoPlan) -> None:
    flags = Counter(flag.code for case in plan.cases for flag in case.flags)
    assert {"safeguarding", "homelessness", "mental_health", "care_leaver"} <= set(flags)
    assert flags["safeguarding"] < 0.05 * len(plan.cases)
    deadlines = {d.description for case in plan.cases for d in case.deadlines if d.kind == "statutory"}
    assert {"Mandatory reconsideration deadline", "Section 21 notice expires", "PIP form return"} <= deadlines


def test_personal_details_are_safe_to_publish(plan: DemoPlan) -> None:
    """Ofcom drama numbers and example domains only, so nobody real can be reached."""
    phone = re.compile(r"07700 900\d{3}")
    for client in plan.clients:
        assert client.phone == "" or phone.fullmatch(client.phone)
        assert client.email == "" or client.email.endswith(("@example.com", "@example.org"))
    for _case, _note, version in versions(plan):
        for number in re.findall(r"\b07\d{3} \d{6}\b", version.sections["facts"]):
            assert phone.fullmatch(number)
    text = repr(plan).lower()
    assert "lorem" not in text and "ipsum" not in text
