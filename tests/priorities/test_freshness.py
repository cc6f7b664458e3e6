"""Assessments stay current with every change, and turning red tells the supervisor (PC8, PC10-PC12)."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from casework.cases.models import FlagCode
from casework.cases.services import ActionInput, action_add, deadline_add, flag_clear, flag_raise, note_record
from casework.priorities.models import CaseAssessment, Notification, NotificationKind, PrioritySnapshot
from casework.priorities.services import sweep
from tests.factories import contact_type


def test_raising_safeguarding_makes_the_case_red_and_tells_the_supervisor(world):
    world.supervisor.email = "sam@example.org"
    world.supervisor.save(update_fields=["email"])
    flag_raise(
        case=world.case,
        actor=world.practitioner,
        code=FlagCode.SAFEGUARDING,
        detail="Disclosed abuse at home",
    )
    assessment = CaseAssessment.objects.get(case=world.case)
    assert assessment.band == "red" and assessment.effective_band == "red"
    assert assessment.rationale[0]["name"] == "Safeguarding concern"
    assert sum(r["points"] for r in assessment.rationale) == assessment.score
    turned = Notification.objects.get(kind=NotificationKind.TURNED_RED)
    assert turned.recipient == world.supervisor
    assert "Why: safeguarding concern raised" in turned.body
    # No open action is planned, so the owner and supervisor are both told.
    no_plan = set(
        Notification.objects.filter(kind=NotificationKind.RED_WITHOUT_PLAN).values_list(
            "recipient", flat=True
        )
    )
    assert no_plan == {world.practitioner.pk, world.supervisor.pk}


def test_red_notification_is_emailed_after_commit(world, django_capture_on_commit_callbacks):
    world.supervisor.email = "sam@example.org"
    world.supervisor.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.SAFEGUARDING)
    assert any("sam@example.org" in m.to for m in mail.outbox)


def test_each_change_updates_the_stored_assessment(world):
    note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "email"),
        occurred_at=timezone.now(),
        sections={"facts": "Emailed the form."},
    )
    assert CaseAssessment.objects.get(case=world.case).band == "green"
    deadline_add(
        case=world.case,
        actor=world.practitioner,
        kind="statutory",
        description="Mandatory reconsideration",
        due_on=timezone.localdate() + dt.timedelta(days=1),
    )
    after_deadline = CaseAssessment.objects.get(case=world.case)
    assert "statutory deadline" in after_deadline.summary
    flag = flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.RISK_TO_SELF)
    assert CaseAssessment.objects.get(case=world.case).score > after_deadline.score
    flag_clear(flag=flag, actor=world.practitioner, reason="Crisis team say risk has passed")
    assert CaseAssessment.objects.get(case=world.case).score == after_deadline.score


def test_red_case_with_a_planned_action_is_not_flagged_as_without_plan(world):
    action_add(
        case=world.case,
        actor=world.practitioner,
        data=ActionInput(
            description="Refer to MASH", due_on=timezone.localdate(), assigned_to=world.practitioner
        ),
    )
    flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.SAFEGUARDING)
    assert Notification.objects.filter(kind=NotificationKind.TURNED_RED).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.RED_WITHOUT_PLAN).count() == 0


def test_sweep_picks_up_time_driven_changes_without_notifying_twice(world):
    world.case.last_contact_at = timezone.now() - dt.timedelta(days=3)
    world.case.save(update_fields=["last_contact_at"])
    deadline_add(
        case=world.case,
        actor=world.practitioner,
        kind="statutory",
        description="Tribunal appeal",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    before = CaseAssessment.objects.get(case=world.case)
    later = timezone.now() + dt.timedelta(days=27)
    result = sweep(organisation_id=world.organisation.pk, now=later)
    after = CaseAssessment.objects.get(case=world.case)
    assert result.updated == 1 and after.score > before.score
    assert "no contact" in after.summary and "statutory deadline" in after.summary
    again = sweep(organisation_id=world.organisation.pk, now=later)
    assert again.updated == 0 and again.notifications == 0
    assert PrioritySnapshot.objects.filter(practitioner=world.practitioner).exists()


def test_overrides_are_kept_in_the_case_history(world):
    from casework.cases.models import CaseEvent
    from casework.cases.selectors import case_timeline
    from casework.priorities.services import override_end, override_set

    flag_raise(case=world.case, actor=world.practitioner, code=FlagCode.SAFEGUARDING)
    override = override_set(
        case=world.case,
        actor=world.practitioner,
        band="amber",
        reason="Police now lead; our part is housing",
        expires_on=timezone.localdate() + dt.timedelta(days=14),
    )
    override_end(override=override, actor=world.supervisor, reason="Police have closed their enquiry")
    events = list(
        CaseEvent.objects.filter(case=world.case, code__in=["priority_overridden", "override_ended"])
    )
    assert [e.code for e in events] == ["priority_overridden", "override_ended"]
    assert events[0].summary.startswith("Band moved from red to amber until ")
    assert events[0].summary.endswith(": Police now lead; our part is housing")
    assert events[1].summary == "Override to amber ended: Police have closed their enquiry"
    assert events[1].actor == world.supervisor
    assert {"priority_overridden", "override_ended"} <= {item.kind for item in case_timeline(world.case)}
