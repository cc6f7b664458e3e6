"""Pages for keeping a case up to date: correct the client's details, change the case's
details, reallocate it, close it with its outcomes, change or withdraw an action, and My
actions (PC3, PC9, PC12, PC16, PC17).

Each opens the case through ``access`` (404 for a case the user may not see, 403 for one they
may only read, an access row either way), validates with a form, calls an ``upkeep`` service
and goes back to the case. A save from an older copy gets 409 and the form again, showing the
record as it is now with what the user typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from casework.accounts.models import Role
from casework.cases import access, selectors, services, upkeep
from casework.cases.forms_upkeep import (
    ActionEditForm,
    ActionWithdrawForm,
    CaseDetailsForm,
    ClientCorrectionForm,
    CloseCaseForm,
    ReallocationForm,
)
from casework.cases.models import Action, ActionOwner, ActionStatus, Case, CaseStatus
from casework.cases.pages import case_url, form_submit
from casework.cases.views import signed_in_user
from casework.formkit import error_summary


def _page(
    request: HttpRequest,
    template: str,
    *,
    case: Case,
    form: forms.Form,
    status: int,
    first_field: str,
    **extra: Any,
) -> HttpResponse:
    context = {"case": case, "form": form, "errors": error_summary([form], first_field=first_field), **extra}
    return render(request, template, context, status=status)


def _save(
    request: HttpRequest, form: forms.Form, save: Callable[[], str], *, case: Case, anchor: str = ""
) -> tuple[HttpResponse | None, int, Case]:
    """``form_submit`` back to the case; when someone else saved first (409), the case as it is
    now, for the form to be shown again beside it."""
    done, status = form_submit(request, form, save, case_url(case, anchor))
    return done, status, selectors.case_reread(case) if status == 409 else case


@require_http_methods(["GET", "POST"])
def client_correct(request: HttpRequest, case_id: int) -> HttpResponse:
    """Correct the client's name, date of birth, contact details or address, with a reason."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="correct client details", write=True)
    client = case.client
    form = ClientCorrectionForm(request.POST or None, initial=ClientCorrectionForm.initial_for(client))
    status = 200
    if form.is_bound:

        def save() -> str:
            correction = upkeep.client_correct(
                client=client,
                actor=user,
                values=form.values(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                case=case,
            )
            return "Client's details corrected." if correction else "Nothing was changed."

        done, status, case = _save(request, form, save, case=case)
        if done:
            return done
        client = case.client
    return _page(
        request,
        "cases/client_correct.html",
        case=case,
        form=form,
        status=status,
        first_field="first_name",
        current=client,
        corrections=client.corrections.select_related("corrected_by").order_by("-at")[:50],
    )


@require_http_methods(["GET", "POST"])
def case_details(request: HttpRequest, case_id: int) -> HttpResponse:
    """Change the required outcomes, complexity, contact interval, next review or restriction."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="change case details", write=True)
    may_name = selectors.restriction_choices(case)
    form = CaseDetailsForm(request.POST or None, initial=CaseDetailsForm.initial_for(case), may_name=may_name)
    status = 200
    if form.is_bound:

        def save() -> str:
            changed = upkeep.case_update(
                case=case, actor=user, values=form.values(), expected_version=form.cleaned_data["version"]
            )
            return "Case details saved." if changed else "Nothing was changed."

        done, status, case = _save(request, form, save, case=case)
        if done:
            return done
    return _page(
        request,
        "cases/case_details.html",
        case=case,
        form=form,
        status=status,
        first_field="required_outcomes",
    )


@require_http_methods(["GET", "POST"])
def case_reallocate(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give the case to another practitioner: a supervisor for their team, or a manager (PC12)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="reallocate case")
    if not upkeep.can_reallocate(user, case):
        raise PermissionDenied("Only the owner's supervisor or a manager can reallocate a case.")
    choices = upkeep.reallocation_choices(user, case)
    form = ReallocationForm(request.POST or None, initial={"version": case.version}, choices=choices)
    status = 200
    if form.is_bound:

        def save() -> str:
            new_owner = form.cleaned_data["new_owner"]
            upkeep.case_reallocate(
                case=case,
                actor=user,
                new_owner=new_owner,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            return f"The case is now held by {new_owner.display_name}, who has been told."

        done, status, case = _save(request, form, save, case=case)
        if done:
            return done
    return _page(
        request, "cases/case_reallocate.html", case=case, form=form, status=status, first_field="new_owner"
    )


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close the case: each required outcome achieved, partly or not, and why; open actions
    withdrawn, handed on or kept (PC3, PC17)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="close case", write=True)
    if case.status == CaseStatus.CLOSED:
        messages.info(request, "The case is already closed.")
        return HttpResponseRedirect(case_url(case))
    actions, deadlines = upkeep.open_work(case)
    form = CloseCaseForm(
        request.POST or None,
        initial={"version": case.version},
        outcomes=upkeep.outcome_lines(case),
        open_actions=len(actions),
        colleagues=selectors.case_holders(case.organisation_id),
    )
    status = 200
    if form.is_bound:

        def save() -> str:
            data = form.cleaned_data
            upkeep.case_close(
                case=case,
                actor=user,
                reason=data["reason"],
                outcomes=form.outcome_inputs(),
                open_actions=data.get("open_actions") or "",
                hand_to=data.get("hand_to"),
                expected_version=data["version"],
            )
            return "Case closed, with its outcomes recorded."

        done, status, case = _save(request, form, save, case=case)
        if done:
            return done
    return _page(
        request,
        "cases/case_close.html",
        case=case,
        form=form,
        status=status,
        first_field="outcome_0" if form.outcomes else "reason",
        open_actions=actions,
        open_deadlines=deadlines,
    )


# Actions --------------------------------------------------------------------------------------


def _action_page(
    request: HttpRequest, template: str, *, action: Action, form: forms.Form, status: int, first: str
) -> HttpResponse:
    return _page(
        request, template, case=action.case, form=form, status=status, first_field=first, action=action
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an open action's wording, owner or due date; a past due date needs confirming."""
    user = signed_in_user(request)
    action = access.action_for_user(user, action_id, view="change action", write=True)
    staff_action = action.owner_kind == ActionOwner.STAFF
    staff = selectors.action_owner_choices(action.case)
    initial = {
        "description": action.description,
        "due_on": action.due_on,
        "assigned_to": action.assigned_to_id,
        "version": action.version,
    }
    form = ActionEditForm(request.POST or None, initial=initial, staff=staff, staff_action=staff_action)
    status = 200
    if form.is_bound:

        def save() -> str:
            data = form.cleaned_data
            services.action_update(
                action=action,
                actor=user,
                description=data["description"],
                due_on=data["due_on"],
                assigned_to=data.get("assigned_to"),
                confirm_past=data["confirm_past"],
                expected_version=data["version"],
            )
            return f"Action “{action.description}” saved."

        done, status, _ = _save(request, form, save, case=action.case, anchor=f"action-{action.pk}")
        if done:
            return done
        if "due_on" in form.errors and form.data.get("due_on"):
            form.show_confirmation()
        if status == 409:
            action = selectors.action_reread(action)
    return _action_page(
        request, "cases/action_edit.html", action=action, form=form, status=status, first="description"
    )


@require_http_methods(["GET", "POST"])
def action_withdraw(request: HttpRequest, action_id: int) -> HttpResponse:
    """Withdraw an action that is no longer needed, with a reason; it stays in the history."""
    user = signed_in_user(request)
    action = access.action_for_user(user, action_id, view="withdraw action", write=True)
    form = ActionWithdrawForm(request.POST or None, initial={"version": action.version})
    status = 200
    if form.is_bound:

        def save() -> str:
            services.action_update(
                action=action,
                actor=user,
                status=ActionStatus.CANCELLED,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            return f"Action “{action.description}” withdrawn."

        done, status, _ = _save(request, form, save, case=action.case, anchor=f"action-{action.pk}")
        if done:
            return done
        if status == 409:
            action = selectors.action_reread(action)
    return _action_page(
        request, "cases/action_withdraw.html", action=action, form=form, status=status, first="reason"
    )


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """Every open action assigned to me, on any case: overdue first, then due this week, then
    later (PC9). A case I cannot open shows by its reference only."""
    user = signed_in_user(request)
    if user.role not in (Role.PRACTITIONER, Role.SUPERVISOR):
        raise Http404("My actions is for practitioners and supervisors.")
    groups = selectors.my_actions(user)
    visible = [item.action.case for group in groups for item in group.items if item.can_open]
    access.cases_shown(user, visible, view="My actions")
    total = sum(len(group.items) for group in groups)
    return render(request, "cases/my_actions.html", {"groups": groups, "total": total})
