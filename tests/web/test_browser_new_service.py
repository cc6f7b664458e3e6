"""A new service from nothing, in a real browser (issue 9, "done when").

``casework setup`` makes the organisation and its administrator; the administrator creates a
team and invites a practitioner and a supervisor, who set their passwords from the links in
their e-mails; the practitioner opens a case; the supervisor reallocates it, corrects the
client's address with a reason and closes it with its outcomes. Then the audit trail holds
every change and ``casework audit verify`` passes.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from casework.accounts.models import Organisation, User
from casework.audit.models import AuditEvent
from casework.cases.models import Case, CaseOutcome, ClientCorrection

pytestmark = pytest.mark.browser

PASSWORD = "copper kettle harbour lantern"


def _link_for(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    return re.search(r"https?://\S+/accounts/set-password/\S+", message.body).group(0)


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _set_password(page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".messages")).to_contain_text("Your password is set.")


def test_a_new_service_from_setup_to_a_closed_case(
    live_server, flushable, browser_page, monkeypatch, capsys, settings, tmp_path
):
    # Anchors written by earlier tests name organisations whose ids this one reuses.
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    page = browser_page
    base = live_server.url
    mail.outbox = []
    monkeypatch.setenv("CASEWORK_SETUP_PASSWORD", PASSWORD)
    call_command(
        "setup",
        name="Wrexham Employment Hub",
        nation="wales",
        admin_username="glenys",
        admin_email="glenys.admin@example.org",
        url=base,
    )
    assert f"{base}/accounts/login/" in capsys.readouterr().out
    organisation = Organisation.objects.get(name="Wrexham Employment Hub")

    # The administrator lands on Staff, creates a team and invites two people.
    _sign_in(page, base, "glenys", PASSWORD)
    expect(page).to_have_title("Staff \u2013 Casework")
    page.get_by_role("link", name="Teams", exact=True).first.click()
    page.get_by_role("link", name="Create a team").click()
    page.get_by_label("Team name").fill("Employment Wrexham")
    page.get_by_role("button", name="Create the team").click()
    expect(page.locator(".messages")).to_contain_text("Team Employment Wrexham saved.")

    for first, last, email, role in (
        ("Ffion", "Rees", "ffion.rees@example.org", "Practitioner"),
        ("Dafydd", "Jones", "dafydd.jones@example.org", "Supervisor"),
    ):
        page.goto(f"{base}/administration/staff/invite")
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label(role, exact=True).check()
        page.get_by_label("Team (optional)").select_option(label="Employment Wrexham")
        if role == "Supervisor":
            page.get_by_label("Employment Wrexham", exact=True).check()
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.locator(".messages")).to_contain_text(f"{first} {last} has been invited")
    _sign_out(page)

    # The practitioner sets her password from the e-mail and opens a case.
    _set_password(page, _link_for("ffion.rees@example.org"))
    _sign_in(page, base, "ffion.rees@example.org", PASSWORD)
    expect(page).to_have_title("My caseload \u2013 Casework")
    page.get_by_role("link", name=re.compile("Add a client|Open a case|New case")).first.click()
    page.get_by_label("First name").fill("Rhodri")
    page.get_by_label("Last name").fill("Evans")
    page.get_by_label("Type of case").select_option(label="Employment support")
    page.get_by_label("Required outcomes").fill("Find paid work\nGet a forklift licence")
    page.get_by_role("button", name="Add the client and open the case").click()
    expect(page).to_have_title(re.compile(r"^Case: Rhodri Evans \(CW-"))
    case_url = page.url
    _sign_out(page)

    # The supervisor sets his password, reallocates the case to himself, corrects the client's
    # address and closes the case with its outcomes.
    _set_password(page, _link_for("dafydd.jones@example.org"))
    _sign_in(page, base, "dafydd.jones@example.org", PASSWORD)
    page.goto(case_url)
    page.get_by_role("link", name="Reallocate the case").click()
    page.get_by_label("New owner").select_option(label="Dafydd Jones (supervisor, Employment Wrexham)")
    page.get_by_label("Why is the case moving?").fill("Ffion is on leave for a month")
    page.get_by_role("button", name="Reallocate the case").click()
    expect(page.locator(".messages")).to_contain_text("The case is now held by Dafydd Jones")

    page.get_by_role("link", name="Correct the client's details").click()
    page.get_by_label("Address (optional)", exact=True).fill("7 Hope Street, Wrexham LL11 1BG")
    page.get_by_label("Why are you correcting these details?").fill("Client moved house last week")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".messages")).to_contain_text("Client's details corrected.")

    page.get_by_role("link", name="Close the case").click()
    page.locator("fieldset", has_text="Find paid work").get_by_label("Achieved", exact=True).check()
    page.locator("fieldset", has_text="Get a forklift licence").get_by_label("Partly achieved").check()
    page.get_by_label("Why (needed unless achieved)").nth(1).fill("Passed the theory, practical in January")
    page.get_by_label("Why is the case closing?").fill("Rhodri started work at the distribution centre")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".messages")).to_contain_text("Case closed, with its outcomes recorded.")
    assert "Get a forklift licence: partly achieved" in page.locator(".closures").inner_text()

    case = Case.objects.get(client__last_name="Evans")
    dafydd = User.objects.get(email="dafydd.jones@example.org")
    assert (case.status, case.owner) == ("closed", dafydd)
    assert CaseOutcome.objects.filter(case=case).count() == 2
    assert ClientCorrection.objects.filter(client=case.client).exists()
    actions = set(AuditEvent.objects.filter(organisation_id=organisation.pk).values_list("action", flat=True))
    assert {
        "organisation.set_up",
        "team.created",
        "staff.invited",
        "client.created",
        "case.opened",
        "case.reallocated",
        "client.updated",
        "case.closed",
    } <= actions
    call_command("audit", "verify")
