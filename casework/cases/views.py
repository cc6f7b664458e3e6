"""The case pages: caseloads, the case page and its printable history, the status form and a
new client and case (PC1, PC3, PC9, PC14, PC16, PC17). Notes are in ``views_notes``; the
action plan, flags and deadlines in ``views_plan``; the helpers they share are here.

Each view parses, calls a selector or service, and renders. Every page that shows a client
opens the record through ``casework.cases.access``, which answers 404 for what the user may
not see, 403 for a write on a case they may only read, and logs the access. htmx requests
get a fragment of the page; the same URLs serve the whole page without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from casework.accounts.models import Role, User
from casework.cases import access, presenters, selectors, services, upkeep
from casework.cases.forms import (
    ActionRowForm,
    CaseloadFilterForm,
    CaseStatusForm,
    DeadlineForm,
    FlagRaiseForm,
    GoalForm,
    NewCaseForm,
    NoteForm,
    NoteFormOptions,
    NoteSectionsForm,
    action_rows,
)
from casework.cases.models import Case, CaseStatus, CaseType, Client, ContactType, Goal, GoalStatus
from casework.cases.pages import FormPage
from casework.cases.panels import case_panels
from casework.formkit import add_service_errors, error_summary
from casework.locking import StaleRecordError

NOTE_FIELD_MAP = {"occurred_at": "occurred_date"}


def signed_in_user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware guarantees a signed-in user on every view here.
    user = request.user
    assert isinstance(user, User)
    return user


def wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _render_varying(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Caseloads -------------------------------------------------------------------------------

# A page of a caseload stays short enough to read and quick to draw; the total is shown.
CASELOAD_PAGE_SIZE = 100


def _caseload_page(
    request: HttpRequest, *, owner: User, template: str, extra: dict[str, Any]
) -> HttpResponse:
    user = signed_in_user(request)
    form = CaseloadFilterForm(request.GET)
    page = Paginator(selectors.caseload(user, owner=owner, **form.selector_kwargs()), CASELOAD_PAGE_SIZE)
    cases_page = page.get_page(request.GET.get("page"))
    cases = list(cases_page.object_list)
    access.cases_shown(user, cases, view=extra["list_name"])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "cases": cases,
        "page": cases_page,
        "total": page.count,
        "page_query": query.urlencode(),
        "filtered": bool(set(request.GET) - {"page"}),
        **extra,
    }
    if wants_fragment(request):
        return _render_varying(request, "cases/_caseload_results.html", context)
    return _render_varying(request, template, context)


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload: the signed-in practitioner's own cases, stalest contact first (PC3, PC14)."""
    return _caseload_page(
        request,
        owner=signed_in_user(request),
        template="cases/caseload.html",
        extra={
            "list_url": reverse("cases:caseload"),
            "list_name": "My caseload",
            "can_open_cases": selectors.can_open_cases(signed_in_user(request)),
        },
    )


def _require_reviewer(user: User) -> None:
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise Http404("Only supervisors and managers review teams.")


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """Each practitioner's caseload at a glance, for supervision (PC15, PC16)."""
    user = signed_in_user(request)
    _require_reviewer(user)
    waiting = selectors.leavers_cases(user)
    access.cases_shown(user, waiting, view="Team: leavers' cases")
    return render(
        request, "cases/team.html", {"rows": selectors.team_overview(user), "leavers_cases": waiting}
    )


@require_GET
def team_member(request: HttpRequest, user_id: int) -> HttpResponse:
    """One practitioner's caseload, as their supervisor or a manager sees it (PC16)."""
    user = signed_in_user(request)
    _require_reviewer(user)
    member = selectors.team_member_for_user(user, user_id)
    return _caseload_page(
        request,
        owner=member,
        template="cases/team_member.html",
        extra={
            "member": member,
            "list_url": reverse("cases:team_member", args=[member.pk]),
            "list_name": "Team member caseload",
        },
    )


# Case page ---------------------------------------------------------------------------------

HISTORY_PAGE = 100


def note_options(case: Case, goals: list[Goal]) -> NoteFormOptions:
    return NoteFormOptions(
        contact_types=list(ContactType.objects.filter(organisation_id=case.organisation_id).order_by("name")),
        goals=[goal for goal in goals if goal.status == GoalStatus.OPEN],
        staff=list(
            User.objects.filter(organisation_id=case.organisation_id, is_active=True)
            .filter(Q(role=Role.PRACTITIONER) | Q(role=Role.SUPERVISOR) | Q(role=Role.MANAGER))
            .order_by("first_name", "last_name", "username")
        ),
    )


def check_url(case: Case) -> str:
    return reverse("cases:note_check", args=[case.pk])


def new_note_forms(
    request: HttpRequest, case: Case, options: NoteFormOptions
) -> tuple[NoteForm, list[ActionRowForm]]:
    return (
        NoteForm(initial=NoteSectionsForm.when_initial(), options=options, check_url=check_url(case)),
        action_rows(None, options=options, user=signed_in_user(request)),
    )


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case: summary, action plan, history and the forms to record on it (PC1, PC9, PC17)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="case page")
    plan = selectors.case_page(case)
    can_write = selectors.can_write_case(user, case)
    context: dict[str, Any] = {
        "case": case,
        **plan,
        "plan": presenters.action_plan(plan["goals"], plan["actions"]),
        "can_write": can_write,
        "can_reallocate": upkeep.can_reallocate(user, case),
        "closures": upkeep.closure_history(case),
        "case_panels": case_panels(),
    }
    # The newest HISTORY_PAGE items, unless the whole history is asked for (issue 9, scope 8).
    timeline = selectors.case_timeline(case)
    whole = request.GET.get("history") == "all"
    context["timeline"] = timeline if whole else timeline[-HISTORY_PAGE:]
    context["history_total"] = len(timeline)
    context["history_cut"] = not whole and len(timeline) > HISTORY_PAGE
    if can_write:
        options = note_options(case, plan["goals"])
        context["note_form"], context["action_forms"] = new_note_forms(request, case, options)
        context["status_form"] = CaseStatusForm(initial={"status": case.status, "version": case.version})
        context["goal_form"] = GoalForm(prefix=GOAL_PREFIX)
        context["plan_action_form"] = plan_action_form(None, options, user)
        context["goal_page"], context["plan_action_page"] = GOAL_PAGE, PLAN_ACTION_PAGE
        context["flag_form"] = FlagRaiseForm(choices=selectors.flag_choices(case.organisation_id))
        context["deadline_form"] = DeadlineForm()
    return render(request, "cases/case_detail.html", context)


@require_GET
def case_history_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The whole case history on paper, oldest first (PC1)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="case history print")
    page = selectors.case_page(case)
    context = {
        "case": case,
        **page,
        "plan": presenters.action_plan(page["goals"], page["actions"]),
        "closures": upkeep.closure_history(case),
        "case_panels": case_panels(),
        "can_write": False,  # paper: no forms
        "printing": True,
        "timeline": selectors.case_timeline(case),
    }
    return render(request, "cases/history_print.html", context)


@require_http_methods(["GET", "POST"])
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Put a case on hold, close it or open it again, with a reason (PC17)."""
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="case status", write=True)
    if request.method == "GET":
        form = CaseStatusForm(initial={"status": case.status, "version": case.version})
        status = 200
    else:
        form = CaseStatusForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                if case.status == CaseStatus.CLOSED and form.cleaned_data["status"] == CaseStatus.OPEN:
                    upkeep.case_reopen(
                        case=case,
                        actor=user,
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                    )
                else:
                    services.case_set_status(
                        case=case,
                        actor=user,
                        status=form.cleaned_data["status"],
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"],
                    )
            except ValidationError as exc:
                add_service_errors(exc, form)
            except StaleRecordError as exc:
                # Show the case as it is now; a second submit starts from this version.
                case = selectors.case_reread(case)
                form = CaseStatusForm({**request.POST.dict(), "version": case.version})
                form.is_valid()
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, f"Case status is now: {case.get_status_display().lower()}.")
                return redirect("cases:case_detail", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "errors": error_summary([form], first_field="status"),
    }
    return render(request, "cases/case_status.html", context, status=status)


# New client and case -----------------------------------------------------------------------


def _require_case_opener(user: User) -> None:
    """Practitioners and supervisors may open cases; a manager gets 403, anyone else 404."""
    if selectors.can_open_cases(user):
        return
    if user.role == Role.MANAGER and user.organisation_id is not None:
        raise PermissionDenied("Managers read cases but do not open them.")
    raise Http404("Only practitioners and supervisors open cases.")


def _render_case_new(
    request: HttpRequest,
    form: NewCaseForm,
    *,
    duplicates: selectors.PossibleDuplicates | None = None,
    status: int = 200,
) -> HttpResponse:
    case_types = CaseType.objects.filter(organisation_id=signed_in_user(request).org_id).exclude(
        outcomes_offered=""
    )
    context = {
        "form": form,
        "duplicates": duplicates,
        "errors": error_summary([form], first_field="first_name"),
        "outcomes_offered": [
            (
                case_type.name,
                [line.strip() for line in case_type.outcomes_offered.splitlines() if line.strip()],
            )
            for case_type in case_types.order_by("name")
        ],
    }
    return render(request, "cases/case_new.html", context, status=status)


def _possible_duplicates(user: User, form: NewCaseForm) -> selectors.PossibleDuplicates:
    data = form.cleaned_data
    found = selectors.possible_duplicate_clients(
        user,
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
        email=data["email"],
        phone=data["phone"],
    )
    shown = [case for client in found.visible for case in client.visible_cases]  # type: ignore[attr-defined]
    access.cases_shown(user, shown, view="possible existing client")
    return found


@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Add a client and open a case for them, after a check for an existing record (PC16, PC17)."""
    user = signed_in_user(request)
    _require_case_opener(user)
    form = NewCaseForm(
        request.POST if request.method == "POST" else None,
        case_types=list(CaseType.objects.filter(organisation_id=user.org_id).order_by("name")),
        owners=selectors.case_owner_choices(user),
        user=user,
    )
    if not form.is_bound:
        return _render_case_new(request, form)
    if not form.is_valid():
        return _render_case_new(request, form, status=400)
    existing: Client | None = None
    if form.cleaned_data["use_client"]:
        existing = selectors.existing_client_for_new_case(user, form.cleaned_data["use_client"])
        if existing is None:
            form.add_error(None, "Choose one of the clients listed, or add a new client.")
            return _render_case_new(request, form, duplicates=_possible_duplicates(user, form), status=400)
    elif not form.cleaned_data["confirm_new"]:
        duplicates = _possible_duplicates(user, form)
        if duplicates:
            return _render_case_new(request, form, duplicates=duplicates)
    data = form.cleaned_data
    organisation = user.organisation
    assert organisation is not None  # can_open_cases checked it
    try:
        case = services.client_and_case_open(
            organisation=organisation,
            actor=user,
            existing=existing,
            client_fields=form.client_fields(),
            owner=form.chosen_owner(),
            case_type=data["case_type"],
            required_outcomes=data["required_outcomes"],
            complexity=data["complexity"],
        )
    except ValidationError as exc:
        add_service_errors(exc, form)
        return _render_case_new(request, form, status=400)
    client = case.client
    owner = "" if case.owner_id == user.pk else f", held by {case.owner.display_name}"
    messages.success(request, f"Case opened for {client.full_name} ({client.reference}){owner}.")
    return redirect("cases:case_detail", case_id=case.pk)


# The action plan's forms on the case page ---------------------------------------------------

GOAL_PREFIX = "goal"
PLAN_ACTION_PREFIX = "plan-action"


GOAL_PAGE = FormPage("Add a goal", "Add the goal", "description", "cases:goal_new")
GOAL_INTRO = (
    "Agree the goal with the client. A good goal is specific, measurable, achievable, "
    "relevant and time-bound: say what will change, how you will both know, and by when."
)
PLAN_ACTION_PAGE = FormPage("Add an action", "Add the action", "description", "cases:action_new")
PLAN_ACTION_INTRO = "Say what will be done, who will do it and by when. It goes into the action plan."


def plan_action_form(data: Any, options: NoteFormOptions, user: User) -> ActionRowForm:
    return ActionRowForm(data, prefix=PLAN_ACTION_PREFIX, options=options, user=user, allow_blank=False)
