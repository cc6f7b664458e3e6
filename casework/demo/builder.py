"""Builds the demo organisation behind ``casework demo``, and deletes it for ``--reset``.

``plan_demo`` (casework.demo.plan) turns a seed and a reference time into plain data;
``build_demo`` creates the organisation through ``organisation_create`` and inserts that
plan with one ``bulk_create`` per table. Signed notes and their versions are computed in
full first, because a database trigger refuses any UPDATE of them.

The rows are the ones the services would write (``casework.cases.services``): lateness
against the organisation's note time scale, the "actions agreed" text with one line per
action, a reason on every amendment, ``last_contact_at`` from the latest client contact,
and a case history of openings, actions, goals, flags, deadlines and status changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from casework.accounts.models import Organisation, Role, Team, User
from casework.administration import config as admin_config
from casework.administration.setup import organisation_create
from casework.administration.staff import staff_invite
from casework.audit.trail import AuditEntry, audit_append
from casework.cases import rules
from casework.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseClosure,
    CaseEvent,
    CaseFlag,
    CaseNote,
    CaseOutcome,
    CaseStatus,
    CaseType,
    Client,
    ContactType,
    Deadline,
    Goal,
    GoalStatus,
    NoteVersion,
    OutcomeResult,
)
from casework.cases.services import flag_raise
from casework.cases.upkeep import case_reallocate, client_correct, outcome_lines
from casework.demo.plan import plan_demo
from casework.demo.specs import (
    DEFAULT_CLIENTS,
    DEFAULT_SEED,
    DEMO_NAME,
    DEMO_PASSWORD,
    DEMO_SLUG,
    STAFF,
    STAFF_BY_USERNAME,
    TEAMS,
    CaseSpec,
    ContactRule,
    DemoPlan,
    EventSpec,
)
from casework.priorities.demo import demo_priorities
from casework.priorities.services import cases_reassess


@dataclass(frozen=True)
class DemoSummary:
    organisation: Organisation
    teams: int
    staff: int
    clients: int
    cases: int
    cases_by_status: dict[str, int]
    notes: int
    late_notes: int
    amended_notes: int
    actions: int
    overdue_actions: int
    goals: int
    flags: int
    deadlines: int
    digest: str  # of the plan, so two builds can be compared

    def lines(self) -> list[str]:
        status = self.cases_by_status
        return [
            f"{self.teams} teams, {self.staff} staff, {self.clients} clients",
            f"{self.cases} cases: {status.get('open', 0)} open, {status.get('on_hold', 0)} on hold, "
            f"{status.get('closed', 0)} closed",
            f"{self.notes:,} case notes: {self.late_notes} recorded late, {self.amended_notes} amended",
            f"{self.actions:,} actions ({self.overdue_actions} overdue), {self.goals} goals, "
            f"{self.flags} risk and vulnerability flags, {self.deadlines} deadlines",
        ]


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=DEMO_SLUG).first()


def taken_usernames() -> list[str]:
    """Demo usernames already used by accounts outside the demo organisation."""
    return sorted(
        User.objects.filter(username__in=STAFF_BY_USERNAME)
        .exclude(organisation__slug=DEMO_SLUG)
        .values_list("username", flat=True)
    )


def build_demo(
    *, seed: int = DEFAULT_SEED, clients: int = DEFAULT_CLIENTS, now: datetime | None = None
) -> DemoSummary:
    """Create the demo organisation and everything in it, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        organisation = organisation_create(name=DEMO_NAME, slug=DEMO_SLUG)
        contact_types = {c.code: c for c in ContactType.objects.filter(organisation=organisation)}
        plan = plan_demo(
            now=now,
            seed=seed,
            clients=clients,
            note_time_scale_hours=organisation.note_time_scale_hours,
            contact_rules={
                code: ContactRule(tuple(c.required_sections), c.is_client_contact)
                for code, c in contact_types.items()
            },
        )
        _Writer(organisation, plan, contact_types).write()
        demo_priorities(organisation_id=organisation.pk, now=now)
        _keep_it_up_to_date(organisation)
    return summarise(organisation, plan)


def _keep_it_up_to_date(organisation: Organisation) -> None:
    """What a service does to keep its records current, through the same services the pages
    use (issue 9), so the demo shows each: the organisation's own risk flag raised on a case,
    a client's details corrected with a reason, a case reallocated by a supervisor (its new
    owner is told), and a new member of staff invited who has not yet set a password."""
    users = {user.username: user for user in User.objects.filter(organisation=organisation)}
    alex, sam, david = users["alex"], users["sam"], users["david"]
    flag = admin_config.flag_save(
        organisation=organisation, actor=david, target=None, name="Gambling harm", is_risk=True
    )
    alex_cases = list(
        Case.objects.filter(owner=alex, status=CaseStatus.OPEN).select_related("client").order_by("pk")
    )
    if len(alex_cases) >= 2:
        first, second = alex_cases[0], alex_cases[1]
        flag_raise(
            case=first,
            actor=alex,
            code=flag.code,
            detail=f"{first.client.first_name} said the rent money went on betting sites in October",
        )
        client_correct(
            client=second.client,
            actor=alex,
            values={"phone": "07700 900555"},
            reason=f"{second.client.first_name} has a new mobile number after losing the old phone",
            expected_version=second.client.version,
        )
    rhys_case = (
        Case.objects.filter(owner=users["rhys"], status=CaseStatus.OPEN)
        .select_related("client")
        .order_by("pk")
        .first()
    )
    if rhys_case is not None:
        case_reallocate(
            case=rhys_case,
            actor=sam,
            new_owner=alex,
            reason="Rhys is on paternity leave for a month; Alex knows the family",
            expected_version=rhys_case.version,
        )
    team = Team.objects.filter(organisation=organisation, name=TEAMS[0].name).first()
    staff_invite(
        organisation=organisation,
        actor=david,
        first_name="Nia",
        last_name="Bowen",
        email="nia.bowen@example.org",
        role=Role.PRACTITIONER,
        team=team,
        base_url="http://127.0.0.1:8000/",
    )


def summarise(organisation: Organisation, plan: DemoPlan) -> DemoSummary:
    today = plan.now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    cases = plan.cases
    by_status: dict[str, int] = {}
    for case in cases:
        by_status[case.status] = by_status.get(case.status, 0) + 1
    notes = [note for case in cases for note in case.notes]
    actions = [action for case in cases for action in case.actions]
    return DemoSummary(
        organisation=organisation,
        teams=len(TEAMS),
        staff=len(STAFF),
        clients=len(plan.clients),
        cases=len(cases),
        cases_by_status=by_status,
        notes=len(notes),
        late_notes=sum(note.versions[0].is_late for note in notes),
        amended_notes=sum(len(note.versions) > 1 for note in notes),
        actions=len(actions),
        overdue_actions=sum(a.status == ActionStatus.OPEN and a.due_on < today for a in actions),
        goals=sum(len(case.goals) for case in cases),
        flags=sum(len(case.flags) for case in cases),
        deadlines=sum(len(case.deadlines) for case in cases),
        digest=plan.digest(),
    )


class _Writer:
    """Inserts a plan with one ``bulk_create`` per table; ids come back from each insert."""

    def __init__(
        self, organisation: Organisation, plan: DemoPlan, contact_types: Mapping[str, ContactType]
    ) -> None:
        self.org = organisation
        self.plan = plan
        self.contact_types = contact_types
        self.users: dict[str, User] = {}

    def write(self) -> None:
        self.staff()
        org = self.org
        case_types = {c.code: c for c in CaseType.objects.filter(organisation=org)}
        clients = Client.objects.bulk_create(
            Client(
                organisation=org,
                reference=c.reference,
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.date_of_birth,
                phone=c.phone,
                email=c.email,
                address=c.address,
                created_at=c.created_at,
            )
            for c in self.plan.clients
        )
        specs = self.plan.cases
        cases = Case.objects.bulk_create(
            Case(
                organisation=org,
                client=clients[s.client],
                case_type=case_types[s.case_type],
                owner=self.users[s.owner],
                status=s.status,
                opened_on=s.opened_on,
                closed_on=s.closed_on,
                required_outcomes=s.required_outcomes,
                complexity=s.complexity,
                last_contact_at=s.last_contact_at,
                next_review_on=s.next_review_on,
                created_at=s.created_at,
                # Each status change through case_set_status moves the row on one version.
                version=1 if s.status == CaseStatus.OPEN else 2,
            )
            for s in specs
        )
        flags = self.per_case(
            CaseFlag,
            cases,
            [
                [
                    CaseFlag(
                        organisation=org,
                        code=f.code,
                        detail=f.detail,
                        raised_at=f.raised_at,
                        raised_by=self.users[f.raised_by],
                        cleared_at=f.cleared_at,
                    )
                    for f in s.flags
                ]
                for s in specs
            ],
        )
        deadlines = self.per_case(
            Deadline,
            cases,
            [
                [
                    Deadline(
                        organisation=org,
                        kind=d.kind,
                        description=d.description,
                        due_on=d.due_on,
                        met_on=d.met_on,
                    )
                    for d in s.deadlines
                ]
                for s in specs
            ],
        )
        goals = self.per_case(
            Goal,
            cases,
            [
                [
                    Goal(
                        organisation=org,
                        description=g.description,
                        measure=g.measure,
                        target_on=g.target_on,
                        status=g.status,
                        created_at=g.created_at,
                    )
                    for g in s.goals
                ]
                for s in specs
            ],
        )
        notes = self.per_case(
            CaseNote,
            cases,
            [
                [
                    CaseNote(
                        organisation=org, author=self.users[n.author], created_at=n.versions[0].recorded_at
                    )
                    for n in s.notes
                ]
                for s in specs
            ],
        )
        self.versions(specs, notes, goals)
        actions = self.per_case(
            Action,
            cases,
            [
                [
                    Action(
                        organisation=org,
                        goal=goals[i][a.goal] if a.goal is not None else None,
                        source_note=notes[i][a.note] if a.note is not None else None,
                        description=a.description,
                        owner_kind=a.owner_kind,
                        assigned_to=self.users[a.assigned_to] if a.assigned_to else None,
                        owner_name=a.owner_name,
                        due_on=a.due_on,
                        status=a.status,
                        completed_on=a.completed_on,
                        created_by=self.users[a.created_by],
                        created_at=a.created_at,
                        version=1 if a.changed_at is None else 2,
                    )
                    for a in s.actions
                ]
                for i, s in enumerate(specs)
            ],
        )
        objects = {"flag": flags, "deadline": deadlines, "goal": goals, "action": actions}
        CaseEvent.objects.bulk_create(
            CaseEvent(
                organisation=org,
                case=cases[i],
                code=e.code,
                actor=self.users[e.actor],
                at=e.at,
                summary=e.summary,
                data=self.event_data(e, objects, i),
            )
            for i, s in enumerate(specs)
            for e in s.events
        )
        self.closures(specs, cases)
        self.audit(specs, cases, notes, objects)
        # Every case service re-assesses the case's priority; do it once for the whole history.
        cases_reassess(case_ids=[case.pk for case in cases], now=self.plan.now)

    # Why a required outcome was not fully achieved: each names the client, so no two clients
    # share a sentence.
    _NOT_FULLY = {
        OutcomeResult.PARTLY: (
            "{first} got part of the way before the case closed on {day}",
            "{first} made a start, and from {day} carries on without us",
            "Progress was slower than {first} hoped: from {day} the rest is with another service",
        ),
        OutcomeResult.NOT_ACHIEVED: (
            "{first} stopped coming before this could be done; closed on {day}",
            "{first}'s circumstances changed and by {day} this no longer applied",
            "{first} moved out of the area before it could be finished, by {day}",
        ),
    }

    def closures(self, specs: Sequence[CaseSpec], cases: Sequence[Case]) -> None:
        """Each closed case's closure and the result of its required outcome, as closing a case
        with ``case_close`` records them (PC3), for the reviews to count."""
        closures: list[CaseClosure] = []
        results: list[tuple[Case, str, str, str]] = []
        for spec, case in zip(specs, cases, strict=True):
            if spec.status != CaseStatus.CLOSED or spec.closed_on is None:
                continue
            closing = next(
                (
                    e
                    for e in reversed(spec.events)
                    if e.code == "status_changed" and e.data.get("to") == "closed"
                ),
                None,
            )
            reason = str(closing.data.get("reason", "")) if closing else ""
            closures.append(
                CaseClosure(
                    organisation=self.org,
                    case=case,
                    closed_on=spec.closed_on,
                    closed_by=self.users[closing.actor if closing else spec.owner],
                    reason=(reason or "Work with the client finished")[:500],
                )
            )
            first = self.plan.clients[spec.client].first_name
            # Most closed cases achieve their outcome; the rest partly or not, by a fixed rule.
            pick = int(hashlib.sha256(self.plan.clients[spec.client].reference.encode()).hexdigest(), 16)
            result = (
                OutcomeResult.ACHIEVED
                if pick % 10 < 6
                else OutcomeResult.PARTLY
                if pick % 10 < 8
                else OutcomeResult.NOT_ACHIEVED
            )
            why = ""
            if result != OutcomeResult.ACHIEVED:
                options = self._NOT_FULLY[result]
                why = options[(pick // 10) % len(options)].format(
                    first=first, day=rules.long_date(spec.closed_on)
                )
            for outcome in outcome_lines(case):
                results.append((case, outcome, result, why))
        made = {closure.case_id: closure for closure in CaseClosure.objects.bulk_create(closures)}
        CaseOutcome.objects.bulk_create(
            CaseOutcome(
                organisation=self.org,
                closure=made[case.pk],
                case=case,
                outcome=outcome,
                result=result,
                why=why,
            )
            for case, outcome, result, why in results
        )

    def audit(
        self,
        specs: Sequence[CaseSpec],
        cases: Sequence[Case],
        notes: Sequence[Sequence[CaseNote]],
        objects: Mapping[str, Sequence[Sequence[Any]]],
    ) -> None:
        """The audit trail the services would have written, in time order, as one hash chain (PC16)."""
        entries: list[tuple[datetime, str, str, str, Any, Case, dict[str, Any]]] = []
        for i, spec in enumerate(specs):
            case = cases[i]
            for event in spec.events:
                target = objects[event.ref[0]][i][event.ref[1]] if event.ref else case
                action, object_type, changes = self.audited(event, spec, target)
                entries.append((event.at, event.actor, action, object_type, target.pk, case, changes))
            for note_spec, note in zip(spec.notes, notes[i], strict=True):
                first = note_spec.versions[0]
                recorded = {
                    "version": 1,
                    "contact_type": first.contact_type,
                    "occurred_at": first.occurred_at.isoformat(),
                    "is_late": first.is_late,
                    "sections": [code for code in rules.SECTION_LABELS if first.sections.get(code)],
                }
                entries.append(
                    (
                        first.recorded_at,
                        note_spec.author,
                        "note.recorded",
                        "case_note",
                        note.pk,
                        case,
                        recorded,
                    )
                )
                for later in note_spec.versions[1:]:
                    changed = [
                        c for c in rules.SECTION_LABELS if later.sections.get(c) != first.sections.get(c)
                    ]
                    amended = {"version": later.number, "fields": changed}
                    entries.append(
                        (
                            later.recorded_at,
                            later.recorded_by,
                            "note.amended",
                            "case_note",
                            note.pk,
                            case,
                            amended,
                        )
                    )
        entries.sort(key=lambda entry: entry[0])
        audit_append(
            self.org.pk,
            [
                AuditEntry(
                    actor=self.users[actor],
                    action=action_code,
                    object_type=object_type,
                    object_id=object_id,
                    client_id=case.client_id,
                    case_id=case.pk,
                    changes=changes,
                    at=at,
                )
                for at, actor, action_code, object_type, object_id, case, changes in entries
            ],
        )

    @staticmethod
    def audited(event: EventSpec, spec: CaseSpec, target: Any) -> tuple[str, str, dict[str, Any]]:
        """The audit action, object type and changes the service behind ``event`` records."""
        if event.code == "case_opened":
            return "case.opened", "case", {"owner": target.owner_id, "case_type": spec.case_type}
        if event.code == "status_changed":
            return "case.status_changed", "case", {"status": [event.data["from"], event.data["to"]]}
        if event.code == "goal_added":
            return "goal.created", "goal", {"target_on": target.target_on.isoformat()}
        if event.code == "goal_updated":
            return "goal.updated", "goal", {"status": [GoalStatus.OPEN.value, target.status]}
        if event.code == "action_added":
            changes = {
                "owner_kind": target.owner_kind,
                "assigned_to": target.assigned_to_id,
                "due_on": target.due_on.isoformat(),
                "source_note": target.source_note_id,
            }
            return "action.created", "action", changes
        if event.code == "action_updated":
            return "action.updated", "action", dict(event.data["changes"])
        if event.code in ("flag_raised", "flag_cleared"):
            action = "flag.raised" if event.code == "flag_raised" else "flag.cleared"
            return action, "case_flag", {"code": target.code, **event.audit}
        if event.code == "deadline_added":
            return "deadline.created", "deadline", {"kind": target.kind, "due_on": target.due_on.isoformat()}
        if event.code == "deadline_met":
            return "deadline.updated", "deadline", {"met_on": target.met_on.isoformat()}
        raise ValueError(f"No audit action for case event {event.code!r}")

    @staticmethod
    def event_data(
        event: EventSpec, objects: Mapping[str, list[list[models.Model]]], case: int
    ) -> dict[str, Any]:
        if event.ref is None:
            return dict(event.data)
        kind, index = event.ref
        return {f"{kind}_id": objects[kind][case][index].pk, **event.data}

    def staff(self) -> None:
        teams = [Team.objects.create(organisation=self.org, name=t.name) for t in TEAMS]
        # One hash for the shared demo password: hashing it a dozen times would only cost time.
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create(
            User(
                organisation=self.org,
                username=m.username,
                first_name=m.first_name,
                last_name=m.last_name,
                # example.org addresses (RFC 2606: never delivered); the demo prints its
                # e-mails on the console, so escalations can be seen (issue 9).
                email=f"{m.username}@example.org",
                role=m.role,
                team=teams[m.team] if m.team is not None else None,
                password=password,
            )
            for m in STAFF
        )
        self.users = {user.username: user for user in users}
        for member in STAFF:
            if member.role == Role.SUPERVISOR and member.team is not None:
                teams[member.team].supervisors.add(self.users[member.username])

    def per_case(
        self, model: type[models.Model], cases: Sequence[Case], rows: Sequence[Sequence[Any]]
    ) -> list[list[Any]]:
        """Insert each case's rows in one go and hand them back grouped by case."""
        for case, case_rows in zip(cases, rows, strict=True):
            for row in case_rows:
                row.case = case
        created = model._default_manager.bulk_create([row for case_rows in rows for row in case_rows])
        grouped: list[list[Any]] = []
        position = 0
        for case_rows in rows:
            grouped.append(created[position : position + len(case_rows)])
            position += len(case_rows)
        return grouped

    def versions(
        self, specs: Sequence[CaseSpec], notes: Sequence[Sequence[CaseNote]], goals: Sequence[Sequence[Goal]]
    ) -> None:
        rows: list[NoteVersion] = []
        links: list[list[Goal]] = []
        for i, spec in enumerate(specs):
            for note_spec, note in zip(spec.notes, notes[i], strict=True):
                for v in note_spec.versions:
                    rows.append(
                        NoteVersion(
                            organisation=self.org,
                            note=note,
                            number=v.number,
                            contact_type=self.contact_types[v.contact_type],
                            occurred_at=v.occurred_at,
                            recorded_at=v.recorded_at,
                            recorded_by=self.users[v.recorded_by],
                            amendment_reason=v.amendment_reason,
                            is_late=v.is_late,
                            **{code: v.sections.get(code, "") for code in rules.SECTION_LABELS},
                        )
                    )
                    links.append([goals[i][g] for g in note_spec.goals])
        created = NoteVersion.objects.bulk_create(rows)
        through = NoteVersion.goals.through
        through.objects.bulk_create(
            through(noteversion_id=version.pk, goal_id=goal.pk)
            for version, version_goals in zip(created, links, strict=True)
            for goal in version_goals
        )


def delete_demo() -> bool:
    """Delete the demo organisation and everything in it. False if there was none.

    Foreign keys to users and case types PROTECT them, so rows go leaf first: each model that
    belongs to the organisation is deleted once nothing protected still points at it.
    """
    organisation = demo_organisation()
    if organisation is None:
        return False
    with transaction.atomic():
        pending = [
            model
            for model in reversed(apps.get_models())
            if model is not Organisation and _organisation_field(model)
        ]
        while pending:
            progress = False
            for model in list(pending):
                try:
                    model._default_manager.filter(**{_organisation_field(model): organisation}).delete()
                except (ProtectedError, RestrictedError):
                    continue
                pending.remove(model)
                progress = True
            if not progress:
                names = ", ".join(model.__name__ for model in pending)
                raise RuntimeError(f"Could not delete the demo organisation's {names}.")
        organisation.delete()
    return True


def _organisation_field(model: type[models.Model]) -> str:
    for model_field in model._meta.get_fields():
        if isinstance(model_field, models.ForeignKey) and model_field.related_model is Organisation:
            return model_field.name
    return ""
