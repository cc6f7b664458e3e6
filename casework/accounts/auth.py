"""Authentication for the JSON API: per-user bearer tokens and the browser's session.

A token is looked up by its SHA-256 hash (only the hash is stored), must not be revoked,
and its user must be active and still in the token's organisation. A request that sends
a bearer token which fails those checks is refused with 401 at once rather than falling
back to the session, so a client with a bad token learns so plainly.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from casework.accounts.models import ApiToken, User

# Recording every use would cost a write per request; once a minute is enough to audit.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(key: str) -> User | None:
    """The active user a plain token key belongs to, or None if it is unknown or revoked."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or token.user.organisation_id != token.organisation_id:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_user(request: HttpRequest, key: str) -> User | None:
    """``user_for_token``, looked up once per request: the idempotency check and authentication
    both ask, and the second gets the first's answer."""
    cached = getattr(request, "_casework_token_user", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    user = user_for_token(key)
    setattr(request, "_casework_token_user", (key, user))  # noqa: B010
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` issued by ``casework token USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = token_user(request, token.strip())
        if user is None:
            raise AuthenticationError(message="The API token is unknown or has been revoked.")
        # Code below the API may read request.user, as it would for a browser request.
        request.user = user
        return user


token_auth = TokenAuth()
session_auth = django_auth  # enforces CSRF on unsafe methods

# Token first: the session check runs Django's CSRF test, which a token client cannot pass.
API_AUTH = [token_auth, session_auth]
