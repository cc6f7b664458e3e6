"""Priority criteria as data, their change log, stored assessments, overrides, notifications
and daily snapshots (PC7-PC15; K14-K19).

The scoring itself lives in ``engine.py`` (pure Python); these tables hold what an
organisation decided and what the engine concluded, so the Today queue is one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from casework.accounts.models import Organisation
from casework.priorities import engine


class PrioritySettings(models.Model):
    """An organisation's band thresholds, quadrant thresholds, time scales and calendar."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="priority_settings"
    )
    red_threshold = models.PositiveIntegerField(default=50)
    amber_threshold = models.PositiveIntegerField(default=20)
    urgency_threshold = models.PositiveIntegerField(default=20)
    importance_threshold = models.PositiveIntegerField(default=15)
    first_contact_working_days = models.PositiveIntegerField(default=2)
    first_contact_working_hours_at_risk = models.FloatField(
        null=True, blank=True, default=1, help_text="With a risk flag raised; empty: as without."
    )
    contact_interval_days = models.PositiveIntegerField(default=14)
    contact_interval_days_at_risk = models.PositiveIntegerField(null=True, blank=True, default=7)
    pause_time_scales_on_hold = models.BooleanField(default=True)
    extra_holidays = models.JSONField(default=list, blank=True, help_text="Dates the organisation is closed.")
    removed_holidays = models.JSONField(default=list, blank=True, help_text="Bank holidays it works.")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Priority settings of {self.organisation_id}"


class PriorityCriterion(models.Model):
    """One organisation-defined criterion (PC7, K14). Kinds and parameters: ``engine.CRITERION_KINDS``."""

    AXIS_CHOICES = [
        (engine.URGENCY, "Urgency"),
        (engine.IMPORTANCE, "Importance"),
        (engine.BOTH, "Urgency and importance"),
    ]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="priority_criteria")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=[(k, v.label) for k, v in engine.CRITERION_KINDS.items()])
    params = models.JSONField(default=dict, blank=True)
    points = models.PositiveIntegerField()
    axis = models.CharField(max_length=20, choices=AXIS_CHOICES, default=engine.URGENCY)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="criterion_code_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name

    def as_engine(self) -> engine.Criterion:
        return engine.Criterion(
            id=self.code,
            name=self.name,
            kind=self.kind,
            points=self.points,
            axis=self.axis,
            params=dict(self.params),
        )


class CriteriaChange(models.Model):
    """Every change to the criteria or settings: who, when, what, and the reason agreed (K14)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="criteria_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    criterion_code = models.CharField(max_length=60, blank=True, help_text="Empty for a settings change.")
    summary = models.CharField(max_length=500)
    reason = models.TextField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return self.summary


class Band(models.TextChoices):
    RED = engine.RED, "Red"
    AMBER = engine.AMBER, "Amber"
    GREEN = engine.GREEN, "Green"


BAND_RANK = {engine.RED: 0, engine.AMBER: 1, engine.GREEN: 2}


class CaseAssessment(models.Model):
    """The engine's latest assessment of a case, kept current (see ``services``) (PC8, PC15)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="assessment"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField()
    band = models.CharField(max_length=10, choices=Band.choices)
    # The band after any current override: what the queue shows and sorts by.
    effective_band = models.CharField(max_length=10, choices=Band.choices)
    band_rank = models.PositiveSmallIntegerField(help_text="0 red, 1 amber, 2 green, for sorting.")
    quadrant = models.CharField(max_length=30)
    urgency = models.PositiveIntegerField()
    importance = models.PositiveIntegerField()
    rationale = models.JSONField(default=list)
    summary = models.TextField(blank=True)
    past_time_scale = models.JSONField(default=list)
    is_past_time_scale = models.BooleanField(default=False)
    next_deadline = models.JSONField(null=True, blank=True)
    next_deadline_on = models.DateField(null=True, blank=True)
    assessed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "band_rank", "score"], name="assessment_queue_idx"),
            models.Index(fields=["organisation", "effective_band"], name="assessment_org_band_idx"),
        ]

    def __str__(self) -> str:
        return f"Case {self.case_id}: {self.band} ({self.score})"


class PriorityOverride(models.Model):
    """A practitioner's move of a case's band, with a written reason and an expiry (PC15)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="priority_overrides")
    band = models.CharField(max_length=10, choices=Band.choices)
    computed_band = models.CharField(
        max_length=10, choices=Band.choices, help_text="The band when overridden."
    )
    reason = models.TextField()
    expires_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "ended_at"], name="override_case_active_idx")]

    def __str__(self) -> str:
        return f"Case {self.case_id} moved to {self.band} until {self.expires_on}"


class NotificationKind(models.TextChoices):
    TURNED_RED = "turned_red", "Case turned red"
    RED_WITHOUT_PLAN = "red_without_plan", "Red case with no planned action"
    REALLOCATED = "reallocated", "Case given to you"


class Notification(models.Model):
    """An in-app message to a person about a case that needs them (PC11, PC12)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.title


class PrioritySnapshot(models.Model):
    """One practitioner's band counts on one day, to watch the effect of priorities (PC13)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    past_time_scale = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["practitioner", "on"], name="snapshot_one_per_day")]

    def __str__(self) -> str:
        return f"{self.practitioner_id} on {self.on}: {self.red}/{self.amber}/{self.green}"
