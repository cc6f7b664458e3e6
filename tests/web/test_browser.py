"""A practitioner signs in, opens a case, records a note and finds it in the history (PC1, PC17).

Drives Debian's chromium through Playwright against pytest-django's live server, which
also serves the static files, so this checks that htmx loads and works in a real browser.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casework.cases.models import CaseNote
from tests.factories import ActionFactory

pytestmark = pytest.mark.browser


def test_practitioner_records_a_note_and_sees_it_in_the_history(live_server, flushable, world, browser_page):
    page = browser_page
    action = ActionFactory(case=world.case, description="Send the client three warehouse vacancies")
    client_name = world.case.client.full_name
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))

    # Sign in.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title("Sign in \u2013 Casework")
    page.get_by_label("Username").fill("alex")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("My caseload \u2013 Casework")
    page.wait_for_function("() => typeof window.htmx === 'object'")

    # Open the case.
    page.get_by_role("link", name=client_name).click()
    expect(page).to_have_title(re.compile(rf"^Case: {re.escape(client_name)} \(CW-"))

    # Mark an action done: htmx swaps the row in place.
    row = page.locator(f"#action-{action.pk}")
    row.get_by_role("button", name="Mark done").click()
    row.get_by_role("button", name="Open again").wait_for()
    assert "Done" in row.inner_text()
    # The keyboard focus stays in the row, on its new button, not on <body> (issue 9, D5).
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'BUTTON'")
    assert "Open again" in page.evaluate("() => document.activeElement.textContent")

    # Record a note; the facts are checked for opinion as the practitioner types.
    page.get_by_label("Type of contact").select_option(label="Telephone call (needs: Facts, Follow-up)")
    facts = page.get_by_label("Facts")
    facts.click()
    facts.press_sequentially("Jordan seemed tired and said the CV is out of date.", delay=5)
    page.locator("#facts-check mark", has_text="seemed").first.wait_for()
    assert "Speculation" in page.locator("#facts-check").inner_text()
    page.get_by_label("Follow-up").fill("Ring on Friday about the warehouse vacancies.")
    page.get_by_role("button", name="Save and sign the note").click()

    # Back on the case page, at the message, which names the words that may be opinion and is
    # in view (issue 9, D4).
    page.wait_for_url(re.compile(r"/cases/\d+/#messages$"))
    expect(page.locator(".messages")).to_contain_text("Case note saved. In the facts, “seemed”")
    expect(page.locator(".messages")).to_be_in_viewport()
    history = page.locator("#history")
    assert "Jordan seemed tired and said the CV is out of date." in history.inner_text()
    assert "Ring on Friday about the warehouse vacancies." in history.inner_text()
    assert problems == []

    page.close()
    note = CaseNote.objects.get(case=world.case)
    assert note.author == world.practitioner
    action.refresh_from_db()
    assert action.status == "done"
