"""The JSON API under /api/, with its OpenAPI document at /api/openapi.json.

Every endpoint needs a signed-in session (browser; CSRF checked on writes) or a bearer
token. Errors are JSON with a ``detail`` key: 404 for anything the user may not see,
403 for what they may see but not change, and 422 listing each field at fault with
its location in the request, in the same shape as ninja's own validation errors.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from casework.accounts.auth import API_AUTH
from casework.cases import rules
from casework.cases.api_upkeep import router as cases_router
from casework.locking import StaleRecordError
from casework.priorities.api import router as priorities_router

logger = logging.getLogger(__name__)

# Where a service's error key lives in a request body, when not at the top level.
_ERROR_KEY_PARENTS = {code: ("sections",) for code in rules.SECTION_LABELS}
_ERROR_KEY_RENAMES = {"goals": "goal_ids"}


class _JSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        # Django's encoder cuts times to milliseconds; a signed record keeps what was stored.
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class _JSONRenderer(JSONRenderer):
    encoder_class = _JSONEncoder


class BodyShapeError(ValueError):
    """A JSON body that is not an object: every write takes named fields."""


class MediaTypeError(ValueError):
    """A body sent as something other than JSON."""


class _ObjectBodyParser(Parser):
    """Bodies must be JSON objects sent as ``application/json`` (issue 8, finding 9): a list, a
    string or ``null`` is refused rather than read as "change nothing"."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise MediaTypeError(
                f"Send the body as application/json, not {request.content_type or 'nothing'}."
            )
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyShapeError("The request body must be a JSON object with named fields.")
        return data


class CaseworkAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            # The API answers 401 itself; Django's LoginRequiredMiddleware would redirect.
            callback = getattr(url, "callback", None)
            if callback is not None:
                callback.login_required = False
        return urls


api = CaseworkAPI(
    title="Casework API",
    version="1",
    description="Caseloads, case notes and action plans (NOS LSIAG14).",
    urls_namespace="api",
    auth=API_AUTH,
    renderer=_JSONRenderer(),
    parser=_ObjectBodyParser(),
    # The interactive docs load from a CDN; we serve nothing from one, so they are off.
    docs_url=None,
)
api.add_router("", cases_router)
api.add_router("", priorities_router)


def error_location(key: str) -> list[str | int]:
    """The ninja-style ``loc`` of a service error key such as ``facts`` or ``actions.0``."""
    if key == "__all__":
        return ["body", "payload"]
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in key.split(".")]
    head = str(parts[0])
    parents = _ERROR_KEY_PARENTS.get(head, ())
    return ["body", "payload", *parents, _ERROR_KEY_RENAMES.get(head, head), *parts[1:]]


@api.exception_handler(DjangoValidationError)
def _validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        items = [
            {"type": "value_error", "loc": error_location(key), "msg": message}
            for key, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        items = [{"type": "value_error", "loc": ["body", "payload"], "msg": m} for m in exc.messages]
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer whether the record does not exist or belongs to someone else.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "You do not have permission to do that."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request body is too large. Nothing was saved."}, status=413
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message
    if detail == AuthenticationError().message:
        detail = "Sign in, or send an API token in the header 'Authorization: Bearer <token>'."
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="casework"'
    return response


@api.exception_handler(StaleRecordError)
def _conflict(request: HttpRequest, exc: StaleRecordError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail: Any = str(exc)
    status = exc.status_code
    cause = exc.__cause__
    if status == 400 and isinstance(cause, MediaTypeError):
        detail, status = str(cause), 415
    elif status == 400 and isinstance(cause, BodyShapeError):
        detail, status = [{"type": "model_attributes_type", "loc": ["body"], "msg": str(cause)}], 422
    elif status == 400 and isinstance(cause, ValueError):
        detail = f"The request body is not valid JSON ({cause})."
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A fault of ours still answers JSON, under every settings module, and is logged in full."""
    logger.exception("API request failed: %s %s", request.method, request.path)
    detail = "The server could not complete the request. It has been logged; try again shortly."
    return api.create_response(request, {"detail": detail}, status=500)
