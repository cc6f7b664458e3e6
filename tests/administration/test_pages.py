"""The administrator's pages (issue 9, scope 2): staff, invitations, leavers, teams, the
organisation's configuration and the staff import. Every change is audited; bad input gets
its field errors and writes nothing; only the administrator reaches them."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as TestClient

from casework.accounts.models import ApiToken, Role, Team, User
from casework.administration.staff import staff_deactivate
from casework.audit.models import AccessEvent, AuditEvent
from casework.audit.trail import verify_chain
from casework.cases.models import Case, CaseFlag, CaseType, ContactType, FlagCode, OrganisationFlag
from casework.cases.selectors import flag_choices
from casework.priorities.facts import CASE_FACT_FIELDS, facts_for
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

PAGES = [
    "/administration/staff/",
    "/administration/staff/invite",
    "/administration/staff/import",
    "/administration/staff/{user}/",
    "/administration/staff/{user}/deactivate",
    "/administration/teams/",
    "/administration/teams/new",
    "/administration/teams/{team}/",
    "/administration/settings/",
    "/administration/case-types/new",
    "/administration/contact-types/new",
    "/administration/flags/new",
]


def _page(world, template):
    return template.format(user=world.colleague.pk, team=world.team.pk)


@pytest.mark.parametrize("template", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_reaches_the_pages(world, signed_in, role, template):
    response = signed_in(world.by_role()[role]).get(_page(world, template))
    assert response.status_code == (200 if role == "admin" else 404)


def test_the_pages_show_no_client_and_log_no_access(world, signed_in):
    browser = signed_in(world.admin)
    for template in PAGES:
        page = browser.get(_page(world, template)).content.decode()
        assert world.case.client.last_name not in page
    assert AccessEvent.objects.count() == 0


def test_the_administrator_lands_on_the_staff_page(world, signed_in):
    response = signed_in(world.admin).get("/start/")
    assert response["Location"] == "/administration/staff/"


def _invite(browser, **overrides):
    data = {
        "first_name": "Ffion",
        "last_name": "Rees",
        "email": "ffion.rees@example.org",
        "role": "practitioner",
        "team": "",
        **overrides,
    }
    return browser.post("/administration/staff/invite", data)


def test_an_invitation_sends_a_one_time_link_that_sets_the_password(
    world, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(signed_in(world.admin), team=world.team.pk)
    assert response.status_code == 302
    person = User.objects.get(email="ffion.rees@example.org")
    assert (person.organisation, person.team, person.has_usable_password()) == (
        world.organisation,
        world.team,
        False,
    )
    assert AuditEvent.objects.filter(action="staff.invited", object_id=str(person.pk)).exists()
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/set-password/\S+)", message.body).group(1)

    anonymous = TestClient()
    form = anonymous.get(link, follow=True)
    assert "Set your password" in form.content.decode()
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    password = "copper kettle harbour lantern"
    done = anonymous.post(set_url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert (
        anonymous.post("/accounts/login/", {"username": person.email, "password": password}).status_code
        == 302
    )
    # The link works once.
    again = TestClient().get(link, follow=True).content.decode()
    assert "This link has expired or been used" in again


def test_an_invitation_with_mistakes_names_each_field_and_writes_nothing(world, signed_in):
    before = User.objects.count()
    response = _invite(
        signed_in(world.admin), first_name="", email=world.colleague.email or "priya@example.org", role="boss"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give their first name." in page
    assert "Choose a role from the list." in page
    assert User.objects.count() == before
    assert not mail.outbox


def test_deactivating_a_leaver_stops_sign_in_revokes_tokens_and_lists_their_cases(world, signed_in):
    world.practitioner.set_password("a long enough password")
    world.practitioner.save()
    ApiToken.issue(world.practitioner)
    browser = signed_in(world.admin)
    page = browser.get(f"/administration/staff/{world.practitioner.pk}/deactivate").content.decode()
    assert world.case.client.reference in page
    assert world.case.client.last_name not in page

    refused = browser.post(f"/administration/staff/{world.practitioner.pk}/deactivate", {"reason": ""})
    assert refused.status_code == 400
    response = browser.post(
        f"/administration/staff/{world.practitioner.pk}/deactivate",
        {"reason": "Left the service on Friday", "version": world.practitioner.version},
    )
    assert response.status_code == 302
    world.practitioner.refresh_from_db()
    assert not world.practitioner.is_active
    assert not ApiToken.objects.filter(user=world.practitioner, revoked_at__isnull=True).exists()
    signed = TestClient().post(
        "/accounts/login/", {"username": world.practitioner.username, "password": "a long enough password"}
    )
    assert signed.status_code == 200  # the sign-in form again: refused
    # Their supervisor can still open and reallocate the case.
    assert signed_in(world.supervisor).get(f"/cases/{world.case.pk}/reallocate").status_code == 200

    browser.post(
        f"/administration/staff/{world.practitioner.pk}/reactivate", {"version": world.practitioner.version}
    )
    world.practitioner.refresh_from_db()
    assert world.practitioner.is_active


def test_the_administrator_cannot_lock_themselves_out(world, signed_in):
    browser = signed_in(world.admin)
    response = browser.post(
        f"/administration/staff/{world.admin.pk}/",
        {
            "first_name": "A",
            "last_name": "B",
            "email": "admin@example.org",
            "role": "practitioner",
            "version": 1,
        },
    )
    assert response.status_code == 400
    world.admin.refresh_from_db()
    assert world.admin.role == Role.ADMIN


def test_changing_a_role_is_audited_with_before_and_after_and_refused_when_stale(world, signed_in):
    browser = signed_in(world.admin)
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@example.org",
        "role": "supervisor",
        "team": world.team.pk,
        "supervises": [world.other_team.pk],
        "version": world.colleague.version,
    }
    assert browser.post(f"/administration/staff/{world.colleague.pk}/", data).status_code == 302
    event = AuditEvent.objects.get(action="staff.changed")
    assert event.changes["role"] == ["practitioner", "supervisor"]
    assert event.changes["supervises"] == [[], [world.other_team.pk]]
    stale = browser.post(f"/administration/staff/{world.colleague.pk}/", {**data, "first_name": "Pri"})
    assert stale.status_code == 409
    world.colleague.refresh_from_db()
    assert world.colleague.role == "supervisor"
    assert verify_chain(world.organisation.pk) is None


def test_a_team_is_created_with_supervisors_and_members(world, signed_in):
    browser = signed_in(world.admin)
    response = browser.post(
        "/administration/teams/new",
        {"name": "Youth Outreach", "supervisors": [world.supervisor.pk], "members": [world.colleague.pk]},
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Youth Outreach")
    assert list(team.supervisors.all()) == [world.supervisor]
    world.colleague.refresh_from_db()
    assert world.colleague.team == team
    duplicate = browser.post("/administration/teams/new", {"name": "youth outreach"})
    assert duplicate.status_code == 400
    not_a_supervisor = browser.post(
        "/administration/teams/new", {"name": "Debt", "supervisors": [world.colleague.pk]}
    )
    assert not_a_supervisor.status_code == 400
    assert AuditEvent.objects.filter(action="team.created").count() == 1


def test_settings_case_types_and_contact_types(world, signed_in):
    browser = signed_in(world.admin)
    org = world.organisation
    response = browser.post(
        "/administration/settings/",
        {
            "name": org.name,
            "nation": "wales",
            "note_time_scale_hours": 48,
            "case_review_interval_days": 28,
            "version": org.version,
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.nation, org.note_time_scale_hours, org.case_review_interval_days) == ("wales", 48, 28)
    bad = browser.post(
        "/administration/settings/",
        {"name": "", "nation": "wales", "note_time_scale_hours": 0, "case_review_interval_days": 2},
    )
    assert bad.status_code == 400
    assert "Give a number of hours from 1 to 336" in bad.content.decode()

    created = browser.post(
        "/administration/case-types/new",
        {
            "name": "Debt advice",
            "retention_years": 7,
            "outcomes_offered": "Debts made manageable\nIncome maximised",
        },
    )
    assert created.status_code == 302
    assert CaseType.objects.get(organisation=org, name="Debt advice").retention_years == 7

    no_facts = browser.post(
        "/administration/contact-types/new", {"name": "Text message", "required_sections": ["follow_up"]}
    )
    assert no_facts.status_code == 400
    made = browser.post(
        "/administration/contact-types/new",
        {"name": "Text message", "required_sections": ["facts"], "is_client_contact": "on"},
    )
    assert made.status_code == 302
    assert ContactType.objects.get(organisation=org, name="Text message").is_client_contact
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"organisation.changed", "case_type.changed", "contact_type.changed"} <= actions


CSV_GOOD = (
    "First name,Last name,Email,Role,Team\n"
    "Gareth,Llewellyn,gareth.llewellyn@example.org,Practitioner,Employment North\n"
    "Aoife,Ní Bhriain,aoife.nibhriain@example.org,supervisor,Family Support\n"
)


def _upload(browser, text, name="staff.csv"):
    return browser.post("/administration/staff/import", {"file": SimpleUploadedFile(name, text.encode())})


def test_the_staff_import_previews_then_imports_all(world, signed_in, django_capture_on_commit_callbacks):
    browser = signed_in(world.admin)
    preview = _upload(browser, CSV_GOOD)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "New teams will be created: Family Support" in page
    assert not User.objects.filter(email="gareth.llewellyn@example.org").exists()
    text = re.search(r'name="text" value="([^"]*)"', page).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post("/administration/staff/import", {"text": html.unescape(text), "confirm": "1"})
    assert done.status_code == 302
    aoife = User.objects.get(email="aoife.nibhriain@example.org")
    assert (aoife.role, aoife.team.name) == ("supervisor", "Family Support")
    assert len(mail.outbox) == 2


def test_one_bad_row_imports_nothing_and_each_row_says_what_is_wrong(world, signed_in):
    browser = signed_in(world.admin)
    text = (
        CSV_GOOD + "Tom,,not-an-email,chief,\n" + "Gareth,Again,gareth.llewellyn@example.org,practitioner,\n"
    )
    response = _upload(browser, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give their last name." in page
    assert "Give an e-mail address in the form name@example.org." in page
    assert "Unknown role &#x27;chief&#x27;" in page
    assert "The same e-mail address is on line 2." in page
    forced = browser.post("/administration/staff/import", {"text": text, "confirm": "1"})
    assert forced.status_code == 400
    assert not User.objects.filter(email="gareth.llewellyn@example.org").exists()
    assert not Team.objects.filter(name="Family Support").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Choose a CSV file to upload."),
        ("Name,Email\nA,a@example.org\n", "Missing: first name, last name, role, team."),
        ("\x00\x01binary", "The file is not a CSV text file."),
        ("first name,last name,email,role,team\n", "The file has its header row but no one under it."),
    ],
)
def test_a_file_that_is_not_a_staff_csv_is_refused(world, signed_in, text, message):
    browser = signed_in(world.admin)
    response = _upload(browser, text) if text else browser.post("/administration/staff/import", {})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_leavers_cases_wait_on_the_supervisors_team_page(world, signed_in):
    staff_deactivate(user=world.practitioner, actor=world.admin, reason="Left", expected_version=None)
    page = signed_in(world.supervisor).get("/team/").content.decode()
    assert "Cases waiting for a new owner (1)" in page
    assert f"/cases/{world.case.pk}/reallocate" in page
    assert world.case.client.full_name not in signed_in(world.other_supervisor).get("/team/").content.decode()


def test_outcomes_offered_for_a_case_type_show_on_the_new_case_form(world, signed_in):
    case_type = world.case.case_type
    case_type.outcomes_offered = "Debts made manageable\nIncome maximised"
    case_type.save()
    page = signed_in(world.practitioner).get("/cases/new").content.decode()
    assert "Required outcomes your organisation offers" in page
    assert "<li>Income maximised</li>" in page


def test_changing_a_contact_type_from_an_older_copy_is_refused(world, signed_in):
    browser = signed_in(world.admin)
    phone = ContactType.objects.create(
        organisation=world.organisation, code="text", name="Text message", required_sections=["facts"]
    )
    data = {"name": "Text or WhatsApp message", "required_sections": ["facts"], "is_client_contact": "on"}
    first = browser.post(f"/administration/contact-types/{phone.pk}/", {**data, "version": phone.version})
    assert first.status_code == 302
    stale = browser.post(f"/administration/contact-types/{phone.pk}/", {**data, "name": "SMS", "version": 1})
    assert stale.status_code == 409
    phone.refresh_from_db()
    assert (phone.name, phone.version) == ("Text or WhatsApp message", 2)
    page = browser.get(f"/administration/contact-types/{phone.pk}/").content.decode()
    assert 'value="Text or WhatsApp message"' in page


def test_an_organisations_own_risk_flag_is_raised_shown_and_counted(world, signed_in):
    """Issue 9: flag codes the organisation adds to the built-in ones, marked risk or not."""
    admin = signed_in(world.admin)
    assert (
        admin.post(
            "/administration/flags/new", {"name": "Gambling harm", "is_risk": "on", "is_active": "on"}
        ).status_code
        == 302
    )
    duplicate = admin.post("/administration/flags/new", {"name": "Safeguarding concern"})
    assert duplicate.status_code == 400
    own = OrganisationFlag.objects.get(organisation=world.organisation, name="Gambling harm")
    assert AuditEvent.objects.filter(action="flag_type.changed").exists()

    practitioner = signed_in(world.practitioner)
    assert "Gambling harm" in practitioner.get(f"/cases/{world.case.pk}/").content.decode()
    raised = practitioner.post(
        f"/cases/{world.case.pk}/flags", {"flag-code": own.code, "flag-detail": "Lost rent money online"}
    )
    assert raised.status_code == 302
    flag = CaseFlag.objects.get(case=world.case, code=own.code)
    assert (flag.get_code_display(), flag.kind) == ("Gambling harm", "risk")
    page = practitioner.get(f"/cases/{world.case.pk}/").content.decode()
    assert "<strong>Risk:</strong> Gambling harm" in page
    # Another organisation's practitioner cannot raise it.
    assert flag_choices(world.foreign_case.organisation_id) == list(FlagCode.choices)
    # The criteria editor offers it, and a criterion that names it scores the case.
    manager = signed_in(world.manager)
    form = manager.get("/priorities/criteria/new", {"kind": "flag"}).content.decode()
    assert "Gambling harm" in form
    facts = facts_for(
        list(Case.objects.filter(pk=world.case.pk).values(*CASE_FACT_FIELDS, "organisation_id"))
    )
    assert [(f.code, f.kind, f.label) for f in facts[0].flags] == [(own.code, "risk", "Gambling harm")]
