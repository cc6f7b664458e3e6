"""A case form on a page of its own, shared by every app that adds a panel to the case page.

The case page's panels (flags, deadlines, an override, a goal...) post to these pages; when
a form has a mistake, the same page shows it next to its field with everything typed kept,
with or without JavaScript. ``priorities`` uses it for overrides, so it lives here, below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from casework.cases.models import Case
from casework.formkit import add_service_errors, error_summary
from casework.locking import StaleRecordError


class FormPage(NamedTuple):
    """A case form's own page: its heading, button, and the field errors fall back to."""

    heading: str
    button: str
    first_field: str
    url_name: str


def form_submit(
    request: HttpRequest, form: forms.Form, save: Callable[[], str], done_url: str
) -> tuple[HttpResponse | None, int]:
    """Validate ``form`` and run ``save`` (a service call returning the success message):
    the redirect to ``done_url`` on success, else None and the status to show the form again
    with (400 for errors by field, 409 when someone else saved first). Every app's edit
    pages use it, so they answer alike."""
    if not form.is_valid():
        return None, 400
    try:
        message = save()
    except ValidationError as exc:
        add_service_errors(exc, form)
        return None, 400
    except StaleRecordError as exc:
        form.add_error(None, str(exc))
        return None, 409
    messages.success(request, message)
    return HttpResponseRedirect(done_url), 200


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:case_detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def case_form_page(
    request: HttpRequest,
    page: FormPage,
    *,
    case: Case,
    form: forms.Form,
    status: int,
    url_arg: int | None = None,
    intro: Sequence[str] = (),
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "page": page,
        "action": reverse(page.url_name, args=[url_arg or case.pk]),
        "intro": intro,
        "errors": error_summary([form], first_field=page.first_field),
    }
    return render(request, "cases/case_form.html", context, status=status)


def case_form(
    request: HttpRequest,
    page: FormPage,
    *,
    case: Case,
    form: forms.Form,
    save: Callable[[dict[str, Any]], tuple[str, str]],
    url_arg: int | None = None,
    intro: Sequence[str] = (),
) -> HttpResponse:
    """GET shows the form; POST validates it and calls ``save`` (a service call returning the
    success message and the case page's anchor), showing the service's errors next to their
    fields or going back to the case. ``form`` is bound on POST, unbound on GET."""
    if request.method == "POST" and form.is_valid():
        try:
            message, anchor = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(case_url(case, anchor))
    status = 400 if form.is_bound else 200
    return case_form_page(request, page, case=case, form=form, status=status, url_arg=url_arg, intro=intro)
