"""The administrator's pages: staff, teams and the organisation's configuration (issue 9).

Only the administrator role reaches them (anyone else gets 404, as for any page that is not
theirs). None shows a client: a leaver's open cases are listed by their pseudonymous
reference and case type only, for the supervisor or manager who reallocates them. Each form
shows its errors by field with everything typed kept, and a save from an older copy is
refused with 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.accounts.models import Organisation, Role, Team, User
from casework.administration import config, staff
from casework.administration.forms import (
    CaseTypeForm,
    ContactTypeForm,
    DeactivateForm,
    FlagForm,
    OrganisationForm,
    StaffForm,
    StaffImportForm,
    TeamForm,
)
from casework.cases.models import (
    FLAG_LABELS,
    RISK_FLAG_CODES,
    CaseType,
    ContactType,
    NoteSection,
    OrganisationFlag,
)
from casework.cases.pages import form_submit
from casework.formkit import error_summary
from casework.locking import StaleRecordError


def _administrator(request: HttpRequest) -> tuple[User, Organisation]:
    user = request.user
    if not isinstance(user, User) or user.role != Role.ADMIN or user.organisation is None:
        raise Http404("Only administrators configure the organisation.")
    return user, user.organisation


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    heading: str,
    button: str,
    back: tuple[str, str],
    status: int = 200,
    intro: str = "",
    extra: dict[str, Any] | None = None,
    template: str = "administration/form.html",
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "button": button,
        "back_url": back[0],
        "back_label": back[1],
        "intro": intro,
        "errors": error_summary([form]),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


# Staff -----------------------------------------------------------------------------------------


@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """Everyone with an account, with their role, team, status and open cases."""
    _, organisation = _administrator(request)
    people = list(
        User.objects.filter(organisation=organisation)
        .select_related("team")
        .prefetch_related("supervised_teams")
        .order_by("-is_active", "first_name", "last_name")
    )
    counts = staff.staff_counts(organisation)
    for person in people:
        person.open_cases = counts.get(person.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "administration/staff.html",
        {
            "people": people,
            "leavers_with_cases": [p for p in people if not p.is_active and counts.get(p.pk)],
        },
    )


@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    """Add a member of staff: they get an e-mail with a one-time link to set their password."""
    admin, organisation = _administrator(request)
    form = StaffForm(request.POST or None, organisation=organisation)
    status = 200
    if form.is_bound:

        def save() -> str:
            person = staff.staff_invite(
                organisation=organisation, actor=admin, base_url=_base_url(request), **form.values()
            )
            return (
                f"{person.display_name} has been invited: an e-mail with a link to set a password "
                f"is on its way to {person.email}."
            )

        done, status = form_submit(request, form, save, reverse("administration:staff"))
        if done:
            return done
    return _form_page(
        request,
        form,
        heading="Invite a member of staff",
        button="Send the invitation",
        back=(reverse("administration:staff"), "Staff"),
        status=status,
        intro="They receive an e-mail with a link to set their password. "
        "The link works once, for a few days.",
    )


def _person(organisation: Organisation, user_id: int) -> User:
    return get_object_or_404(User.objects.select_related("team"), organisation=organisation, pk=user_id)


@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change a member of staff's details, role and teams; deactivate or reactivate them."""
    admin, organisation = _administrator(request)
    person = _person(organisation, user_id)
    form = StaffForm(request.POST or None, initial=StaffForm.initial_for(person), organisation=organisation)
    status = 200
    if form.is_bound:

        def save() -> str:
            changed = staff.staff_change(
                user=person, actor=admin, expected_version=form.cleaned_data["version"], **form.values()
            )
            return f"{person.display_name}'s details saved." if changed else "Nothing was changed."

        done, status = form_submit(request, form, save, reverse("administration:staff"))
        if done:
            return done
        if status == 409:
            person.refresh_from_db()
    return _form_page(
        request,
        form,
        heading=f"{person.display_name}",
        button="Save",
        back=(reverse("administration:staff"), "Staff"),
        status=status,
        template="administration/staff_edit.html",
        extra={"person": person, "open_cases": staff.open_cases_of(person)},
    )


@require_http_methods(["GET", "POST"])
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """A leaver: they can no longer sign in; their open cases are listed for reallocation."""
    admin, organisation = _administrator(request)
    person = _person(organisation, user_id)
    form = DeactivateForm(request.POST or None, initial={"version": person.version})
    status = 200
    if form.is_bound:

        def save() -> str:
            cases = staff.staff_deactivate(
                user=person,
                actor=admin,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            waiting = (
                f" Their {len(cases)} open case{'s' if len(cases) != 1 else ''} are listed for their "
                "supervisor or a manager to reallocate."
                if cases
                else ""
            )
            return f"{person.display_name} can no longer sign in.{waiting}"

        done, status = form_submit(
            request, form, save, reverse("administration:staff_edit", args=[person.pk])
        )
        if done:
            return done
    return _form_page(
        request,
        form,
        heading=f"Deactivate {person.display_name}'s account",
        button="Deactivate the account",
        back=(reverse("administration:staff_edit", args=[person.pk]), person.display_name),
        status=status,
        template="administration/staff_deactivate.html",
        extra={"person": person, "open_cases": staff.open_cases_of(person), "danger": True},
    )


@require_POST
def staff_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, organisation = _administrator(request)
    person = _person(organisation, user_id)
    version = request.POST.get("version", "")
    try:
        staff.staff_reactivate(
            user=person, actor=admin, expected_version=int(version) if version.isdigit() else None
        )
    except StaleRecordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{person.display_name} can sign in again.")
    return HttpResponseRedirect(reverse("administration:staff_edit", args=[person.pk]))


@require_POST
def staff_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, organisation = _administrator(request)
    person = _person(organisation, user_id)
    try:
        staff.invitation_resend(user=person, actor=admin, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new link to set a password has been sent to {person.email}.")
    return HttpResponseRedirect(reverse("administration:staff_edit", args=[person.pk]))


@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    """Staff from a spreadsheet: upload a CSV, see each row checked, then import all or none."""
    admin, organisation = _administrator(request)
    posted = request.method == "POST"
    form = StaffImportForm(request.POST if posted else None, request.FILES if posted else None)
    preview = None
    status = 200
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        text = form.cleaned_data["text"]
        if upload is not None:
            raw = upload.read(600_000)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", "Save the file as 'CSV UTF-8' and upload it again.")
                text = ""
            if len(raw) >= 600_000:
                form.add_error("file", "The file is too large: import at most 500 people at a time.")
                text = ""
            if text:
                preview = staff.staff_import_preview(organisation=organisation, text=text)
                form = StaffImportForm(initial={"text": text})
                status = 200 if preview.ok else 400
        elif text and request.POST.get("confirm"):
            try:
                people = staff.staff_import(
                    organisation=organisation, actor=admin, text=text, base_url=_base_url(request)
                )
            except ValidationError:
                preview = staff.staff_import_preview(organisation=organisation, text=text)
                status = 400
            else:
                messages.success(request, f"{len(people)} people imported and invited.")
                return HttpResponseRedirect(reverse("administration:staff"))
        else:
            form.add_error("file", "Choose a CSV file to upload.")
    if form.errors:
        status = 400
    return render(
        request,
        "administration/staff_import.html",
        {"form": form, "preview": preview, "errors": error_summary([form])},
        status=status,
    )


# Teams -----------------------------------------------------------------------------------------


@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    _, organisation = _administrator(request)
    teams = (
        Team.objects.filter(organisation=organisation)
        .prefetch_related("supervisors", "members")
        .order_by("name")
    )
    return render(request, "administration/teams.html", {"teams": teams})


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    admin, organisation = _administrator(request)
    team = get_object_or_404(Team, organisation=organisation, pk=team_id) if team_id else None
    form = TeamForm(
        request.POST or None,
        initial=TeamForm.initial_for(team) if team else {},
        organisation=organisation,
    )
    status = 200
    if form.is_bound:

        def save() -> str:
            data = form.cleaned_data
            saved = staff.team_save(
                organisation=organisation,
                actor=admin,
                team=team,
                name=data["name"],
                supervisors=list(data["supervisors"]),
                members=list(data["members"]),
                expected_version=data["version"],
            )
            return f"Team {saved.name} saved."

        done, status = form_submit(request, form, save, reverse("administration:teams"))
        if done:
            return done
    return _form_page(
        request,
        form,
        heading=f"Team: {team.name}" if team else "Create a team",
        button="Save the team" if team else "Create the team",
        back=(reverse("administration:teams"), "Teams"),
        status=status,
    )


# The organisation's configuration ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The organisation's name, nation and time scales, with its case and contact types."""
    admin, organisation = _administrator(request)
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(organisation))
    status = 200
    if form.is_bound:

        def save() -> str:
            changed = config.organisation_change(
                organisation=organisation,
                actor=admin,
                values={
                    name: form.cleaned_data[name]
                    for name in OrganisationForm.base_fields
                    if name != "version"
                },
                expected_version=form.cleaned_data["version"],
            )
            return "Settings saved." if changed else "Nothing was changed."

        done, status = form_submit(request, form, save, reverse("administration:settings"))
        if done:
            return done
        if status == 409:
            organisation.refresh_from_db()
    sections = dict(NoteSection.choices)
    contact_types = list(ContactType.objects.filter(organisation=organisation).order_by("name"))
    for contact_type in contact_types:
        contact_type.section_labels = [sections.get(code, code) for code in contact_type.required_sections]  # type: ignore[attr-defined]
    return _form_page(
        request,
        form,
        heading="Organisation settings",
        button="Save the settings",
        back=(reverse("administration:staff"), "Staff"),
        status=status,
        template="administration/settings.html",
        extra={
            "case_types": CaseType.objects.filter(organisation=organisation).order_by("name"),
            "built_in_flags": [(str(label), code in RISK_FLAG_CODES) for code, label in FLAG_LABELS.items()],
            "own_flags": OrganisationFlag.objects.filter(organisation=organisation).order_by("name"),
            "contact_types": contact_types,
        },
    )


_ConfigModel = TypeVar("_ConfigModel", CaseType, ContactType, OrganisationFlag)


def _config_edit(
    request: HttpRequest,
    model: type[_ConfigModel],
    object_id: int | None,
    *,
    form_class: type[forms.Form],
    fields: tuple[str, ...],
    save: Callable[..., _ConfigModel],
    what: str,
    anchor: str,
) -> HttpResponse:
    """Add or change one of the organisation's case types, contact types or flags. ``save`` is
    the ``config`` service: it takes the object as ``target`` and the form's ``fields`` by name."""
    admin, organisation = _administrator(request)
    found = get_object_or_404(model, organisation=organisation, pk=object_id) if object_id else None
    initial = {name: getattr(found, name) for name in (*fields, "version")} if found else {}
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if form.is_bound:

        def saved() -> str:
            data = form.cleaned_data
            values = {name: data[name] for name in fields}
            target = save(
                organisation=organisation,
                actor=admin,
                target=found,
                expected_version=data["version"],
                **values,
            )
            return f"{what.capitalize()} {target.name} saved."

        done, status = form_submit(request, form, saved, reverse("administration:settings") + anchor)
        if done:
            return done
    return _form_page(
        request,
        form,
        heading=f"{what.capitalize()}: {found.name}" if found else f"Add a {what}",
        button=f"Save the {what}",
        back=(reverse("administration:settings"), "Organisation settings"),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def case_type_edit(request: HttpRequest, case_type_id: int | None = None) -> HttpResponse:
    return _config_edit(
        request,
        CaseType,
        case_type_id,
        form_class=CaseTypeForm,
        fields=("name", "retention_years", "outcomes_offered"),
        save=config.case_type_save,
        what="case type",
        anchor="#case-types",
    )


@require_http_methods(["GET", "POST"])
def contact_type_edit(request: HttpRequest, contact_type_id: int | None = None) -> HttpResponse:
    return _config_edit(
        request,
        ContactType,
        contact_type_id,
        form_class=ContactTypeForm,
        fields=("name", "required_sections", "is_client_contact", "sets_next_review"),
        save=config.contact_type_save,
        what="contact type",
        anchor="#contact-types",
    )


@require_http_methods(["GET", "POST"])
def flag_edit(request: HttpRequest, own_flag_id: int | None = None) -> HttpResponse:
    return _config_edit(
        request,
        OrganisationFlag,
        own_flag_id,
        form_class=FlagForm,
        fields=("name", "is_risk", "is_active"),
        save=config.flag_save,
        what="flag",
        anchor="#flags",
    )
