"""Subject access requests and disposal certificates (PC16; K1).

The audit trail and the access log live in ``casework.audit``, below every app that writes them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from casework.accounts.models import Organisation
from casework.cases import rules


class SubjectAccessRequest(models.Model):
    """A client's request for a copy of their personal data (UK GDPR Article 15; K1).

    ``due_on`` is one calendar month after ``requested_on`` (see ``sar.sar_due_on``). When the
    client's record is disposed of, ``client`` becomes empty and the notes are cleared; the
    pseudonymous reference and the dates stay, as proof that the request was answered.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(
        "cases.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_access_requests",
    )
    client_reference = models.CharField(max_length=20)
    requested_on = models.DateField()
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "completed_at", "due_on"], name="sar_outstanding_idx"),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk} ({self.client_reference})"

    @property
    def is_outstanding(self) -> bool:
        return self.completed_at is None

    def is_overdue(self, today: date | None = None) -> bool:
        return self.completed_at is None and self.due_on < (today or timezone.localdate())


class DisposalKind(models.TextChoices):
    RETENTION = "retention", "Retention period ended"
    ERASURE = "erasure", "Erased on request"


class DisposalCertificate(models.Model):
    """The minimal record kept when a case's personal data is disposed of (K1).

    It names the case by id and the client only by pseudonymous reference, so it holds no
    personal data itself; ``disposed_by`` is a username as text, so it outlives the account.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DisposalKind.choices)
    case_id = models.BigIntegerField(null=True, blank=True, help_text="Empty for a client with no case.")
    client_reference = models.CharField(max_length=20)
    case_type = models.CharField(max_length=200, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    client_record_removed = models.BooleanField(
        default=False, help_text="The client's details went too: no other case remained."
    )
    disposed_at = models.DateTimeField(default=timezone.now)
    disposed_by = models.CharField(max_length=150)
    rule = models.CharField(max_length=300)
    reason = models.TextField()

    class Meta:
        ordering = ["-disposed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "disposed_at"], name="disposal_org_at_idx")]

    def __str__(self) -> str:
        what = f"Case {self.case_id}" if self.case_id else "Client record"
        return f"{what} ({self.client_reference}) disposed of on {rules.short_date(self.disposed_at)}"
