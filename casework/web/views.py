"""The server-rendered web UI. Each view parses, calls a selector or service, and renders.

Objects a user may not see answer 404 (the selectors raise it); a case the user may read
but not write answers 403 on every write. htmx requests get a fragment of the page; the
same URLs serve the whole page to a browser without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.accounts.models import Role, User
from casework.cases import rules, selectors, services
from casework.cases.models import Case, ContactType, Goal, GoalStatus
from casework.governance.access import access_record, access_record_many
from casework.governance.models import AccessChannel
from casework.locking import StaleRecordError
from casework.web import presenters
from casework.web.forms import (
    ActionRowForm,
    ActionStatusForm,
    AmendNoteForm,
    CaseloadFilterForm,
    CaseStatusForm,
    NoteForm,
    NoteFormOptions,
    NoteSectionsForm,
    action_rows,
    add_service_errors,
)

NOTE_FIELD_MAP = {"occurred_at": "occurred_date"}


def _user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware guarantees a signed-in user on every view here.
    user = request.user
    assert isinstance(user, User)
    return user


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _log_view(user: User, case: Case, view: str) -> None:
    """Who viewed which client's record, and on which page (PC16)."""
    access_record(user=user, client_id=case.client_id, case_id=case.pk, channel=AccessChannel.WEB, view=view)


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
    access_record_many(user=user, cases=cases, channel=AccessChannel.LIST, view=extra["list_name"])
    context = {"form": form, "cases": cases, "filtered": bool(request.GET), **extra}
    if _wants_fragment(request):
        return _render_varying(request, "web/_caseload_results.html", context)
    return _render_varying(request, template, context)


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload: the signed-in practitioner's own cases, stalest contact first (PC3, PC14)."""
    return _caseload_page(
        request,
        owner=_user(request),
        template="web/caseload.html",
        extra={"list_url": reverse("web:caseload"), "list_name": "My caseload"},
    )


def _require_reviewer(user: User) -> None:
    if user.role not in (Role.SUPERVISOR, Role.MANAGER):
        raise Http404("Only supervisors and managers review teams.")


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """Each practitioner's caseload at a glance, for supervision (PC15, PC16)."""
    user = _user(request)
    _require_reviewer(user)
    return render(request, "web/team.html", {"rows": selectors.team_overview(user)})


@require_GET
def team_member(request: HttpRequest, user_id: int) -> HttpResponse:
    """One practitioner's caseload, as their supervisor or a manager sees it (PC16)."""
    user = _user(request)
    _require_reviewer(user)
    member = selectors.team_member_for_user(user, user_id)
    return _caseload_page(
        request,
        owner=member,
        template="web/team_member.html",
        extra={
            "member": member,
            "list_url": reverse("web:team_member", args=[member.pk]),
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
    return reverse("web:note_check", args=[case.pk])


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
    case = selectors.case_for_user(user, case_id)
    _log_view(user, case, "case page")
    plan = selectors.case_page(case)
    can_write = selectors.can_write_case(user, case)
    context: dict[str, Any] = {
        "case": case,
        **plan,
        "plan": presenters.action_plan(plan["goals"], plan["actions"]),
        "timeline": selectors.case_timeline(case),
        "can_write": can_write,
    }
    if can_write:
        options = _note_options(case, plan["goals"])
        context["note_form"], context["action_forms"] = _new_note_forms(request, case, options)
        context["status_form"] = CaseStatusForm(initial={"status": case.status, "version": case.version})
    return render(request, "web/case_detail.html", context)


@require_GET
def case_history_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The whole case history on paper, oldest first (PC1)."""
    user = _user(request)
    case = selectors.case_for_user(user, case_id)
    _log_view(user, case, "case history print")
    context = {"case": case, **selectors.case_page(case), "timeline": selectors.case_timeline(case)}
    return render(request, "web/history_print.html", context)


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
        "errors": presenters.error_summary([form, *rows], first_field="contact_type"),
        "check": _fact_check_context(facts),
    }
    return render(request, "web/note_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a case note with its actions (PC1, PC17). The fact/opinion check only advises."""
    user = _user(request)
    case = selectors.case_for_user(user, case_id, write=True)
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
    return HttpResponseRedirect(f"{reverse('web:case_detail', args=[case.pk])}#note-{note.pk}")


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
    selectors.case_for_user(_user(request), case_id, write=True)
    facts = request.POST.get("facts", "")
    return render(request, "web/_fact_check.html", {"check": _fact_check_context(facts)})


@require_http_methods(["GET", "POST"])
def note_amend(request: HttpRequest, note_id: int) -> HttpResponse:
    """Amend a signed note: a new version with a reason; the earlier one stays readable (PC1, K4)."""
    user = _user(request)
    note = selectors.note_for_user(user, note_id, write=True)
    case = selectors.case_for_user(user, note.case_id)
    latest = max(note.versions.all(), key=lambda v: v.number)
    options = _note_options(case, [])
    _log_view(user, case, "amend note")
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
                return HttpResponseRedirect(f"{reverse('web:case_detail', args=[case.pk])}#note-{note.pk}")
    context = {
        "case": case,
        "note": note,
        "latest": latest,
        "form": form,
        "errors": presenters.error_summary([form], first_field="reason"),
        "check": _fact_check_context(form["facts"].value() or ""),
    }
    return render(request, "web/note_amend.html", context, status=status)


# Actions and status ------------------------------------------------------------------------


@require_POST
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark an action done, or open again (PC9). A change from a stale page is refused."""
    user = _user(request)
    action = selectors.action_for_user(user, action_id, write=True)
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
            action = selectors.action_for_user(user, action_id, write=True)
    else:
        error, status = "Choose a status for the action.", 400
    if _wants_fragment(request):
        context = {"action": action, "can_write": True, "action_error": error}
        return render(request, "web/_action_row.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        label = action.get_status_display().lower()
        messages.success(request, f"Action “{action.description}” marked {label}.")
    return HttpResponseRedirect(f"{reverse('web:case_detail', args=[action.case_id])}#action-{action.pk}")


@require_http_methods(["GET", "POST"])
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    """Put a case on hold, close it or open it again, with a reason (PC17)."""
    user = _user(request)
    case = selectors.case_for_user(user, case_id, write=True)
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
                case = selectors.case_for_user(user, case_id, write=True)
                form = CaseStatusForm({**request.POST.dict(), "version": case.version})
                form.is_valid()
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, f"Case status is now: {case.get_status_display().lower()}.")
                return redirect("web:case_detail", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "errors": presenters.error_summary([form], first_field="status"),
    }
    return render(request, "web/case_status.html", context, status=status)
