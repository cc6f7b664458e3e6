"""Pages for priorities: Today, the matrix, the supervisor's view, the inbox, overriding a
case's band, and the criteria editor (PC7-PC15; K14). Flags and deadlines belong to ``cases``.

Each view parses, calls a selector or a service, and renders. A case is opened through
``casework.cases.access``, which answers 404 for what the user may not see, 403 for a write
on a case they may only read, and logs the access. Every form also has a page of its own, so
a mistake is shown next to its field with everything typed kept, with or without JavaScript.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.accounts.models import Role, User
from casework.cases.access import case_for_user, cases_shown, record_for_user
from casework.cases.pages import FormPage, case_form, case_url
from casework.cases.selectors import flag_choices
from casework.formkit import error_summary
from casework.locking import StaleRecordError
from casework.priorities import charts, engine, selectors, services
from casework.priorities.facts import settings_for
from casework.priorities.forms import (
    AcknowledgeForm,
    CriterionForm,
    OverrideEndForm,
    OverrideForm,
    SettingsForm,
)
from casework.priorities.models import PriorityOverride
from casework.priorities.rows_html import queue_rows_html

CHART_PERIODS = (30, 90)


def _flags(user: User) -> list[tuple[str, str]]:
    return flag_choices(user.org_id)


def _user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware guarantees a signed-in user on every view here.
    user = request.user
    assert isinstance(user, User)
    return user


# -- Today (PC8-PC10, PC14, PC15) ---------------------------------------------------------------


# Today lists the most pressing cases; past this many, the rest are counted, not listed, and
# the caseload (paged, searchable, sortable by band) holds them all (issue 9, scope 8).
TODAY_LIMIT = 200


def _queue(user: User, view: str) -> tuple[list[selectors.QueueRow], int]:
    """The queue's rows and how many cases it holds in all. The band counts come from every
    case; only the ``TODAY_LIMIT`` most pressing rows are shown, and logged as seen."""
    rows = selectors.queue_rows(selectors.today_cases(user))
    shown = rows[:TODAY_LIMIT]
    cases_shown(user, [row.case for row in shown], view=view)
    return rows, len(rows)


@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """Today: the user's open cases in priority order, with why and what to do next (PC8, PC9)."""
    rows, total = _queue(_user(request), "Today")
    shown = rows[:TODAY_LIMIT]
    context = {
        "rows": shown,
        "total": total,
        "limited": total > len(shown),
        "counts": selectors.band_counts(rows),
        "past": selectors.past_time_scale(shown),
        "tab": "queue",
        # "/cases/": each row adds "<id>/" rather than reverse a URL 150 times.
        "rows_html": queue_rows_html(
            shown, reverse("cases:case_detail", args=[0]).removesuffix("0/"), timezone.localdate()
        ),
    }
    return render(request, "priorities/today.html", context)


@require_GET
def today_matrix(request: HttpRequest) -> HttpResponse:
    """The same cases on an urgency x importance grid (PC8)."""
    rows, total = _queue(_user(request), "Today: matrix")
    shown = rows[:TODAY_LIMIT]
    context = {
        "rows": shown,
        "total": total,
        "limited": total > len(shown),
        "counts": selectors.band_counts(rows),
        "quadrants": selectors.by_quadrant(shown),
        "tab": "matrix",
    }
    return render(request, "priorities/today_matrix.html", context)


# -- the supervisor's view (PC10-PC14) ----------------------------------------------------------


class ChartChoiceForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Period",
        choices=[(n, f"Last {n} days") for n in CHART_PERIODS],
        coerce=int,
        required=False,
    )
    who = forms.CharField(label="Whose cases", required=False)


@require_GET
def team_priorities(request: HttpRequest) -> HttpResponse:
    """Red cases in the user's teams, cases past their time scale, the user's unacknowledged
    notifications, and the band counts over time (PC10-PC14). Supervisors and managers only."""
    user = _user(request)
    if not selectors.reviews_teams(user):
        raise Http404("Only supervisors and managers see team priorities.")
    choice = ChartChoiceForm(request.GET)
    choice.is_valid()
    days = choice.cleaned_data.get("days") or CHART_PERIODS[0]
    who = choice.cleaned_data.get("who") or ""
    practitioner = team = None
    if who.startswith("user-") and who[5:].isdigit():
        practitioner = selectors.member_for_user(user, int(who[5:]))
    elif who.startswith("team-") and who[5:].isdigit():
        team = selectors.team_for_user(user, int(who[5:]))
    red_cases, red_total = selectors.team_red_cases(user)
    late_cases, late_total = selectors.team_past_time_scale(user)
    red = selectors.queue_rows(red_cases)
    late = selectors.queue_rows(late_cases)
    unread = [n for n in selectors.inbox(user) if n.acknowledged_at is None]
    shown = {row.case.pk: row.case for row in [*red, *late]}
    # The messages name their clients too (issue 9, D8).
    shown.update({n.case_id: n.case for n in unread if n.case_id not in shown})
    cases_shown(user, list(shown.values()), view="Team priorities")
    series = selectors.snapshot_series(user, days=days, practitioner=practitioner, team=team)
    context = {
        "red": red,
        "red_total": red_total,
        "late": late,
        "late_total": late_total,
        "notifications": unread,
        "series": series,
        "chart": charts.band_chart(series),
        "days": days,
        "periods": CHART_PERIODS,
        "who": who,
        "chart_subject": practitioner.display_name
        if practitioner
        else (team.name if team else "Everyone in your teams"),
        "who_options": _who_options(user),
        "limit": selectors.TEAM_LIST_LIMIT,
    }
    return render(request, "priorities/team.html", context)


def _who_options(user: User) -> list[tuple[str, str]]:
    everyone = "Everyone in the organisation" if user.role == Role.MANAGER else "Everyone in your teams"
    return [
        ("", everyone),
        *((f"team-{team.pk}", f"Team: {team.name}") for team in selectors.teams_reviewed(user)),
        *(
            (f"user-{member.pk}", member.display_name)
            for member in selectors.team_members(user).order_by("first_name", "last_name")
        ),
    ]


# -- the inbox (PC11, PC12) ---------------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unacknowledged first (PC11)."""
    user = _user(request)
    notifications = selectors.inbox(user)
    # Messages name the client (issue 9, D8), so the cases they name are logged as seen.
    cases_shown(user, list({n.case_id: n.case for n in notifications}.values()), view="Inbox")
    context = {
        "unread": [n for n in notifications if n.acknowledged_at is None],
        "read": [n for n in notifications if n.acknowledged_at is not None],
        "form": AcknowledgeForm(),
    }
    return render(request, "priorities/inbox.html", context)


@require_POST
def notification_acknowledge(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Record that the user has seen a notification, with an optional note (PC11)."""
    user = _user(request)
    notification = selectors.notification_for_user(user, notification_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the note to 500 characters or fewer. Nothing was saved.")
        return redirect("priorities:inbox")
    services.notification_acknowledge(notification=notification, user=user, note=form.cleaned_data["note"])
    messages.success(request, f"Acknowledged: {notification.title}.")
    return redirect("priorities:inbox")


# -- the case page: overrides (PC15) ------------------------------------------------------------


OVERRIDE_PAGE = FormPage("Move the case's band", "Move the band", "band", "priorities:override_new")


@require_http_methods(["GET", "POST"])
def override_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move a case's band up or down, with a written reason and an end date (PC15)."""
    user = _user(request)
    case = case_for_user(user, case_id, view="move the band", write=True)
    form = (
        OverrideForm(request.POST)
        if request.method == "POST"
        else OverrideForm(initial=OverrideForm.initial_for())
    )

    def save(data: dict[str, Any]) -> tuple[str, str]:
        override = services.override_set(
            case=case, actor=user, band=data["band"], reason=data["reason"], expires_on=data["expires_on"]
        )
        return (
            f"The case is now {engine.BAND_LABELS[override.band].lower()} "
            f"until {override.expires_on.day} {override.expires_on:%B %Y}. "
            "The computed band and your reason are shown beside it.",
            "priority",
        )

    intro = _override_intro(selectors.case_priority(case))
    return case_form(request, OVERRIDE_PAGE, case=case, form=form, save=save, intro=intro)


def _override_intro(priority: selectors.CasePriority) -> list[str]:
    lines = []
    if priority.assessment is not None:
        why = f": {priority.assessment.summary}" if priority.assessment.summary else ""
        lines.append(
            f"On the criteria the case is {priority.computed_band_label.lower()} "
            f"(score {priority.assessment.score}){why}."
        )
    lines.append(
        "An override shows beside the computed band with your name and reason, and ends on the date you give."
    )
    return lines


@require_POST
def override_end(request: HttpRequest, override_id: int) -> HttpResponse:
    """End an override early: the criteria apply again at once (PC15)."""
    user = _user(request)
    override = record_for_user(
        user, PriorityOverride, override_id, view="end an override", write=True, what="override"
    )
    form = OverrideEndForm(request.POST)
    form.is_valid()
    services.override_end(
        override=override, actor=user, reason=form.cleaned_data.get("reason") or "Ended early"
    )
    messages.success(request, "Override ended. The case's band comes from the criteria again.")
    return HttpResponseRedirect(case_url(override.case, "priority"))


# -- the criteria editor (PC7, K14) -------------------------------------------------------------


_F = TypeVar("_F", bound=forms.Form)


def _resubmittable(
    request: HttpRequest, exc: StaleRecordError, version: int, form_class: type[_F], **kwargs: Any
) -> _F:
    """The form as the user sent it, now at the record's current version and with the stale
    message above it: they see the other change, and a second submit goes through."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, str(exc))
    return form


@require_GET
def criteria(request: HttpRequest) -> HttpResponse:
    """The organisation's criteria, its bands and time scales, and the change log (PC7, K14).
    Administrators and managers only: anyone else gets 404."""
    user = _user(request)
    context = {
        "criteria": list(selectors.criteria_for(user)),
        "settings": settings_for(user.org_id),
        "changes": selectors.criteria_changes(user),
        "kinds": engine.CRITERION_KINDS,
        "quadrants": engine.QUADRANT_LABELS,
    }
    return render(request, "priorities/criteria.html", context)


def _criterion_page(request: HttpRequest, form: CriterionForm, criterion: Any, status: int) -> HttpResponse:
    context = {
        "form": form,
        "criterion": criterion,
        "kind": form.kind,
        "errors": error_summary([form], first_field="name"),
    }
    return render(request, "priorities/criterion_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def criterion_new(request: HttpRequest) -> HttpResponse:
    """Add a criterion: first choose its kind, then fill in its settings (PC7)."""
    user = _user(request)
    selectors.require_criteria_editor(user)
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in engine.CRITERION_KINDS:
        return render(request, "priorities/criterion_kind.html", {"kinds": engine.CRITERION_KINDS})
    if request.method == "GET":
        form = CriterionForm(
            kind=kind, initial={"is_active": True, "axis": engine.URGENCY}, flag_choices=_flags(user)
        )
        return _criterion_page(request, form, None, 200)
    form = CriterionForm(request.POST, kind=kind, flag_choices=_flags(user))
    if form.is_valid():
        try:
            criterion = services.criterion_save(
                organisation=user.organisation,  # type: ignore[arg-type]
                actor=user,
                reason=form.cleaned_data.get("reason") or "",
                values=form.values(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Criterion “{criterion.name}” added. Open cases are re-assessed.")
            return redirect("priorities:criteria")
    return _criterion_page(request, form, None, 400)


@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, criterion_id: int) -> HttpResponse:
    """Change a criterion, with the reason; a change made since the page opened is refused (K14)."""
    user = _user(request)
    criterion = selectors.criterion_for_user(user, criterion_id)
    if request.method == "GET":
        form = CriterionForm(
            initial=CriterionForm.initial_from(criterion), kind=criterion.kind, flag_choices=_flags(user)
        )
        return _criterion_page(request, form, criterion, 200)
    form = CriterionForm(request.POST, kind=criterion.kind, flag_choices=_flags(user))
    status = 400
    if form.is_valid():
        try:
            services.criterion_save(
                organisation=user.organisation,  # type: ignore[arg-type]
                actor=user,
                reason=form.cleaned_data.get("reason") or "",
                values=form.values(),
                criterion=criterion,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleRecordError as exc:
            criterion = selectors.criterion_for_user(user, criterion_id)
            form = _resubmittable(request, exc, criterion.version, CriterionForm, kind=criterion.kind)
            status = 409
        else:
            messages.success(request, f"Criterion “{criterion.name}” saved. Open cases are re-assessed.")
            return redirect("priorities:criteria")
    return _criterion_page(request, form, criterion, status)


@require_http_methods(["GET", "POST"])
def priority_settings(request: HttpRequest) -> HttpResponse:
    """Bands, quadrants, time scales and closure days, with the reason for a change (PC7, K14)."""
    user = _user(request)
    selectors.require_criteria_editor(user)
    row = settings_for(user.org_id)
    status = 200
    if request.method == "GET":
        form = SettingsForm(initial=SettingsForm.initial_from(row))
    else:
        form = SettingsForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.priority_settings_save(
                    organisation=user.organisation,  # type: ignore[arg-type]
                    actor=user,
                    reason=form.cleaned_data.get("reason") or "",
                    values=form.values(),
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except StaleRecordError as exc:
                row = settings_for(user.org_id)
                form = _resubmittable(request, exc, row.version, SettingsForm)
                status = 409
            else:
                messages.success(request, "Bands and time scales saved. Open cases are re-assessed.")
                return redirect("priorities:criteria")
    context = {"form": form, "errors": error_summary([form], first_field="red_threshold")}
    return render(request, "priorities/settings_form.html", context, status=status)
