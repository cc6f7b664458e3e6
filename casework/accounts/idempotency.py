"""Idempotent API writes: the same ``Idempotency-Key`` twice writes once (issue 8, finding 5).

``idempotent`` wraps an API operation (with ninja's ``decorate_view``). With no header it does
nothing. With one, the key is claimed in the same transaction as the write, so a retry that
arrives while the first attempt is still running waits for it and then gets its answer; an
attempt that failed with a server error leaves no claim, so it can be retried. Keys are per
user, at most 255 printable ASCII characters, and expire after 24 hours.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from casework.accounts.auth import token_user
from casework.accounts.models import IdempotentRequest, User

HEADER = "Idempotency-Key"
_META = "HTTP_IDEMPOTENCY_KEY"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _key_error(message: str) -> JsonResponse:
    detail = [{"type": "value_error", "loc": ["header", HEADER], "msg": message}]
    return JsonResponse({"detail": detail}, status=422)


def _requesting_user(request: HttpRequest) -> User | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("Bearer "):
        return token_user(request, authorization.removeprefix("Bearer ").strip())
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.META.get(_META)
        if key is None:
            return run(request, *args, **kwargs)
        if not _VALID_KEY.match(key):
            return _key_error("Use 1 to 255 printable characters (letters, digits, dashes) as the key.")
        user = _requesting_user(request)
        if user is None:
            return run(request, *args, **kwargs)  # answers 401 itself
        fingerprint = _fingerprint(request)
        now = timezone.now()
        with transaction.atomic():
            IdempotentRequest.objects.filter(
                created_at__lt=now - timedelta(hours=IdempotentRequest.RETENTION_HOURS)
            ).delete()
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=fingerprint, created_at=now
                    )
            except IntegrityError:
                record = IdempotentRequest.objects.select_for_update().get(user=user, key=key)
                if record.fingerprint != fingerprint:
                    return _key_error("This key was used for a different request: use a new key.")
                return _replay(record)
            response = run(request, *args, **kwargs)
            if response.status_code >= 500:
                # Nothing of the failed attempt stays, the claim included: a retry runs afresh.
                transaction.set_rollback(True)
                return response
            record.status = response.status_code
            record.body = response.content.decode()
            record.save(update_fields=["status", "body"])
        return response

    return wrapper
