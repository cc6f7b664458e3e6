"""Clients, cases, case notes and action plans (PC1, PC17; K3-K6).

Signed case notes are immutable: ``NoteVersion`` rows can be inserted but never
updated, enforced here and by a database trigger (see migration 0002), so no code
path (UI, API, service or a stray ``QuerySet.update``) can silently edit one.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from casework.accounts.models import Organisation
from casework.cases import rules

# Crockford-style alphabet: no I, L, O or U, so references read aloud cleanly.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_client_reference() -> str:
    """A pseudonymous reference such as ``CW-7K3M-9QXA``: random, so it reveals nothing."""
    chars = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"CW-{chars[:4]}-{chars[4:]}"


class CaseType(models.Model):
    """An organisation's kind of case, e.g. "Employment support" or "Housing advice"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="case_types")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    retention_years = models.PositiveSmallIntegerField(
        default=6, help_text="Years after closure before the case's personal data is disposed of."
    )
    outcomes_offered = models.TextField(
        blank=True, help_text="Required outcomes offered when a case of this type is opened, one per line."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="case_type_code_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class NoteSection(models.TextChoices):
    """The structured sections of a case note (K5)."""

    FACTS = "facts", "Facts"
    CLIENT_VIEW = "client_view", "Client's view"
    ASSESSMENT = "assessment", "Practitioner's assessment (opinion)"
    ACTIONS_AGREED = "actions_agreed", "Actions agreed"
    DECISIONS = "decisions", "Decisions"
    FOLLOW_UP = "follow_up", "Follow-up"


class ContactType(models.Model):
    """A kind of contact and the note sections the organisation requires for it (K6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contact_types")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    required_sections = models.JSONField(
        default=list, help_text="Section codes a note of this contact type must fill in."
    )
    is_client_contact = models.BooleanField(
        default=True,
        help_text="Counts as contact made with the client (for days since last contact). An attempt "
        "(no answer, a letter sent, did not attend) is recorded and shown but does not.",
    )
    sets_next_review = models.BooleanField(
        default=False,
        help_text="A note of this type is a case review: it sets the case's next review date.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="contact_type_code_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class Client(models.Model):
    """The person served. Holds the minimum personal data needed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clients")
    reference = models.CharField(max_length=20, default=new_client_reference, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: a correction made from an older copy is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="client_reference_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ClientContact(models.Model):
    """Someone connected with the client: a relative, carer or another agency's worker."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, help_text="For example: mother, carer, social worker.")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class Complexity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class CaseQuerySet(models.QuerySet["Case"]):
    def for_organisation(self, organisation_id: int) -> CaseQuerySet:
        return self.filter(organisation_id=organisation_id)

    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)


class Case(models.Model):
    """One episode of service for a client."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cases")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="cases")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    required_outcomes = models.TextField(
        blank=True, help_text="What the service has to achieve with the client in this case."
    )
    complexity = models.PositiveSmallIntegerField(choices=Complexity.choices, default=Complexity.MEDIUM)
    # Denormalised from the notes so the caseload can filter and sort without a subquery.
    last_contact_at = models.DateTimeField(null=True, blank=True)
    is_restricted = models.BooleanField(
        default=False, help_text="Only the named users may open a restricted case, whatever their role."
    )
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_cases_allowed"
    )
    legal_hold = models.BooleanField(default=False, help_text="Never dispose of this case while held.")
    next_review_on = models.DateField(
        null=True, blank=True, help_text="When the case is next due for review."
    )
    contact_interval_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contact at least every this many days; empty: the organisation's."
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "owner", "status"], name="case_owner_status_idx"),
            models.Index(
                fields=["organisation", "status", "last_contact_at"], name="case_status_contact_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            )
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.client})"

    def days_since_last_contact(self, now: datetime | None = None) -> int | None:
        if self.last_contact_at is None:
            return None
        now = now or timezone.now()
        return (now - self.last_contact_at).days


class FlagKind(models.TextChoices):
    RISK = "risk", "Risk"
    VULNERABILITY = "vulnerability", "Vulnerability"


class FlagCode(models.TextChoices):
    """Flags an organisation can raise on a case. Safeguarding is always a risk flag."""

    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    RISK_TO_SELF = "risk_to_self", "Risk to self"
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HOMELESSNESS = "homelessness", "Homeless or at risk of homelessness"
    MENTAL_HEALTH = "mental_health", "Mental health condition"
    DISABILITY = "disability", "Disability"
    CARE_LEAVER = "care_leaver", "Care leaver"
    LEARNING_DIFFICULTY = "learning_difficulty", "Learning difficulty"
    FINANCIAL_HARDSHIP = "financial_hardship", "Financial hardship"
    LANGUAGE = "language", "Needs an interpreter"


RISK_FLAG_CODES = {
    FlagCode.SAFEGUARDING,
    FlagCode.RISK_TO_SELF,
    FlagCode.RISK_TO_OTHERS,
    FlagCode.DOMESTIC_ABUSE,
}


FLAG_LABELS = dict(FlagCode.choices)


def flag_label(code: str, label: str = "") -> str:
    """A flag's name: the built-in one, or the organisation's own as kept on the flag."""
    return FLAG_LABELS.get(code) or label or code.replace("_", " ").capitalize()


def flag_kind(code: str, is_risk: bool = False) -> str:
    if code in FLAG_LABELS:
        return FlagKind.RISK if code in RISK_FLAG_CODES else FlagKind.VULNERABILITY
    return FlagKind.RISK if is_risk else FlagKind.VULNERABILITY


class OrganisationFlag(models.Model):
    """A flag the organisation adds to the built-in ones, marked as a risk or a vulnerability
    (issue 9). Its code never collides with a built-in code."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="flags")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    is_risk = models.BooleanField(default=False, help_text="A risk flag (else a vulnerability).")
    is_active = models.BooleanField(default=True, help_text="Offered when a flag is raised.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="org_flag_code_unique")]

    def __str__(self) -> str:
        return self.name


class CaseFlag(models.Model):
    """A risk or vulnerability flag on a case, open until cleared. ``code`` is a built-in
    ``FlagCode`` or one of the organisation's own flags, whose name and kind are kept here as
    they were when it was raised."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40)
    # For an organisation's own flag only (a built-in code's label and kind are fixed).
    label = models.CharField(max_length=200, blank=True, db_default="")
    is_risk = models.BooleanField(default=False, db_default=False)
    detail = models.CharField(max_length=500, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_code_display()

    def get_code_display(self) -> str:
        return flag_label(self.code, self.label)

    @property
    def kind(self) -> str:
        return flag_kind(self.code, self.is_risk)

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


class DeadlineKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    AGREED = "agreed", "Agreed with client"
    INTERNAL = "internal", "Service standard"


class Deadline(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.description} ({self.get_kind_display()}, due {rules.short_date(self.due_on)})"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.met_on is None and self.due_on < (today or timezone.localdate())


class GoalStatus(models.TextChoices):
    OPEN = "open", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class Goal(models.Model):
    """A goal in the client's action plan (SMART)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=500)
    measure = models.CharField(max_length=300, blank=True, help_text="How we will know it is achieved.")
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class CaseNote(models.Model):
    """One entry in the case history. Its content lives in immutable ``NoteVersion`` rows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_created_idx")]

    def __str__(self) -> str:
        return f"Note {self.pk} on case {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError("A case note cannot be changed once signed.")
        super().save(*args, **kwargs)


class ImmutableRecordError(Exception):
    """Raised when code tries to change a signed record."""


class NoteVersion(models.Model):
    """A signed version of a case note. Version 1 is the original; later ones are amendments."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    contact_type = models.ForeignKey(ContactType, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    facts = models.TextField(blank=True)
    client_view = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    actions_agreed = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    follow_up = models.TextField(blank=True)
    amendment_reason = models.TextField(blank=True)
    is_late = models.BooleanField(default=False)
    goals = models.ManyToManyField(Goal, blank=True, related_name="note_versions")

    class Meta:
        ordering = ["note_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="note_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(amendment_reason=""),
                name="amendment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError("A signed case note cannot be edited; record an amendment.")
        super().save(*args, **kwargs)

    @property
    def is_amendment(self) -> bool:
        return self.number > 1

    @property
    def lateness(self) -> timedelta:
        return self.recorded_at - self.occurred_at

    def section_items(self) -> list[tuple[str, str, str]]:
        """(code, label, text) for each filled section, in the standard order."""
        return [
            (code, label, getattr(self, code)) for code, label in NoteSection.choices if getattr(self, code)
        ]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Withdrawn"


class ActionOwner(models.TextChoices):
    STAFF = "staff", "Member of staff"
    CLIENT = "client", "Client"
    OTHER = "other", "Someone else"


class ActionQuerySet(models.QuerySet["Action"]):
    def overdue(self, today: date | None = None) -> ActionQuerySet:
        return self.filter(status=ActionStatus.OPEN, due_on__lt=today or timezone.localdate())


class Action(models.Model):
    """An action in the client's action plan, with an owner and a due date (PC9)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    source_note = models.ForeignKey(
        CaseNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner_kind = models.CharField(max_length=10, choices=ActionOwner.choices, default=ActionOwner.STAFF)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner_name = models.CharField(max_length=200, blank=True, help_text="Who, when not a member of staff.")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["case", "status", "due_on"], name="action_case_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner_kind="staff") | models.Q(assigned_to__isnull=False),
                name="staff_action_has_assignee",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner_kind == ActionOwner.STAFF and self.assigned_to is not None:
            return self.assigned_to.display_name
        if self.owner_kind == ActionOwner.CLIENT:
            return "Client"
        return self.owner_name or "Someone else"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < (today or timezone.localdate())


class CaseEvent(models.Model):
    """A dated event in a case's history other than a note: status change, action, flag...

    Codes come from ``casework.cases.events.EVENT_CODES`` and are checked on write.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at_idx")]

    def __str__(self) -> str:
        return self.summary


class ClientCorrection(models.Model):
    """A correction to a client's details, with the values before and after and the reason
    (UK GDPR Article 16, rectification; PC16).

    The old values live here rather than in the audit trail, because the trail outlives the
    client's record and must hold no personal data: the audit event names the fields changed
    and this row's id. Erasing or disposing of the client removes these rows with it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Correction {self.pk} to client {self.client_id}"


class OutcomeResult(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class CaseClosure(models.Model):
    """One closing of a case, with why (PC3, PC17). Reopening the case keeps the row and marks
    it reopened, so the earlier outcome stays in the history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    closed_on = models.DateField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["closed_on", "pk"]
        indexes = [models.Index(fields=["organisation", "closed_on"], name="closure_org_closed_idx")]

    def __str__(self) -> str:
        return f"Case {self.case_id} closed on {self.closed_on}"


class CaseOutcome(models.Model):
    """Whether one of the case's required outcomes was achieved when it closed, and why (PC3).

    One row per required outcome (a line of ``Case.required_outcomes``) per closure, so the
    reviews can count outcomes achieved in the database."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    closure = models.ForeignKey(CaseClosure, on_delete=models.CASCADE, related_name="outcomes")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=500)
    result = models.CharField(max_length=15, choices=OutcomeResult.choices)
    why = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.result}"
