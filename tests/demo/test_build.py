"""`casework demo`: the demo organisation in the database, built once for this module."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max
from django.test import RequestFactory
from django.utils import timezone

from casework.accounts.models import Organisation, Role, Team, User
from casework.audit.models import AuditEvent
from casework.audit.trail import verify_chain
from casework.cases import rules
from casework.cases.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Case,
    CaseClosure,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseOutcome,
    CaseStatus,
    Client,
    ClientCorrection,
    NoteVersion,
    OrganisationFlag,
)
from casework.cases.selectors import cases_visible_to
from casework.demo.builder import DemoSummary, build_demo, delete_demo
from casework.demo.plan import plan_demo
from casework.demo.specs import DEMO_PASSWORD, DEMO_SLUG
from casework.priorities.models import CaseAssessment, Notification, NotificationKind
from tests.factories import OrganisationFactory, UserFactory

NOW = timezone.now()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[DemoSummary]:  # type: ignore[no-untyped-def]
    """One build for every test here, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(now=NOW)
        transaction.set_rollback(True)


@pytest.fixture
def org(demo: DemoSummary, db: None) -> Organisation:
    return demo.organisation


def test_the_build_is_the_deterministic_plan(demo: DemoSummary, org: Organisation) -> None:
    assert demo.digest == plan_demo(now=NOW).digest()
    assert Client.objects.filter(organisation=org).count() == demo.clients == 400
    assert Case.objects.filter(organisation=org).count() == demo.cases
    assert 405 <= demo.cases <= 420
    assert CaseNote.objects.filter(organisation=org).count() == demo.notes
    assert NoteVersion.objects.filter(organisation=org).count() == demo.notes + demo.amended_notes
    assert Action.objects.filter(organisation=org).count() == demo.actions


def test_two_teams_eight_practitioners_two_supervisors_and_one_of_each_other_role(org: Organisation) -> None:
    assert sorted(Team.objects.filter(organisation=org).values_list("name", flat=True)) == [
        "Employment and Skills",
        "Housing and Welfare",
    ]
    # Nia Bowen is invited and has not set a password yet: she is not one of the eight.
    working = User.objects.filter(organisation=org).exclude(email="nia.bowen@example.org")
    roles = {role: working.filter(role=role).count() for role in Role.values}
    assert roles == {
        Role.PRACTITIONER: 8,
        Role.SUPERVISOR: 2,
        Role.MANAGER: 1,
        Role.DATA_PROTECTION: 1,
        Role.ADMIN: 1,
    }
    for team in Team.objects.filter(organisation=org):
        (supervisor,) = team.supervisors.all()
        assert supervisor.team == team
        assert team.members.filter(role=Role.PRACTITIONER).exclude(email="nia.bowen@example.org").count() == 4


def test_alex_is_a_practitioner_and_sam_supervises_alex(org: Organisation) -> None:
    alex = User.objects.get(username="alex")
    sam = User.objects.get(username="sam")
    assert (alex.organisation, alex.role, alex.display_name) == (org, Role.PRACTITIONER, "Alex Morgan")
    assert (sam.role, sam.team) == (Role.SUPERVISOR, alex.team)
    assert alex.team is not None and list(alex.team.supervisors.all()) == [sam]
    alex_cases = set(Case.objects.filter(owner=alex).values_list("pk", flat=True))
    assert 40 <= Case.objects.filter(owner=alex).exclude(status=CaseStatus.CLOSED).count() <= 50
    assert alex_cases <= set(cases_visible_to(sam).values_list("pk", flat=True))


def test_every_demo_user_signs_in_with_the_demo_password(org: Organisation) -> None:
    request = RequestFactory().post("/accounts/login/")
    for username in ("alex", "sam", "catrin", "eleri", "david"):
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None
    assert authenticate(request, username="alex", password="wrong-password") is None


def test_every_note_version_fills_its_contact_types_required_sections(org: Organisation) -> None:
    checked = 0
    for version in NoteVersion.objects.filter(organisation=org).select_related("contact_type"):
        sections = {code: getattr(version, code) for code in rules.SECTION_LABELS}
        assert rules.missing_sections(version.contact_type.required_sections, sections) == []
        checked += 1
    assert checked > 3000


def test_some_notes_are_late_and_some_amended_as_the_services_would_record(org: Organisation) -> None:
    hours = org.note_time_scale_hours
    originals = {}
    for v in NoteVersion.objects.filter(organisation=org).order_by("note_id", "number"):
        if v.number == 1:
            originals[v.note_id] = v
            assert v.amendment_reason == ""
            assert v.is_late == ((v.recorded_at - v.occurred_at).total_seconds() > hours * 3600)
        else:
            first = originals[v.note_id]
            assert v.amendment_reason and v.is_late == first.is_late and v.recorded_at > first.recorded_at
    late = NoteVersion.objects.filter(organisation=org, number=1, is_late=True).count()
    amended = NoteVersion.objects.filter(organisation=org, number=2).count()
    assert late > 50 and amended > 50


def test_last_contact_is_the_latest_client_contact(org: Organisation) -> None:
    latest = dict(
        NoteVersion.objects.filter(organisation=org, contact_type__is_client_contact=True)
        .values_list("note__case_id")
        .annotate(Max("occurred_at"))
    )
    cases = dict(Case.objects.filter(organisation=org).values_list("pk", "last_contact_at"))
    assert cases == {pk: latest.get(pk) for pk in cases}
    assert any(value is None for value in cases.values())  # a few new referrals not yet seen


def test_actions_include_overdue_ones_and_each_has_its_history(org: Organisation) -> None:
    actions = Action.objects.filter(organisation=org)
    assert actions.overdue(today=timezone.localdate(NOW)).count() > 50
    assert not actions.filter(status=ActionStatus.DONE, completed_on__isnull=True).exists()
    assert not actions.filter(owner_kind=ActionOwner.STAFF, assigned_to__isnull=True).exists()
    added = CaseEvent.objects.filter(organisation=org, code="action_added")
    assert sorted(added.values_list("data__action_id", flat=True)) == sorted(
        actions.values_list("pk", flat=True)
    )
    finished = actions.exclude(status=ActionStatus.OPEN).count()
    assert CaseEvent.objects.filter(organisation=org, code="action_updated").count() == finished


def test_case_history_records_openings_and_status_changes(org: Organisation) -> None:
    cases = Case.objects.filter(organisation=org)
    opened = CaseEvent.objects.filter(organisation=org, code="case_opened")
    assert sorted(opened.values_list("case_id", flat=True)) == sorted(cases.values_list("pk", flat=True))
    for status in (CaseStatus.ON_HOLD, CaseStatus.CLOSED):
        with_status = set(cases.filter(status=status).values_list("pk", flat=True))
        changed = CaseEvent.objects.filter(organisation=org, code="status_changed", data__to=status)
        assert set(changed.values_list("case_id", flat=True)) == with_status and with_status
    assert not cases.filter(status=CaseStatus.CLOSED, closed_on__isnull=True).exists()
    assert not cases.exclude(status=CaseStatus.CLOSED).filter(closed_on__isnull=False).exists()


def test_the_audit_trail_is_the_one_the_services_write_and_its_chain_is_intact(
    demo: DemoSummary, org: Organisation
) -> None:
    events = AuditEvent.objects.filter(organisation_id=org.pk)
    assert events.filter(action="note.recorded").count() == demo.notes
    assert events.filter(action="note.amended").count() == demo.amended_notes
    assert events.filter(action="action.created").count() == demo.actions
    assert events.filter(action="case.opened").count() == demo.cases
    # The plan's flags, and the organisation's own flag raised after (issue 9).
    assert events.filter(action="flag.raised").count() == demo.flags + 1
    assert events.filter(action="deadline.created").count() == demo.deadlines
    closed = Case.objects.filter(organisation=org).exclude(status=CaseStatus.OPEN).count()
    assert events.filter(action="case.status_changed").count() == closed
    amended = events.filter(action="note.amended").first()
    assert amended is not None and amended.changes["fields"] and "reason" not in amended.changes
    assert verify_chain(org.pk) is None


def test_every_case_has_a_fresh_priority_assessment_and_red_cases_notify(org: Organisation) -> None:
    cases = Case.objects.filter(organisation=org)
    assessed = CaseAssessment.objects.filter(organisation=org)
    assert set(assessed.values_list("case_id", flat=True)) == set(cases.values_list("pk", flat=True))
    live_red = assessed.filter(effective_band="red", case__status=CaseStatus.OPEN)
    assert 0 < live_red.count() < 0.2 * cases.count()
    red = set(assessed.filter(effective_band="red").values_list("case_id", flat=True))
    told = Notification.objects.filter(organisation=org, kind=NotificationKind.TURNED_RED)
    assert set(told.values_list("case_id", flat=True)) <= red
    assert told.filter(recipient__username__in=["sam", "helen"]).count() == told.count() > 0


def test_a_second_run_does_nothing(org: Organisation) -> None:
    before = (Organisation.objects.count(), Case.objects.count(), NoteVersion.objects.count())
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded; nothing to do" in out.getvalue()
    assert "Sign in as alex (practitioner) or sam (supervisor), password casework-demo" in out.getvalue()
    assert (Organisation.objects.count(), Case.objects.count(), NoteVersion.objects.count()) == before


def test_reset_deletes_the_demo_and_builds_it_again(org: Organisation) -> None:
    old_id = org.pk
    out = StringIO()
    call_command("demo", "--reset", "--clients", "12", stdout=out)
    new = Organisation.objects.get(slug=DEMO_SLUG)
    assert new.pk != old_id
    assert not Organisation.objects.filter(pk=old_id).exists()
    for model in (Case, Client, CaseNote, NoteVersion, Action, CaseEvent, User):
        assert not model.objects.filter(organisation_id=old_id).exists()
    assert Client.objects.filter(organisation=new).count() == 12
    assert User.objects.get(username="alex").organisation == new
    assert "Deleted the demo organisation" in out.getvalue()
    assert "Sign in as alex (practitioner) or sam (supervisor)" in out.getvalue()


def test_two_builds_into_fresh_organisations_are_identical(org: Organisation) -> None:
    def fingerprint() -> list[tuple[object, ...]]:
        return list(
            NoteVersion.objects.filter(organisation__slug=DEMO_SLUG)
            .order_by("occurred_at", "note__case__client__reference", "number")
            .values_list(
                "note__case__client__reference",
                "note__case__client__first_name",
                "contact_type__code",
                "occurred_at",
                "recorded_at",
                "facts",
                "actions_agreed",
                "amendment_reason",
            )
        )

    delete_demo()
    build_demo(clients=15, now=NOW)
    first = fingerprint()
    delete_demo()
    build_demo(clients=15, now=NOW)
    assert fingerprint() == first and len(first) > 50
    delete_demo()
    build_demo(clients=15, now=NOW, seed=99)
    assert fingerprint() != first


def test_demo_usernames_taken_elsewhere_stop_the_build(org: Organisation) -> None:
    delete_demo()
    UserFactory(organisation=OrganisationFactory(), username="sam")
    with pytest.raises(CommandError, match="sam"):
        call_command("demo", stdout=StringIO())
    assert not Organisation.objects.filter(slug=DEMO_SLUG).exists()


def test_closed_cases_carry_their_outcomes_and_staff_have_example_org_addresses(org: Organisation) -> None:
    closed = Case.objects.filter(organisation=org, status=CaseStatus.CLOSED)
    assert closed.exists()
    assert CaseClosure.objects.filter(case__in=closed).count() == closed.count()
    results = set(CaseOutcome.objects.filter(case__in=closed).values_list("result", flat=True))
    assert "achieved" in results and len(results) >= 2
    whys = dict(
        CaseOutcome.objects.filter(case__in=closed).exclude(why="").values_list("why", "case__client_id")
    )
    rows = CaseOutcome.objects.filter(case__in=closed).exclude(why="").values("case__client_id").distinct()
    assert len(whys) == rows.count()  # no reason shared by two clients
    addresses = list(User.objects.filter(organisation=org).values_list("email", flat=True))
    assert all(address.endswith("@example.org") for address in addresses)


def test_the_demo_shows_a_service_keeping_its_records_up_to_date(org: Organisation) -> None:
    """Issue 9: the organisation's own flag raised, a correction, a reallocation, an invitation."""
    own = OrganisationFlag.objects.get(organisation=org, name="Gambling harm")
    assert CaseFlag.objects.get(organisation=org, code=own.code).kind == "risk"
    assert ClientCorrection.objects.filter(organisation=org, reason__contains="new mobile number").exists()
    assert CaseEvent.objects.filter(organisation=org, code="case_reallocated").count() == 1
    assert Notification.objects.filter(organisation=org, kind=NotificationKind.REALLOCATED).count() == 1
    invited = User.objects.get(email="nia.bowen@example.org")
    assert invited.invited_at is not None and not invited.has_usable_password()
