"""Browser-test fixtures: Debian's chromium driven by Playwright, and a flush that works with
the append-only triggers. Shared by every browser test in this folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def flushable(transactional_db):
    """Let the live-server test's flush empty tables whose rows may never be deleted.

    On SQLite, Django's flush is a DELETE, which the append-only triggers (signed notes,
    audit trail) refuse. After the test, and before pytest-django's own flush, lift those
    triggers, empty the database, and put them back exactly as they were. PostgreSQL
    flushes with TRUNCATE, which row triggers do not see, so nothing is needed there.
    """
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_delete'"
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def browser_page(monkeypatch, request):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium for the browser tests.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM refuses to run beside
    # one unless told it is safe, which it is here: the test thread does no ORM work meanwhile.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # bypass_csp only so a test can inject axe-core; the pages' own policy is unchanged.
            page = browser.new_page(
                locale="en-GB",
                timezone_id="Europe/London",
                bypass_csp=request.node.get_closest_marker("axe") is not None,
            )
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
