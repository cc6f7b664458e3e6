"""Sign-in hardening: lockout, two-step verification, session expiry, security headers (ASVS V2, V3, V14)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_KEY, client_ip
from casework.accounts.models import Role, User
from tests.conftest import World
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
LOGIN = reverse("login")
CASELOAD = reverse("cases:caseload")
ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
REQUIRED = override_settings(CASEWORK_2FA_REQUIRED_ROLES=["dpo", "admin"])


def sign_in(client: Client, user: User, password: str = PASSWORD, ip: str = "203.0.113.7") -> object:
    return client.post(LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- Lockout (django-axes) ------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_and_address_with_a_clear_message(world: World) -> None:
    client = Client()
    # Given four wrong passwords, each answered with the ordinary form error
    for _ in range(4):
        assert sign_in(client, world.practitioner, "wrong-password").status_code == 200
    # When the fifth is wrong too
    response = sign_in(client, world.practitioner, "wrong-password")
    # Then sign-in is locked, and the page says for how long and what to do
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in locked for 30 minutes" in text
    assert "administrator" in text
    # and even the right password is refused while the lock lasts
    response = sign_in(client, world.practitioner)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_a_lockout_holds_one_username_from_one_address_only(world: World) -> None:
    for _ in range(5):
        sign_in(Client(), world.practitioner, "wrong-password", ip="203.0.113.7")
    # The same person from another address, and a colleague from the locked address, still get in
    elsewhere = Client()
    assert sign_in(elsewhere, world.practitioner, ip="198.51.100.20").status_code == 302
    assert signed_in_user_id(elsewhere) == str(world.practitioner.pk)
    colleague = Client()
    assert sign_in(colleague, world.colleague, ip="203.0.113.7").status_code == 302
    assert signed_in_user_id(colleague) == str(world.colleague.pk)


def test_the_lock_lifts_after_the_cool_off_period(world: World) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, world.practitioner, "wrong-password")
    # Given the failures were 31 minutes ago
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    # Then the right password works again
    assert sign_in(client, world.practitioner).status_code == 302
    assert signed_in_user_id(client) == str(world.practitioner.pk)


def test_an_administrator_can_lift_a_lock_with_the_command(world: World) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, world.practitioner, "wrong-password")
    assert sign_in(client, world.practitioner).status_code == 429

    call_command("axes_reset_username", world.practitioner.username)

    assert AccessAttempt.objects.filter(username=world.practitioner.username).count() == 0
    assert sign_in(client, world.practitioner).status_code == 302
    assert signed_in_user_id(client) == str(world.practitioner.pk)


def test_a_successful_sign_in_clears_earlier_failures(world: World) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, world.practitioner, "wrong-password")
    assert sign_in(client, world.practitioner).status_code == 302
    client.post(reverse("logout"))
    # Four more failures are not enough to lock: the count started again
    for _ in range(4):
        assert sign_in(client, world.practitioner, "wrong-password").status_code == 200
    assert sign_in(client, world.practitioner).status_code == 302


@override_settings(CASEWORK_PROXY_COUNT=1)
def test_the_client_address_comes_from_our_proxy_only() -> None:
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    # The right-most entry is what our one proxy saw; anything left of it the client may have forged.
    assert client_ip(request) == "203.0.113.7"


def test_with_no_proxy_a_forwarded_header_is_ignored() -> None:
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


# --- Two-step verification (django-otp, TOTP) -------------------------------------------------


@REQUIRED
def test_a_required_role_without_an_app_is_sent_to_set_up_and_reaches_nothing_else(world: World) -> None:
    dpo = UserFactory(organisation=world.organisation, role=Role.DATA_PROTECTION)
    client = Client()
    # When the data-protection officer signs in with the right password
    response = sign_in(client, dpo)
    assert response.status_code == 302
    response = client.get(response["Location"])
    # Then they are sent to set up two-step verification, with their destination (where their
    # role starts, issue 9 D21) kept
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fstart%2F"
    # and neither the caseload, a case, nor the API is reachable
    assert client.get(CASELOAD)["Location"].startswith(ENROL)
    assert client.get(reverse("cases:case_detail", args=[world.case.pk]))["Location"].startswith(ENROL)
    api = client.get("/api/cases")
    assert api.status_code == 403
    assert "Two-step verification is needed" in api.json()["detail"]
    # an htmx request is moved on as a whole page
    htmx = client.get(CASELOAD, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/")
    assert htmx["HX-Redirect"] == f"{ENROL}?next=%2F"
    # but the set-up page itself is
    assert client.get(ENROL).status_code == 200


@REQUIRED
def test_a_role_that_does_not_require_it_signs_in_with_a_password_alone(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    assert client.get(CASELOAD).status_code == 200


@REQUIRED
def test_setting_up_with_the_right_code_turns_it_on_and_opens_the_pages(world: World) -> None:
    client = Client()
    sign_in(client, world.admin)
    # Given the set-up page, which shows the QR code and the key to type
    page = client.get(ENROL, {"next": CASELOAD})
    device = TOTPDevice.objects.get(user=world.admin)
    assert device.confirmed is False
    text = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    assert page.context["secret"].replace(" ", "") in text.replace(" ", "")
    # When the admin enters the code the app shows
    response = client.post(ENROL, {"token": code_for(device), "next": CASELOAD})
    # Then the device is confirmed, this session is verified, and they go where they were going
    assert response.status_code == 302
    assert response["Location"] == CASELOAD
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(CASELOAD).status_code == 200


@REQUIRED
def test_setting_up_with_a_wrong_code_changes_nothing(world: World) -> None:
    client = Client()
    sign_in(client, world.admin)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"token": wrong})

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get(CASELOAD)["Location"].startswith(ENROL)


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_an_enrolled_user_must_enter_a_right_code_after_the_password(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.practitioner, name="phone", confirmed=True)
    client = Client()
    sign_in(client, world.practitioner)
    # Signed in with a password alone, the caseload asks for the code first
    response = client.get(CASELOAD)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    # A wrong code is refused and leaves the session unverified
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong, "next": CASELOAD})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get(CASELOAD)["Location"].startswith(VERIFY)
    # The right code (typed with a space, as the app shows it) opens the caseload
    code = code_for(device)
    response = client.post(VERIFY, {"token": f"{code[:3]} {code[3:]}", "next": CASELOAD})
    assert response.status_code == 302
    assert response["Location"] == CASELOAD
    assert client.get(CASELOAD).status_code == 200


def test_wrong_codes_in_quick_succession_are_throttled(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.practitioner, name="phone", confirmed=True)
    client = Client()
    sign_in(client, world.practitioner)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"token": wrong})
    # Straight after a wrong code, even the right one is not tried; after one wrong code the
    # message says how long to wait, not "too many" (issue 9, D27).
    response = client.post(VERIFY, {"token": code_for(device)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Too many wrong codes" not in page
    assert re.search(r"Wait \d seconds?", page)
    assert client.get(CASELOAD)["Location"].startswith(VERIFY)
    # After three wrong codes in a row it is "too many", with the wait stated.
    device.refresh_from_db()
    device.throttling_failure_count = 3
    device.save()
    response = client.post(VERIFY, {"token": wrong})
    assert "Too many wrong codes. Wait" in response.content.decode()


def test_a_verify_link_never_sends_people_to_another_site(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.practitioner, name="phone", confirmed=True)
    client = Client()
    sign_in(client, world.practitioner)
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:start")  # where their role starts, not elsewhere


@REQUIRED
def test_a_required_role_cannot_turn_it_off(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.admin, name="phone", confirmed=True)
    client = Client()
    sign_in(client, world.admin)
    client.post(VERIFY, {"token": code_for(device)})

    client.post(reverse("accounts:two_factor_disable"))

    assert TOTPDevice.objects.filter(user=world.admin).count() == 1


def test_an_optional_user_can_turn_it_off_only_after_verifying(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.practitioner, name="phone", confirmed=True)
    client = Client()
    sign_in(client, world.practitioner)
    # Password alone: sent to verify, nothing deleted
    response = client.post(reverse("accounts:two_factor_disable"))
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=world.practitioner).count() == 1
    # After the code: turned off
    client.post(VERIFY, {"token": code_for(device)})
    client.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=world.practitioner).count() == 0


# --- Session expiry ---------------------------------------------------------------------------


def _age_session(client: Client, *, idle_minutes: int = 0, signed_in_hours: float = 0) -> None:
    session = client.session
    now = int(time.time())
    session[LAST_SEEN_KEY] = now - idle_minutes * 60
    session[SIGNED_IN_KEY] = now - int(signed_in_hours * 3600)
    session.save()


def test_a_session_ends_after_30_minutes_without_activity(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    _age_session(client, idle_minutes=31)

    response = client.get(CASELOAD)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2F"
    assert signed_in_user_id(client) is None
    page = client.get(response["Location"])
    assert "no activity for 30 minutes" in page.content.decode()


def test_a_session_in_use_stays_open(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    _age_session(client, idle_minutes=29, signed_in_hours=2)

    assert client.get(CASELOAD).status_code == 200
    # and the request counted as activity
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5


def test_a_session_ends_12_hours_after_sign_in_however_busy(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    _age_session(client, idle_minutes=0, signed_in_hours=12.1)

    assert client.get(CASELOAD)["Location"].startswith(LOGIN)
    assert signed_in_user_id(client) is None


def test_an_idle_api_session_is_answered_401(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    _age_session(client, idle_minutes=45)

    response = client.get("/api/cases")

    assert response.status_code == 401
    assert "no activity" in response.json()["detail"]


@override_settings(CASEWORK_SESSION_IDLE_MINUTES=5)
def test_the_idle_limit_is_configurable(world: World) -> None:
    client = Client()
    sign_in(client, world.practitioner)
    _age_session(client, idle_minutes=6)
    assert client.get(CASELOAD)["Location"].startswith(LOGIN)


# --- Headers and content security policy ------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_a_strict_content_security_policy(world: World, signed_in: bool) -> None:
    client = Client()
    if signed_in:
        client.force_login(world.practitioner)
    response = client.get(CASELOAD if signed_in else LOGIN)
    assert response.status_code == 200
    directives = (part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";"))
    policy = {name: value for name, _, value in directives}
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# Rendered by WeasyPrint into a PDF, never served to a browser, so the policy does not apply.
PDF_ONLY = {"governance/sar_response.html"}
TEMPLATES = [
    path
    for path in sorted(
        Path(__file__).resolve().parents[2].joinpath("casework").glob("**/templates/**/*.html")
    )
    if path.as_posix().split("/templates/", 1)[1] not in PDF_ONLY
]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_inline_script_or_style_that_the_policy_would_block(template: Path) -> None:
    assert INLINE.findall(template.read_text()) == []


ALL_TEMPLATES = sorted(
    Path(__file__).resolve().parents[2].joinpath("casework").glob("**/templates/**/*.html")
)


@pytest.mark.parametrize("template", ALL_TEMPLATES, ids=lambda p: p.name)
def test_no_template_comment_spans_lines(template: Path) -> None:
    # Django's {# #} ends at the line's end: a second line would be printed on the page.
    unclosed = [line for line in template.read_text().splitlines() if "{#" in line and "#}" not in line]
    assert unclosed == []


# --- Production settings ----------------------------------------------------------------------

REPETITIVE_KEY = "k7Qz" * 16  # 64 characters but only 4 different ones
RANDOM_KEY = "hT3-vX9_qLw2Rb8ZsYk4Nc6Pd1Fg7Jm0Ue5Ia" + "Wo2Kx8Hq4Lz6Vn1Mb3Cy9Tr7"


def run_with_production_settings(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "casework.settings_production", **env})
    return subprocess.run(  # noqa: S603 - the test's own interpreter, fixed code
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


CHECK_DEPLOY = "import django.core.management as m; m.execute_from_command_line(['django', 'check', '--deploy', '--fail-level', 'WARNING'])"  # noqa: E501


def test_production_settings_pass_the_deployment_checklist_with_no_warning() -> None:
    result = run_with_production_settings(
        CHECK_DEPLOY, SECRET_KEY=RANDOM_KEY, ALLOWED_HOSTS="casework.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_turn_on_https_only_cookies_and_headers() -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SESSION_COOKIE_NAME, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS]))"
    )
    result = run_with_production_settings(code, SECRET_KEY=RANDOM_KEY, ALLOWED_HOSTS="casework.example.org")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        True,
        True,
        True,
        31_536_000,
        True,
        True,
        "__Host-sessionid",
        ["casework.example.org"],
        ["https://casework.example.org"],
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "casework.example.org"}, "Set the SECRET_KEY environment variable"),
        ({"ALLOWED_HOSTS": "casework.example.org", "SECRET_KEY": "short"}, "at least 50 random characters"),
        (
            {"ALLOWED_HOSTS": "casework.example.org", "SECRET_KEY": REPETITIVE_KEY},
            "at least 50 random characters",
        ),
        ({"SECRET_KEY": RANDOM_KEY}, "Set the ALLOWED_HOSTS environment variable"),
        ({"SECRET_KEY": RANDOM_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the site's host names"),
    ],
    ids=["no-key", "short-key", "repetitive-key", "no-hosts", "any-host"],
)
def test_production_settings_refuse_to_start_without_a_secret_key_and_host_names(
    env: dict[str, str], message: str
) -> None:
    result = run_with_production_settings("import django; django.setup()", **env)
    assert result.returncode != 0
    assert message in result.stderr


# --- Password strength --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["short-Pw1", "abcdefghijklmnop", "qwertyuiop123", "aaaaaaaaaaaaaaa", "123456789012", "Casework2026!"],
)
def test_weak_passwords_are_refused(world: World, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=world.practitioner)


@pytest.mark.parametrize("password", ["harbour-violet-canister-92", "correct-horse-battery"])
def test_a_long_passphrase_is_accepted(world: World, password: str) -> None:
    assert validate_password(password, user=world.practitioner) is None


@REQUIRED
def test_an_administrator_can_reset_a_lost_authenticator_with_the_command(world: World) -> None:
    TOTPDevice.objects.create(user=world.admin, name="lost phone", confirmed=True)
    out = StringIO()

    call_command("two_factor_reset", world.admin.username, stdout=out)

    assert out.getvalue().strip() == f"Removed 1 authenticator app(s) for {world.admin.username}."
    assert TOTPDevice.objects.filter(user=world.admin).count() == 0
    # and at the next sign-in a required role must set up a new one
    client = Client()
    sign_in(client, world.admin)
    assert client.get(CASELOAD)["Location"].startswith(ENROL)
