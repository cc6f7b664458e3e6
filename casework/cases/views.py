"""The server-rendered web UI. Each view parses, calls a selector or service, and renders.

Objects a user may not see answer 404 (the selectors raise it); a case the user may read
but not write answers 403 on every write. htmx requests get a fragment of the page; the
same URLs serve the whole page to a browser without JavaScript.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.accounts.models import Role, User
from casework.cases import access, presenters, rules, selectors, services
from casework.cases.forms import (
    ActionRowForm,
    ActionStatusForm,
    AmendNoteForm,
    CaseloadFilterForm,
    CaseStatusForm,
    DeadlineForm,
    DeadlineMetForm,
    FlagClearForm,
    FlagRaiseForm,
    GoalForm,
    GoalStatusForm,
    NewCaseForm,
    NoteForm,
    NoteFormOptions,
    NoteSectionsForm,
    action_rows,
)
from casework.cases.models import Case, CaseType, Client, ContactType, DeadlineKind, Goal, GoalStatus
from casework.cases.pages import FormPage, case_form, case_url
from casework.cases.panels import case_panels
from casework.formkit import add_service_errors, error_summary
from casework.locking import StaleRecordError

_F = TypeVar("_F", bound=forms.Form)

NOTE_FIELD_MAP = {"occurred_at": "occurred_date"}


def _user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware guarantees a signed-in user on every view here.
    user = request.user
    assert isinstance(user, User)
    return user


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _render_varying(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Caseloads -------------------------------------------------------------------------------


def _caseload_page(
    request: HttpRequest, *, owner: User, template: str, extra: dict[str, Any]
) -> HttpResponse:
    user = _user(request)
    form = CaseloadFilterForm(request.GET)
    cases = list(selectors.caseload(user, owner=owner, **form.selector_kwargs()))
    access.cases_shown(user, cases, view=extra["list_name"])
    context = {"form": form, "cases": cases, "filtered": bool(request.GET), **extra}
    if _wants_fragment(request):
        return _render_varying(request, "cases/_caseload_results.html", context)
    return _render_varying(request, template, context)


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload: the signed-in practitioner's own cases, stalest contact first (PC3, PC14)."""
    return _caseload_page(
        request,
        owner=_user(request),
        template="cases/caseload.html",
        extra={
            "list_url": reverse("cases:caseload"),
            "list_name": "My caseload",
            "can_open_cases": selectors.can_open_cases(_user(request)),
        },
    )


def _require_reviewer(user: User) -> None:
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise Http404("Only supervisors and managers review teams.")


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """Each practitioner's caseload at a glance, for supervision (PC15, PC16)."""
    user = _user(request)
    _require_reviewer(user)
    return render(request, "cases/team.html", {"rows": selectors.team_overview(user)})


@require_GET
def team_member(request: HttpRequest, user_id: int) -> HttpResponse:
    """One practitioner's caseload, as their supervisor or a manager sees it (PC16)."""
    user = _user(request)
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


def _note_options(case: Case, goals: list[Goal]) -> NoteFormOptions:
    return NoteFormOptions(
        contact_types=list(ContactType.objects.filter(organisation_id=case.organisation_id).order_by("name")),
        goals=[goal for goal in goals if goal.status == GoalStatus.OPEN],
        staff=list(
            User.objects.filter(organisation_id=case.organisation_id, is_active=True)
            .filter(Q(role=Role.PRACTITIONER) | Q(role=Role.SUPERVISOR) | Q(role=Role.MANAGER))
            .order_by("first_name", "last_name", "username")
        ),
    )


def _check_url(case: Case) -> str:
    return reverse("cases:note_check", args=[case.pk])


def _new_note_forms(
    request: HttpRequest, case: Case, options: NoteFormOptions
) -> tuple[NoteForm, list[ActionRowForm]]:
    return (
        NoteForm(initial=NoteSectionsForm.when_initial(), options=options, check_url=_check_url(case)),
        action_rows(None, options=options, user=_user(request)),
    )


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case: summary, action plan, history and the forms to record on it (PC1, PC9, PC17)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="case page")
    plan = selectors.case_page(case)
    can_write = selectors.can_write_case(user, case)
    context: dict[str, Any] = {
        "case": case,
        **plan,
        "plan": presenters.action_plan(plan["goals"], plan["actions"]),
        "timeline": selectors.case_timeline(case),
        "can_write": can_write,
        "case_panels": case_panels(),
    }
    if can_write:
        options = _note_options(case, plan["goals"])
        context["note_form"], context["action_forms"] = _new_note_forms(request, case, options)
        context["status_form"] = CaseStatusForm(initial={"status": case.status, "version": case.version})
        context["goal_form"] = GoalForm(prefix=GOAL_PREFIX)
        context["plan_action_form"] = _plan_action_form(None, options, user)
        context["goal_page"], context["plan_action_page"] = GOAL_PAGE, PLAN_ACTION_PAGE
        context["flag_form"], context["deadline_form"] = FlagRaiseForm(), DeadlineForm()
    return render(request, "cases/case_detail.html", context)


@require_GET
def case_history_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The whole case history on paper, oldest first (PC1)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="case history print")
    context = {"case": case, **selectors.case_page(case), "timeline": selectors.case_timeline(case)}
    return render(request, "cases/history_print.html", context)


# Notes -------------------------------------------------------------------------------------


def _render_note_form(
    request: HttpRequest,
    case: Case,
    form: NoteForm,
    rows: list[ActionRowForm],
    *,
    status: int = 200,
) -> HttpResponse:
    facts = form.data.get("facts", "") if form.is_bound else ""
    context = {
        "case": case,
        "note_form": form,
        "action_forms": rows,
        "errors": error_summary([form, *rows], first_field="contact_type"),
        "check": _fact_check_context(facts),
    }
    return render(request, "cases/note_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a case note with its actions (PC1, PC17). The fact/opinion check only advises."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="record a note", write=True)
    options = _note_options(case, list(Goal.objects.filter(case=case).order_by("created_at", "pk")))
    if request.method == "GET":
        form, rows = _new_note_forms(request, case, options)
        return _render_note_form(request, case, form, rows)
    form = NoteForm(request.POST, options=options, check_url=_check_url(case))
    rows = action_rows(request.POST, options=options, user=user)
    forms_valid = form.is_valid() & all([row.is_valid() for row in rows])
    if not forms_valid:
        return _render_note_form(request, case, form, rows, status=400)
    filled = [row for row in rows if not row.is_blank()]
    try:
        note = services.note_record(
            case=case,
            author=user,
            contact_type=form.cleaned_data["contact_type"],
            occurred_at=form.cleaned_data["occurred_at"],
            sections=form.sections(),
            actions=[row.to_input() for row in filled],
            goals=form.chosen_goals(),
        )
    except ValidationError as exc:
        add_service_errors(exc, form, field_map=NOTE_FIELD_MAP, rows=filled)
        return _render_note_form(request, case, form, rows, status=400)
    findings = rules.check_facts(form.sections()["facts"])
    if findings:
        count = "1 phrase" if len(findings) == 1 else f"{len(findings)} phrases"
        messages.warning(
            request,
            f"Case note saved. The facts have {count} that may read as opinion "
            "(see the check below the note); amend the note if it needs it.",
        )
    else:
        messages.success(request, "Case note saved.")
    return HttpResponseRedirect(f"{reverse('cases:case_detail', args=[case.pk])}#note-{note.pk}")


def _fact_check_context(facts: str) -> dict[str, Any] | None:
    if not facts.strip():
        return None
    if len(facts) > rules.SECTION_MAX_CHARS:
        return {"too_long": True, "limit": rules.SECTION_MAX_CHARS}
    findings = rules.check_facts(facts)
    return {"findings": findings, "segments": presenters.highlight(facts, findings), "text": facts}


@require_POST
def note_check(request: HttpRequest, case_id: int) -> HttpResponse:
    """Advice on wording in the facts that reads as opinion (K4). It never blocks a save."""
    access.case_for_user(_user(request), case_id, view="fact and opinion check", write=True)
    facts = request.POST.get("facts", "")
    return render(request, "cases/_fact_check.html", {"check": _fact_check_context(facts)})


@require_http_methods(["GET", "POST"])
def note_amend(request: HttpRequest, note_id: int) -> HttpResponse:
    """Amend a signed note: a new version with a reason; the earlier one stays readable (PC1, K4)."""
    user = _user(request)
    note = access.note_for_user(user, note_id, view="amend note", write=True)
    case = note.case
    latest = max(note.versions.all(), key=lambda v: v.number)
    options = _note_options(case, [])
    if request.method == "GET":
        form = AmendNoteForm(
            initial=AmendNoteForm.initial_from(latest), options=options, check_url=_check_url(case)
        )
        status = 200
    else:
        form = AmendNoteForm(request.POST, options=options, check_url=_check_url(case))
        status = 400
        if form.is_valid():
            try:
                services.note_amend(
                    note=note,
                    author=user,
                    reason=form.cleaned_data["reason"],
                    sections=form.sections(),
                    occurred_at=form.occurred_at_unless_unchanged(latest),
                    contact_type=form.cleaned_data["contact_type"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form, field_map=NOTE_FIELD_MAP)
            else:
                messages.success(request, "Amendment saved. The earlier version is kept in the history.")
                return HttpResponseRedirect(f"{reverse('cases:case_detail', args=[case.pk])}#note-{note.pk}")
    context = {
        "case": case,
        "note": note,
        "latest": latest,
        "form": form,
        "errors": error_summary([form], first_field="reason"),
        "check": _fact_check_context(form["facts"].value() or ""),
    }
    return render(request, "cases/note_amend.html", context, status=status)


# Actions and status ------------------------------------------------------------------------


@require_POST
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark an action done, or open again (PC9). A change from a stale page is refused."""
    user = _user(request)
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
    if _wants_fragment(request):
        context = {"action": action, "can_write": True, "action_error": error}
        return render(request, "cases/_action_row.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        label = action.get_status_display().lower()
        messages.success(request, f"Action “{action.description}” marked {label}.")
    return HttpResponseRedirect(f"{reverse('cases:case_detail', args=[action.case_id])}#action-{action.pk}")


@require_http_methods(["GET", "POST"])
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Put a case on hold, close it or open it again, with a reason (PC17)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="case status", write=True)
    if request.method == "GET":
        form = CaseStatusForm(initial={"status": case.status, "version": case.version})
        status = 200
    else:
        form = CaseStatusForm(request.POST)
        status = 400
        if form.is_valid():
            try:
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
    context = {
        "form": form,
        "duplicates": duplicates,
        "errors": error_summary([form], first_field="first_name"),
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
    user = _user(request)
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
        with transaction.atomic():
            client = existing or services.client_create(
                organisation=organisation,
                actor=user,
                **form.client_fields(),
            )
            case = services.case_open(
                client=client,
                owner=form.chosen_owner(),
                actor=user,
                case_type=data["case_type"],
                required_outcomes=data["required_outcomes"],
                complexity=data["complexity"],
            )
    except ValidationError as exc:
        add_service_errors(exc, form)
        return _render_case_new(request, form, status=400)
    owner = "" if case.owner_id == user.pk else f", held by {case.owner.display_name}"
    messages.success(request, f"Case opened for {client.full_name} ({client.reference}){owner}.")
    return redirect("cases:case_detail", case_id=case.pk)


# Goals and actions in the plan -------------------------------------------------------------

GOAL_PREFIX = "goal"
PLAN_ACTION_PREFIX = "plan-action"


GOAL_PAGE = FormPage("Add a goal", "Add the goal", "description", "cases:goal_new")
GOAL_INTRO = (
    "Agree the goal with the client. A good goal is specific, measurable, achievable, "
    "relevant and time-bound: say what will change, how you will both know, and by when."
)
PLAN_ACTION_PAGE = FormPage("Add an action", "Add the action", "description", "cases:action_new")
PLAN_ACTION_INTRO = "Say what will be done, who will do it and by when. It goes into the action plan."


def _plan_action_form(data: Any, options: NoteFormOptions, user: User) -> ActionRowForm:
    return ActionRowForm(data, prefix=PLAN_ACTION_PREFIX, options=options, user=user, allow_blank=False)


@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a SMART goal to the client's action plan (PC3, PC9)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="add a goal", write=True)
    form = GoalForm(request.POST if request.method == "POST" else None, prefix=GOAL_PREFIX)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        goal = services.goal_add(case=case, actor=user, **data)
        return f"Goal “{goal.description}” added to the action plan.", f"goal-{goal.pk}"

    return case_form(request, GOAL_PAGE, case=case, form=form, save=save, intro=[GOAL_INTRO])


@require_POST
def goal_status(request: HttpRequest, case_id: int, goal_id: int) -> HttpResponse:
    """Mark a goal achieved or not achieved, or in progress again (PC3)."""
    user = _user(request)
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
    user = _user(request)
    case = access.case_for_user(user, case_id, view="add an action", write=True)
    options = _note_options(case, list(Goal.objects.filter(case=case).order_by("created_at", "pk")))
    form = _plan_action_form(request.POST if request.method == "POST" else None, options, user)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        action = services.action_add(case=case, actor=user, data=form.to_input())
        return f"Action “{action.description}” added to the action plan.", f"action-{action.pk}"

    return case_form(request, PLAN_ACTION_PAGE, case=case, form=form, save=save, intro=[PLAN_ACTION_INTRO])


# Flags and deadlines (PC8, PC9, PC10) ------------------------------------------------------

FLAG_PAGE = FormPage("Raise a flag", "Raise the flag", "code", "cases:flag_new")
FLAG_CLEAR_PAGE = FormPage("Clear a flag", "Clear the flag", "reason", "cases:flag_clear")
DEADLINE_PAGE = FormPage("Set a deadline", "Set the deadline", "kind", "cases:deadline_new")


def _bound(request: HttpRequest, form_class: type[_F]) -> _F:
    return form_class(request.POST) if request.method == "POST" else form_class()


@require_http_methods(["GET", "POST"])
def flag_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Raise a risk or vulnerability flag; the case is re-prioritised at once (PC8, PC10)."""
    user = _user(request)
    case = access.case_for_user(user, case_id, view="raise a flag", write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        flag = services.flag_raise(case=case, actor=user, code=data["code"], detail=data["detail"])
        return f"{flag.get_code_display()} raised. The case's priority is updated.", "flags"

    return case_form(request, FLAG_PAGE, case=case, form=_bound(request, FlagRaiseForm), save=save)


@require_http_methods(["GET", "POST"])
def flag_clear(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Clear a flag that no longer applies, with the reason."""
    user = _user(request)
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
    user = _user(request)
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
    user = _user(request)
    deadline = access.deadline_for_user(user, deadline_id, view="deadline met", write=True)
    form = DeadlineMetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a real date for when the deadline was met.")
    else:
        services.deadline_met(deadline=deadline, actor=user, met_on=form.cleaned_data.get("met_on"))
        messages.success(request, f"Deadline met: {deadline.description}.")
    return HttpResponseRedirect(case_url(deadline.case, "deadlines"))
