"""The action plan, flags and deadlines on a case: goals, actions, flags, deadlines (PC3, PC8-PC10).
Every page opens its record through ``casework.cases.access``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from casework.cases import access, selectors, services
from casework.cases.forms import (
    ActionStatusForm,
    DeadlineForm,
    DeadlineMetForm,
    FlagClearForm,
    FlagRaiseForm,
    GoalForm,
    GoalStatusForm,
)
from casework.cases.models import DeadlineKind, Goal, GoalStatus
from casework.cases.pages import FormPage, case_form, case_url
from casework.cases.views import (
    GOAL_INTRO,
    GOAL_PAGE,
    GOAL_PREFIX,
    PLAN_ACTION_INTRO,
    PLAN_ACTION_PAGE,
    note_options,
    plan_action_form,
    signed_in_user,
    wants_fragment,
)
from casework.locking import StaleRecordError

# Actions -------------------------------------------------------------------------------------


@require_POST
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark an action done, or open again (PC9). A change from a stale page is refused."""
    user = signed_in_user(request)
    action = access.action_for_user(user, action_id, view="action status", write=True)
    form = ActionStatusForm(request.POST)
    error, status = "", 200
    if form.is_valid():
        try:
            services.action_update(
                action=action,
                actor=user,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        except StaleRecordError as exc:
            error, status = str(exc), 409
            action = selectors.action_reread(action)
    else:
        error, status = "Choose a status for the action.", 400
    if wants_fragment(request):
        context = {"action": action, "can_write": True, "action_error": error}
        return render(request, "cases/_action_row.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        label = action.get_status_display().lower()
        messages.success(request, f"Action “{action.description}” marked {label}.")
    return HttpResponseRedirect(f"{reverse('cases:case_detail', args=[action.case_id])}#action-{action.pk}")


@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a SMART goal to the client's action plan (PC3, PC9)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="add a goal", write=True)
    form = GoalForm(request.POST if request.method == "POST" else None, prefix=GOAL_PREFIX)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        goal = services.goal_add(case=case, actor=user, **data)
        return f"Goal “{goal.description}” added to the action plan.", f"goal-{goal.pk}"

    return case_form(request, GOAL_PAGE, case=case, form=form, save=save, intro=[GOAL_INTRO])


@require_POST
def goal_status(request: HttpRequest, case_id: int, goal_id: int) -> HttpResponse:
    """Mark a goal achieved or not achieved, or in progress again (PC3)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="goal status", write=True)
    goal = get_object_or_404(Goal.objects.select_related("case"), case=case, pk=goal_id)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose achieved, not achieved or in progress for the goal.")
    else:
        try:
            services.goal_set_status(
                goal=goal,
                actor=user,
                status=form.cleaned_data["status"],
                expected_status=form.cleaned_data["seen"] or None,
            )
        except StaleRecordError as exc:
            messages.error(request, str(exc))
        else:
            label = GoalStatus(goal.status).label.lower()
            messages.success(request, f"Goal “{goal.description}” marked {label}.")
    return HttpResponseRedirect(case_url(case, f"goal-{goal.pk}"))


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add an action to the plan with its owner and due date, outside a case note (PC9)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="add an action", write=True)
    options = note_options(case, list(Goal.objects.filter(case=case).order_by("created_at", "pk")))
    form = plan_action_form(request.POST if request.method == "POST" else None, options, user)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        action = services.action_add(case=case, actor=user, data=form.to_input())
        return f"Action “{action.description}” added to the action plan.", f"action-{action.pk}"

    return case_form(request, PLAN_ACTION_PAGE, case=case, form=form, save=save, intro=[PLAN_ACTION_INTRO])


# Flags and deadlines (PC8, PC9, PC10) ------------------------------------------------------

FLAG_PAGE = FormPage("Raise a flag", "Raise the flag", "code", "cases:flag_new")
FLAG_CLEAR_PAGE = FormPage("Clear a flag", "Clear the flag", "reason", "cases:flag_clear")
DEADLINE_PAGE = FormPage("Set a deadline", "Set the deadline", "kind", "cases:deadline_new")


_F = TypeVar("_F", bound=forms.Form)


def _bound(request: HttpRequest, form_class: type[_F]) -> _F:
    return form_class(request.POST) if request.method == "POST" else form_class()


@require_http_methods(["GET", "POST"])
def flag_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Raise a risk or vulnerability flag; the case is re-prioritised at once (PC8, PC10)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="raise a flag", write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        flag = services.flag_raise(case=case, actor=user, code=data["code"], detail=data["detail"])
        return f"{flag.get_code_display()} raised. The case's priority is updated.", "flags"

    choices = selectors.flag_choices(case.organisation_id)
    form = FlagRaiseForm(request.POST if request.method == "POST" else None, choices=choices)
    return case_form(request, FLAG_PAGE, case=case, form=form, save=save)


@require_http_methods(["GET", "POST"])
def flag_clear(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Clear a flag that no longer applies, with the reason."""
    user = signed_in_user(request)
    flag = access.flag_for_user(user, flag_id, view="clear a flag", write=True)
    raised = timezone.localtime(flag.raised_at)
    detail = f": {flag.detail}" if flag.detail else "."
    intro = [f"{flag.get_code_display()}, raised {raised.day} {raised:%b %Y}{detail}"]
    if flag.cleared_at is not None:
        messages.info(request, f"{flag.get_code_display()} was already cleared.")
        return HttpResponseRedirect(case_url(flag.case, "flags"))

    def save(data: dict[str, Any]) -> tuple[str, str]:
        services.flag_clear(flag=flag, actor=user, reason=data["reason"])
        return f"{flag.get_code_display()} cleared. The case's priority is updated.", "flags"

    form = _bound(request, FlagClearForm)
    return case_form(
        request, FLAG_CLEAR_PAGE, case=flag.case, form=form, save=save, url_arg=flag.pk, intro=intro
    )


@require_http_methods(["GET", "POST"])
def deadline_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set a statutory, agreed or service deadline on a case (PC9)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="set a deadline", write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        deadline = services.deadline_add(
            case=case, actor=user, kind=data["kind"], description=data["description"], due_on=data["due_on"]
        )
        kind = DeadlineKind(deadline.kind).label.lower()
        return f"Deadline set ({kind}): {deadline.description}.", "deadlines"

    return case_form(request, DEADLINE_PAGE, case=case, form=_bound(request, DeadlineForm), save=save)


@require_POST
def deadline_met(request: HttpRequest, deadline_id: int) -> HttpResponse:
    """Mark a deadline met (today, or on the date given) (PC9)."""
    user = signed_in_user(request)
    deadline = access.deadline_for_user(user, deadline_id, view="deadline met", write=True)
    form = DeadlineMetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a real date for when the deadline was met.")
    else:
        services.deadline_met(deadline=deadline, actor=user, met_on=form.cleaned_data.get("met_on"))
        messages.success(request, f"Deadline met: {deadline.description}.")
    return HttpResponseRedirect(case_url(deadline.case, "deadlines"))
