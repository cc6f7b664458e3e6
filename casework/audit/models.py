"""The audit trail and the access log (PC16; K1, K2, K6).

Both hold ids and usernames as plain values, not foreign keys, so they outlive the records
and accounts they describe (a disposed client still has its disposal on the trail) and
no cascade can ever rewrite them. The audit trail is append-only (a trigger refuses UPDATE
and DELETE) and tamper-evident (each event's hash covers the previous event's hash).

The tables keep the names they were created with in the ``governance`` app: the move to
this app changed Django's state only (``audit`` migration 0001), and no row moved.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from casework.accounts.models import Organisation


class AuditChain(models.Model):
    """The head of an organisation's audit chain, locked while an event is appended."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="audit_chain")
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        db_table = "governance_auditchain"

    def __str__(self) -> str:
        return f"Audit chain of organisation {self.organisation_id} at {self.last_sequence}"


class AuditEvent(models.Model):
    """Who did what to which record, when, and which fields changed."""

    organisation_id = models.BigIntegerField(db_index=True)
    sequence = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    client_id = models.BigIntegerField(null=True, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "governance_auditevent"
        ordering = ["organisation_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "sequence"], name="audit_sequence_unique_in_org"
            )
        ]
        indexes = [
            models.Index(fields=["organisation_id", "client_id", "at"], name="audit_client_idx"),
            models.Index(fields=["organisation_id", "case_id", "at"], name="audit_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} by {self.actor_username}"


class AccessChannel(models.TextChoices):
    WEB = "web", "Web page"
    API = "api", "API"
    EXPORT = "export", "Export"
    LIST = "list", "List or search results"
    CLI = "cli", "Command line"


class AccessEvent(models.Model):
    """A view of a client's record or case: who, when, which client, through what."""

    organisation_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    client_id = models.BigIntegerField()
    case_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=AccessChannel.choices)
    view = models.CharField(max_length=100, help_text="The page, endpoint or export that showed the record.")
    refused = models.BooleanField(
        default=False, help_text="The user tried to open a restricted case they are not named on."
    )

    class Meta:
        db_table = "governance_accessevent"
        indexes = [
            models.Index(fields=["organisation_id", "client_id", "at"], name="access_client_idx"),
            models.Index(fields=["at"], name="access_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} viewed client {self.client_id} via {self.view}"
