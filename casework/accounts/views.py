"""Sign-in pages: password sign-in, the lockout page, and two-step verification (TOTP).

OWASP ASVS V2.2 (throttling), V2.8 (time-based one-time passwords), V3.3 (session timeout).
"""

from __future__ import annotations

import base64
import math
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts.forms import TokenForm
from casework.accounts.middleware import LAST_SEEN_KEY, SIGNED_IN_KEY, two_factor_required
from casework.accounts.models import User

WRONG_CODE = "That code is not right. Check the time on your phone is correct and try again."
TOO_MANY_TRIES = "Too many wrong codes. Wait {wait} before you try again."
JUST_WAIT = (
    "Wait {wait} before you try the next code: after a wrong code Casework pauses briefly, to stop guessing."
)


def _throttled_message(data: dict[str, Any] | None) -> str:
    """What to say when django-otp refuses a code for now (issue 9, D27): after one or two wrong
    codes that is a pause of a second or two, not "too many"; the wait is stated honestly."""
    data = data or {}
    locked_until = data.get("locked_until")
    seconds = 60
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    wait = (
        f"{seconds} second{'s' if seconds != 1 else ''}"
        if seconds < 90
        else f"{math.ceil(seconds / 60)} minutes"
    )
    template = JUST_WAIT if int(data.get("failure_count", 0)) < 3 else TOO_MANY_TRIES
    return template.format(wait=wait)


class SignInView(LoginView):
    """Django's sign-in, also starting the clocks for idle and absolute session expiry."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        now = int(time.time())
        self.request.session[SIGNED_IN_KEY] = now
        self.request.session[LAST_SEEN_KEY] = now
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes shows after too many wrong passwords (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_code_data_uri(text: str) -> str:
    """The enrolment QR code as an SVG data URI: drawn on the server, no script, no CDN."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=4)
    svg = image.to_string(encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for people who cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _invalid(request: HttpRequest, template: str, context: dict[str, Any], form: Form) -> HttpResponse:
    errors = [{"href": f"#{form['token'].auto_id}", "message": e} for e in form.errors.get("token", [])]
    return render(request, template, {**context, "form": form, "errors": errors}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then prove it with a code."""
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user):
        messages.info(request, "Two-step verification is already set up for your account.")
        return redirect("accounts:two_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    context: dict[str, Any] = {
        "qr_code": _qr_code_data_uri(device.config_url),
        "secret": _secret_for_typing(device),
        "required": two_factor_required(user),
        "next": _next_url(request),
    }
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            allowed, data = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _throttled_message(data))
            elif device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(request, "Two-step verification is set up. You will need a code each time.")
                return HttpResponseRedirect(context["next"])
            else:
                form.add_error("token", WRONG_CODE)
        return _invalid(request, "accounts/two_factor_enrol.html", context, form)
    return render(request, "accounts/two_factor_enrol.html", {**context, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in for a user with an authenticator app."""
    user: User = request.user  # type: ignore[assignment]
    if not user_has_device(user):
        return redirect("accounts:two_factor_enrol")
    context = {"next": _next_url(request)}
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(context["next"])
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            throttled: dict[str, Any] | None = None
            for device in devices_for_user(user, confirmed=True):
                allowed, data = device.verify_is_allowed()
                if not allowed:
                    throttled = data or {}
                elif device.verify_token(form.cleaned_data["token"]):
                    otp_login(request, device)
                    return HttpResponseRedirect(context["next"])
            form.add_error("token", WRONG_CODE if throttled is None else _throttled_message(throttled))
        return _invalid(request, "accounts/two_factor_verify.html", context, form)
    return render(request, "accounts/two_factor_verify.html", {**context, "form": form})


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-step verification is on for the signed-in user, and whether they may turn it off."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/two_factor.html",
        {"enrolled": user_has_device(user), "required": two_factor_required(user)},
    )


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn off two-step verification, only for a role that does not require it and only from a
    session that has passed it (so a stolen password alone cannot turn it off)."""
    user: User = request.user  # type: ignore[assignment]
    if two_factor_required(user):
        messages.error(request, "Your role needs two-step verification, so it cannot be turned off.")
        return redirect("accounts:two_factor")
    if user_has_device(user) and user.is_verified():  # type: ignore[attr-defined]
        TOTPDevice.objects.filter(user=user).delete()
        messages.success(request, "Two-step verification is turned off.")
    return redirect("accounts:two_factor")


class SetPasswordView(PasswordResetConfirmView):
    """The one-time link in an invitation: a new member of staff chooses their password, then
    signs in. Django's password-reset tokens: the link expires after PASSWORD_RESET_TIMEOUT and
    stops working once the password is set (the token is made from the password's hash)."""

    template_name = "accounts/set_password.html"
    post_reset_login = False

    def get_success_url(self) -> str:
        messages.success(self.request, "Your password is set. Sign in with your e-mail address and it.")
        return resolve_url("login")
