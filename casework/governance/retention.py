"""Retention periods: when a closed case's personal data is due for disposal (K1; UK GDPR Art. 5(1)(e)).

Each case type has a retention period in whole years after closure (default 6). A case is
past retention from the anniversary of its closure onwards; a case on legal hold is never
due, however old. The date arithmetic never disposes early: a case closed on 29 February
is kept until 1 March of the year it falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases.models import Case, CaseNote, CaseStatus, CaseType, Client
from casework.governance.models import DisposalCertificate


def add_years(day: date, years: int) -> date:
    """``day`` moved ``years`` later; 29 February becomes 1 March in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _years_before(day: date, years: int) -> date:
    """The latest closure date that is past retention on ``day`` (29 Feb becomes 28 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def retention_ends_on(case: Case) -> date | None:
    """The first day the case is past retention, or None while it is not closed."""
    if case.status != CaseStatus.CLOSED or case.closed_on is None:
        return None
    return add_years(case.closed_on, case.case_type.retention_years)


def retention_rule(case_type: CaseType) -> str:
    """The rule in plain words, as it is written on a disposal certificate."""
    years = case_type.retention_years
    return f"{case_type.name}: {years} year{'s' if years != 1 else ''} after closure"


def is_past_retention(case: Case, today: date | None = None) -> bool:
    ends_on = retention_ends_on(case)
    return ends_on is not None and ends_on <= (today or timezone.localdate())


def cases_past_retention(organisation_id: int, *, today: date | None = None) -> QuerySet[Case]:
    """Closed cases whose retention period has ended, on legal hold or not.

    One condition per case type (an organisation has a handful), so the database does the
    filtering on both SQLite and PostgreSQL without date arithmetic in SQL.
    """
    today = today or timezone.localdate()
    condition = Q()
    for type_id, years in CaseType.objects.filter(organisation_id=organisation_id).values_list(
        "pk", "retention_years"
    ):
        condition |= Q(case_type_id=type_id, closed_on__lte=_years_before(today, years))
    if not condition:
        return Case.objects.none()
    return Case.objects.filter(
        organisation_id=organisation_id, status=CaseStatus.CLOSED, closed_on__isnull=False
    ).filter(condition)


def cases_due_for_disposal(organisation_id: int, *, today: date | None = None) -> QuerySet[Case]:
    """Past retention and not on legal hold."""
    return cases_past_retention(organisation_id, today=today).filter(legal_hold=False)


def clients_due_for_disposal(organisation_id: int, *, today: date | None = None) -> QuerySet[Client]:
    """Clients whose every case is due for disposal: their details go with their last case."""
    due = cases_due_for_disposal(organisation_id, today=today)
    kept = Case.objects.filter(client_id=OuterRef("pk")).exclude(pk__in=due.values("pk"))
    return (
        Client.objects.filter(organisation_id=organisation_id)
        .filter(Exists(due.filter(client_id=OuterRef("pk"))))
        .exclude(Exists(kept))
    )


@dataclass(frozen=True)
class RetentionRow:
    """A case in the retention report."""

    case: Case
    ends_on: date
    rule: str


def retention_report(organisation_id: int, *, today: date | None = None) -> dict[str, list[RetentionRow]]:
    """Cases past retention, split into those due for disposal and those kept on legal hold."""
    today = today or timezone.localdate()
    rows: dict[str, list[RetentionRow]] = {"due": [], "held": []}
    qs = (
        cases_past_retention(organisation_id, today=today)
        .select_related("client", "case_type", "owner")
        .order_by("closed_on", "pk")
    )
    for case in qs:
        ends_on = retention_ends_on(case)
        assert ends_on is not None
        row = RetentionRow(case=case, ends_on=ends_on, rule=retention_rule(case.case_type))
        rows["held" if case.legal_hold else "due"].append(row)
    return rows


def notes_missing_without_disposal(organisation_id: int) -> list[str]:
    """Notes the audit trail says were recorded that no longer exist, and whose case has no
    disposal certificate: a note deleted behind the application's back (issue 8, finding 7).
    One query, whatever the number of notes."""
    note_exists = CaseNote.objects.filter(pk=Cast(OuterRef("object_id"), BigIntegerField()))
    disposed = DisposalCertificate.objects.filter(
        organisation_id=organisation_id, case_id=OuterRef("case_id")
    )
    missing = (
        AuditEvent.objects.filter(organisation_id=organisation_id, action="note.recorded")
        .filter(~Exists(note_exists), ~Exists(disposed))
        .order_by("sequence")
        .values_list("object_id", "case_id", "sequence")[:20]
    )
    return [
        f"note {note_id} of case {case_id} (audit event {sequence}) is gone and no disposal covers it"
        for note_id, case_id, sequence in missing
    ]
