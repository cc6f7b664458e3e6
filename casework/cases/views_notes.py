"""Case notes: record one with its actions, check the facts for opinion, amend a signed note
(PC1, PC17; K4, K5). Every page opens its case through ``casework.cases.access``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casework.cases import access, presenters, rules, services
from casework.cases.forms import (
    ActionRowForm,
    AmendNoteForm,
    NoteForm,
    action_rows,
)
from casework.cases.models import Case, Goal, NoteVersion
from casework.cases.views import (
    NOTE_FIELD_MAP,
    check_url,
    new_note_forms,
    note_options,
    signed_in_user,
)
from casework.formkit import add_service_errors, error_summary


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
    user = signed_in_user(request)
    case = access.case_for_user(user, case_id, view="record a note", write=True)
    options = note_options(case, list(Goal.objects.filter(case=case).order_by("created_at", "pk")))
    if request.method == "GET":
        form, rows = new_note_forms(request, case, options)
        return _render_note_form(request, case, form, rows)
    form = NoteForm(request.POST, options=options, check_url=check_url(case))
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
            next_review_on=form.cleaned_data.get("next_review_on"),
        )
    except ValidationError as exc:
        add_service_errors(exc, form, field_map=NOTE_FIELD_MAP, rows=filled)
        return _render_note_form(request, case, form, rows, status=400)
    findings = rules.check_facts(form.sections()["facts"])
    case_url = reverse("cases:case_detail", args=[case.pk])
    if findings:
        # Name the words here, in the message itself, and land on the message (issue 9, D4).
        shown = list(dict.fromkeys(f"“{f.matched}” ({f.label.lower()})" for f in findings))
        words = ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")
        messages.warning(
            request,
            f"Case note saved. In the facts, {words} may read as opinion. If it does, amend the "
            "note (“Amend this note” under it in the case history) and move the view to the "
            "assessment.",
        )
        return HttpResponseRedirect(f"{case_url}#messages")
    messages.success(request, "Case note saved.")
    return HttpResponseRedirect(f"{case_url}#note-{note.pk}")


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
    access.case_for_user(signed_in_user(request), case_id, view="fact and opinion check", write=True)
    facts = request.POST.get("facts", "")
    return render(request, "cases/_fact_check.html", {"check": _fact_check_context(facts)})


@require_http_methods(["GET", "POST"])
def note_amend(request: HttpRequest, note_id: int) -> HttpResponse:
    """Amend a signed note: a new version with a reason; the earlier one stays readable (PC1, K4)."""
    user = signed_in_user(request)
    note = access.note_for_user(user, note_id, view="amend note", write=True)
    case = note.case
    latest = max(note.versions.all(), key=lambda v: v.number)
    options = note_options(case, [])
    conflict: NoteVersion | None = None
    if request.method == "GET":
        form = AmendNoteForm(
            initial=AmendNoteForm.initial_from(latest), options=options, check_url=check_url(case)
        )
        status = 200
    else:
        form = AmendNoteForm(request.POST, options=options, check_url=check_url(case))
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
                    amends_version=form.cleaned_data["amends_version"],
                )
            except services.NoteMovedOnError as exc:
                # Keep what the user typed, now against the current version, with theirs beside it.
                conflict, status = exc.current, 409
                form = AmendNoteForm(
                    {**request.POST.dict(), "amends_version": str(conflict.number)},
                    options=options,
                    check_url=check_url(case),
                )
                form.is_valid()
                form.add_error(None, str(exc))
                latest = conflict
            except ValidationError as exc:
                add_service_errors(exc, form, field_map=NOTE_FIELD_MAP)
            else:
                messages.success(request, "Amendment saved. The earlier version is kept in the history.")
                return HttpResponseRedirect(f"{reverse('cases:case_detail', args=[case.pk])}#note-{note.pk}")
    context = {
        "case": case,
        "note": note,
        "latest": latest,
        "conflict": conflict,
        "form": form,
        "errors": error_summary([form], first_field="reason"),
        "check": _fact_check_context(form["facts"].value() or ""),
    }
    return render(request, "cases/note_amend.html", context, status=status)
