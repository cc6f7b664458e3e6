"""Organisations (the tenant), teams and users with a role.

Every table that holds an organisation's data carries ``organisation_id``: see
Tenancy in DESIGN.md.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Nation(models.TextChoices):
    """The UK nation a service works in: it decides the bank holidays in its working days."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Organisation(models.Model):
    """The tenant. Holds the organisation's recording rules (K6)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    note_time_scale_hours = models.PositiveIntegerField(
        default=24,
        help_text="A case note recorded more than this many hours after the contact is marked late.",
    )
    case_review_interval_days = models.PositiveIntegerField(
        default=42,
        help_text="A case review note sets the next review this many days after the review (PC13).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: an administrator's change made from an older copy is refused.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    supervisors = models.ManyToManyField("accounts.User", related_name="supervised_teams", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SUPERVISOR = "supervisor", "Supervisor"
    MANAGER = "manager", "Manager"
    DATA_PROTECTION = "dpo", "Data protection officer"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A member of staff. ``organisation`` is required for everyone but a bare superuser."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True)
    invited_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last invitation to set a password was sent."
    )
    version = models.PositiveIntegerField(default=1)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def org_id(self) -> int:
        """The user's organisation id; a user with none can reach no organisation's data."""
        if self.organisation_id is None:
            raise PermissionError("This account belongs to no organisation.")
        return self.organisation_id

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_data_protection(self) -> bool:
        """Data-protection roles read the access log, answer subject access and dispose of records."""
        return self.role == Role.DATA_PROTECTION


class ApiToken(models.Model):
    """A per-user bearer token for API clients. Only a hash is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {self.pk} for {self.user_id}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple[ApiToken, str]:
        """Create a token for ``user`` and return it with the plain key, shown once."""
        key = "cw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(organisation=user.organisation, user=user, key_hash=cls.hash_key(key))
        return token, key


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key`` header, and the answer it got (issue 8).

    A client that lost the answer to a write (a dropped connection) sends it again with the
    same key; the stored answer is returned and nothing is written twice. The key is bound to
    the request it first came with: the same key with another body is refused. Rows hold the
    answer, which may hold client data, so they are deleted after ``RETENTION`` (24 hours).
    """

    RETENTION_HOURS = 24

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"Idempotent request {self.key!r} of user {self.user_id}"
