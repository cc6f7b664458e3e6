"""The page "Export my case notes, anonymised" (issue 4 item 6; K1, K2).

A practitioner chooses a date range and some of their own cases, and a format: a page to read
(and print or save), a plain-text file or a JSON file. Each export is made afresh, with its own
date shift, and written to the audit trail by ``casework.governance.exports``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from casework.accounts.models import User
from casework.audit.access import access_record_many
from casework.audit.models import AccessChannel
from casework.cases.models import Case
from casework.formkit import add_service_errors, error_summary
from casework.governance.exports import (
    ExportSelection,
    anonymised_export,
    export_as_text,
    exportable_cases,
    readable,
)

FORMAT_CHOICES = [
    ("html", "A page to read here (you can print it or save it)"),
    ("text", "A plain text file (.txt)"),
    ("json", "A JSON file (.json), for research tools"),
]


class _CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        opened = f"{obj.opened_on.day} {obj.opened_on:%B %Y}"
        return f"{obj.client.full_name} ({obj.client.reference}), {obj.case_type.name}, opened {opened}"


class ExportForm(forms.Form):
    date_from = forms.DateField(
        required=False,
        label="Notes of contacts from (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label="Notes of contacts up to and including (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    cases = _CaseChoiceField(
        queryset=Case.objects.none(),
        required=False,
        label="Cases",
        help_text="Leave them all unticked to export the notes of all your cases.",
        widget=forms.CheckboxSelectMultiple,
    )
    format = forms.ChoiceField(
        choices=FORMAT_CHOICES, initial="html", label="Format", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the date range must not be before its start.")
        return data

    def selection(self) -> ExportSelection:
        return ExportSelection(
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            case_ids=tuple(case.pk for case in self.cleaned_data.get("cases") or ()),
        )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# The picker lists at most this many cases, found by the client's name or reference beyond it
# (issue 9, scope 8); ticked cases stay listed whatever the search.
PICKER_LIMIT = 200


def _picker(cases: QuerySet[Case], query: str, ticked: list[int]) -> QuerySet[Case]:
    found = cases
    for word in query.split()[:5]:
        found = found.filter(
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__reference__icontains=word)
        )
    ids = list(found.values_list("pk", flat=True)[:PICKER_LIMIT])
    return cases.filter(Q(pk__in=ids) | Q(pk__in=ticked))


def _render_form(
    request: HttpRequest,
    form: ExportForm,
    cases: list[Case],
    *,
    status: int = 200,
    total: int = 0,
    query: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "cases": cases,
        "total": total,
        "query": query,
        "limit": PICKER_LIMIT,
        "errors": error_summary([form], first_field="date_from"),
    }
    response = render(request, "governance/export/form.html", context, status=status)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def export_notes(request: HttpRequest) -> HttpResponse:
    """Export my case notes, anonymised: the form, and on POST the export itself."""
    user = _user(request)
    all_cases = exportable_cases(user)
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    posted = (
        [int(i) for i in request.POST.getlist("cases") if i.isdigit()] if request.method == "POST" else []
    )
    cases_qs = _picker(all_cases, query.strip()[:100], posted)
    cases = list(cases_qs)
    total = all_cases.count()
    # The list of cases to choose from names the clients, so it is logged like the caseload.
    access_record_many(user=user, cases=cases, channel=AccessChannel.LIST, view="anonymised export: cases")
    if request.method == "GET":
        return _render_form(request, ExportForm(cases=cases_qs), cases, total=total, query=query)
    form = ExportForm(request.POST, cases=cases_qs)
    if not form.is_valid():
        return _render_form(request, form, cases, status=400, total=total, query=query)
    export_format = form.cleaned_data["format"]
    try:
        document = anonymised_export(user=user, selection=form.selection(), export_format=export_format)
    except ValidationError as exc:
        add_service_errors(exc, form)
        return _render_form(request, form, cases, status=400)
    filename = f"anonymised-case-notes-{document['export_id']}"
    if export_format == "json":
        response = HttpResponse(
            json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    elif export_format == "text":
        response = HttpResponse(export_as_text(document), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.txt"'
    else:
        response = render(request, "governance/export/result.html", {"export": readable(document)})
    add_never_cache_headers(response)
    return response
