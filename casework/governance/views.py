"""Data-protection pages: access log, subject access, retention and disposal (PC16; K1).

Each view checks the role first and answers 404 to anyone who may not use it (see
``selectors``), parses the request, calls a selector or service, and renders. Pages that
show a client's record log the view, as every other page does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.accounts.models import User
from casework.audit.trail import AUDIT_ACTIONS
from casework.cases.access import clients_shown
from casework.cases.models import Client
from casework.formkit import add_service_errors, error_summary
from casework.governance import access, retention, selectors, services, wording
from casework.governance.forms import (
    ClientSearchForm,
    DisposalForm,
    ErasureForm,
    LegalHoldForm,
    SubjectAccessRequestForm,
)
from casework.locking import StaleRecordError

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.organisation_id is None:
        raise Http404("No such page.")
    return user


def _access_log_user(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.can_view_access_log(user):
        raise Http404("No such page.")
    return user


def _dpo(request: HttpRequest) -> User:
    return selectors.require_data_protection(_user(request))


# Search and the client's log ---------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Find a client by name or reference; for the data-protection officer, what needs doing."""
    user = _access_log_user(request)
    form = ClientSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    clients = selectors.client_search(user, query) if query else []
    clients_shown(user, clients, view="governance client search")
    is_dpo = selectors.is_data_protection(user)
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "clients": clients,
        "searched": bool(query),
        "limited": len(clients) >= selectors.SEARCH_LIMIT,
        "is_dpo": is_dpo,
    }
    if is_dpo:
        requests = selectors.subject_access_requests(user)["outstanding"]
        today = timezone.localdate()
        context.update(
            outstanding_requests=len(requests),
            overdue_requests=sum(1 for r in requests if r.is_overdue(today)),
            due_for_disposal=retention.cases_due_for_disposal(user.org_id).count(),
        )
    return render(request, "governance/home.html", context)


def _page(request: HttpRequest, queryset: Any, param: str) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """Who has looked at or changed this client's record (PC16): the access log and the audit trail."""
    user = _access_log_user(request)
    client = access.client_for_user(user, client_id, view="access log page")
    views = _page(request, selectors.access_events_for_client(client), "page")
    changes = _page(request, selectors.audit_events_for_client(client), "changes")
    names = selectors.display_names(
        client.organisation_id,
        {e.user_id for e in views if e.user_id}
        | {e.actor_id for e in changes if e.actor_id}
        | wording.people_in(e.changes for e in changes),
    )
    context: dict[str, Any] = {
        "client": client,
        "views": views,
        "view_rows": [{"event": e, "name": names.get(e.user_id or 0, e.username)} for e in views],
        "changes": changes,
        "change_rows": [
            {
                "event": e,
                "name": names.get(e.actor_id or 0, e.actor_username or "System"),
                "label": AUDIT_ACTIONS.get(e.action, e.action),
                "record": e.object_type.replace("_", " ").capitalize(),
                "detail": wording.describe_changes(e.changes, names, e.object_type),
            }
            for e in changes
        ],
        "is_dpo": selectors.is_data_protection(user),
    }
    if context["is_dpo"]:
        cases = selectors.cases_for_client(client)
        reasons = selectors.legal_hold_reasons(client.organisation_id, [c.pk for c in cases])
        context["cases"] = [
            {
                "case": case,
                "ends_on": retention.retention_ends_on(case),
                "past_retention": retention.is_past_retention(case),
                "rule": retention.retention_rule(case.case_type),
                "hold_reason": reasons.get(case.pk, "") if case.legal_hold else "",
            }
            for case in cases
        ]
        # Rectification (UK GDPR Article 16): the details as they were, and why they changed.
        context["corrections"] = list(client.corrections.select_related("corrected_by").order_by("-at")[:50])
    return render(request, "governance/client.html", context)


# Legal hold -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def legal_hold(request: HttpRequest, case_id: int) -> HttpResponse:
    """Put a case on legal hold, or lift it, with a reason (K1)."""
    user = _dpo(request)
    case = access.case_for_legal_hold(user, case_id, view="legal hold page")
    initial = {"held": "0" if case.legal_hold else "1", "version": case.version}
    form = LegalHoldForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.legal_hold_set(
                    case=case,
                    actor=user,
                    held=form.cleaned_data["held"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleRecordError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                held = form.cleaned_data["held"]
                messages.success(
                    request,
                    f"Case {case.pk} is {'now on legal hold' if held else 'no longer on legal hold'}.",
                )
                return redirect("governance:client", client_id=case.client_id)
        status = 400
    reasons = selectors.legal_hold_reasons(case.organisation_id, [case.pk])
    context = {
        "case": case,
        "form": form,
        "hold_reason": reasons.get(case.pk, ""),
        "errors": error_summary([form], first_field="reason"),
    }
    return render(request, "governance/legal_hold.html", context, status=status)


# Subject access -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    """Outstanding subject access requests, with their due dates, and a form to log a new one."""
    user = _dpo(request)
    if request.method == "POST":
        form = SubjectAccessRequestForm(request.POST)
        if form.is_valid():
            client = (
                Client.objects.filter(organisation_id=user.org_id, reference=form.cleaned_data["reference"])
                .select_related("organisation")
                .first()
            )
            if client is None:
                form.add_error("reference", "No client has this reference. Check it on the client's record.")
            else:
                try:
                    created = services.sar_request_log(
                        client=client,
                        actor=user,
                        requested_on=form.cleaned_data["requested_on"],
                        notes=form.cleaned_data["notes"],
                    )
                except ValidationError as exc:
                    add_service_errors(exc, form)
                else:
                    messages.success(
                        request,
                        f"Request logged. The response is due by {date_format(created.due_on, 'j F Y')}.",
                    )
                    return redirect("governance:request", request_id=created.pk)
        status = 400
    else:
        form = SubjectAccessRequestForm(
            initial=SubjectAccessRequestForm.initial_for(request.GET.get("ref", ""))
        )
        status = 200
    context = {
        **selectors.subject_access_requests(user),
        "form": form,
        "today": timezone.localdate(),
        "errors": error_summary([form], first_field="reference"),
    }
    return render(request, "governance/requests.html", context, status=status)


@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _dpo(request)
    sar_request = access.sar_request_for_user(user, request_id, view="subject access request")
    context = {"sar_request": sar_request, "today": timezone.localdate()}
    return render(request, "governance/request_detail.html", context)


@require_POST
def request_response(request: HttpRequest, request_id: int) -> HttpResponse:
    """Produce the response and hand it over as a download; the export is logged (K1)."""
    user = _dpo(request)
    sar_request = selectors.subject_access_request_for_user(user, request_id)
    client = sar_request.client
    if client is None:
        messages.error(request, "The client's record has been disposed of: there is nothing left to send.")
        return redirect("governance:request", request_id=sar_request.pk)
    archive = services.subject_access_produce(
        client=client, actor=user, view="subject access page", request=sar_request
    )
    filename = f"subject-access-{client.reference}-{timezone.localdate():%Y%m%d}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def request_complete(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _dpo(request)
    sar_request = selectors.subject_access_request_for_user(user, request_id)
    try:
        services.sar_request_complete(request=sar_request, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The request is marked as answered.")
    return redirect("governance:requests")


# Retention and disposal ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def retention_report(request: HttpRequest) -> HttpResponse:
    """Records past their retention period, and disposal of them after confirmation (K1)."""
    user = _dpo(request)
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = DisposalForm(request.POST)
        if form.is_valid():
            try:
                run = services.cases_dispose(
                    organisation_id=user.org_id,
                    actor=user,
                    reason=form.cleaned_data["reason"],
                    case_ids=form.cleaned_data["case_ids"],
                    today=today,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                _disposal_messages(request, run)
                return redirect("governance:certificates")
        status = 400
    report = retention.retention_report(user.org_id, today=today)
    if request.method != "POST":
        form = DisposalForm(
            initial={
                "case_ids": ",".join(str(row.case.pk) for row in report["due"]),
                "reason": "Retention period ended",
            }
        )
    clients = set(retention.clients_due_for_disposal(user.org_id, today=today).values_list("pk", flat=True))
    context = {
        "due": report["due"],
        "held": report["held"],
        "clients_going": clients,
        "form": form,
        "today": today,
        "errors": error_summary([form], first_field="reason"),
    }
    return render(request, "governance/retention.html", context, status=status)


def _disposal_messages(request: HttpRequest, run: services.DisposalRun) -> None:
    removed = sum(1 for c in run.certificates if c.client_record_removed)
    messages.success(
        request,
        f"Disposed of {len(run.certificates)} case(s) and {removed} client record(s). "
        "A certificate is kept for each case.",
    )
    for case_id, why in run.skipped:
        messages.warning(request, f"Case {case_id} was not disposed of: {why}")


@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    user = _dpo(request)
    page = _page(request, selectors.disposal_certificates(user), "page")
    return render(request, "governance/certificates.html", {"certificates": page})


@require_http_methods(["GET", "POST"])
def client_erase(request: HttpRequest, client_id: int) -> HttpResponse:
    """Erase a client's record on their request (UK GDPR Art. 17); refused while on legal hold."""
    user = _dpo(request)
    client = access.client_for_user(user, client_id, view="erasure page")
    form = ErasureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            reference = client.reference
            try:
                services.client_erase(client=client, actor=user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, f"The record of client {reference} has been erased.")
                return HttpResponseRedirect(reverse("governance:certificates"))
        status = 400
    cases = selectors.cases_for_client(client)
    context = {
        "client": client,
        "cases": cases,
        "on_legal_hold": any(case.legal_hold for case in cases),
        "form": form,
        "errors": error_summary([form], first_field="reason"),
    }
    return render(request, "governance/erase.html", context, status=status)
