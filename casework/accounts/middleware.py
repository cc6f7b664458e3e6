"""Sign-in hardening that runs on every request: session expiry and enforced two-step verification.

OWASP ASVS V3.3 (session timeout) and V2.7/V2.8 (a second factor for privileged roles).
Both answer an htmx request with an ``HX-Redirect`` so the whole page moves on, instead of
a sign-in form being swapped into part of a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from casework.accounts.models import User

LAST_SEEN_KEY = "casework_last_seen"
SIGNED_IN_KEY = "casework_signed_in"
# Writing the session on every request would cost a database write each time; a minute's
# resolution is plenty for a 30-minute idle limit.
LAST_SEEN_RESOLUTION_SECONDS = 60

API_PREFIX = "/api/"

# Views a signed-in user who still owes a second factor may reach.
TWO_FACTOR_OPEN_VIEWS = frozenset(
    {"login", "logout", "accounts:two_factor_enrol", "accounts:two_factor_verify", "accounts:set_password"}
)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for lockouts: X-Forwarded-For only as far as our own proxies vouch for it."""
    proxies: int = settings.CASEWORK_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _with_next(url: str, request: HttpRequest) -> str:
    path = request.get_full_path()
    if getattr(request, "htmx", False) and request.htmx.current_url_abs_path:  # type: ignore[attr-defined]
        path = request.htmx.current_url_abs_path  # type: ignore[attr-defined]
    return f"{url}?{urlencode({'next': path})}"


class SessionExpiryMiddleware:
    """End a signed-in session after CASEWORK_SESSION_IDLE_MINUTES without a request, or
    CASEWORK_SESSION_MAX_HOURS after sign-in, so a stolen or forgotten session dies (ASVS 3.3.1-3.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        session = request.session
        last_seen = session.get(LAST_SEEN_KEY)
        signed_in = session.get(SIGNED_IN_KEY)
        idle_limit = settings.CASEWORK_SESSION_IDLE_MINUTES * 60
        max_age = settings.CASEWORK_SESSION_MAX_HOURS * 3600
        idle = isinstance(last_seen, int) and now - last_seen > idle_limit
        too_old = isinstance(signed_in, int) and now - signed_in > max_age
        if idle or too_old:
            logout(request)
            reason = (
                f"You were signed out because there was no activity for "
                f"{settings.CASEWORK_SESSION_IDLE_MINUTES} minutes. Sign in again to carry on."
                if idle
                else "You were signed out because your session reached its time limit. Sign in again."
            )
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": reason}, status=401)
            messages.info(request, reason)
            return _redirect(request, _with_next(resolve_url(settings.LOGIN_URL), request))
        if not isinstance(signed_in, int):
            session[SIGNED_IN_KEY] = now
        if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            session[LAST_SEEN_KEY] = now
        return None


def two_factor_required(user: User) -> bool:
    """Whether the user's role must use two-step verification (CASEWORK_2FA_REQUIRED_ROLES)."""
    return user.role in settings.CASEWORK_2FA_REQUIRED_ROLES


class TwoFactorMiddleware:
    """After a password sign-in, send a user with an authenticator app to the verify step, and a
    user whose role requires one but who has none to set-up; nothing else is reachable until then.

    Requests with a bearer token are left to the API's token check: tokens are issued out of band.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_OPEN_VIEWS:
            return None
        from django_otp import user_has_device

        if user_has_device(user):
            target, message = "accounts:two_factor_verify", "Enter the code from your authenticator app."
        elif two_factor_required(user):
            target, message = (
                "accounts:two_factor_enrol",
                "Your role needs two-step verification. Set it up to carry on.",
            )
        else:
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": f"Two-step verification is needed. {message}"}, status=403)
        return _redirect(request, _with_next(reverse(target), request))


class NoStoreMiddleware:
    """Nothing Casework writes may be kept by a browser or a proxy (PC16; K6; issue 8).

    Pages and API answers hold client data; on a shared computer a cached copy would outlive
    sign-out. Every response that reaches this middleware gets ``Cache-Control: no-store``
    (with the headers older caches read). Static files are served by WhiteNoise before it and
    keep their long cache lifetimes: they hold no client data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
