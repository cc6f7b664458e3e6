"""API test helpers: a client that checks every JSON answer against the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openapi_schema_validator import OAS31Validator

from casework.accounts.models import ApiToken, User
from casework.cases.models import CaseNote
from casework.cases.services import note_record
from tests.factories import contact_type

API_PATHS: dict[str, set[str]] = {
    "/api/cases": {"get", "post"},
    "/api/clients/{client_id}": {"patch"},
    "/api/cases/{case_id}/reallocation": {"post"},
    "/api/cases/{case_id}/closure": {"post"},
    "/api/cases/{case_id}": {"get", "patch"},
    "/api/cases/{case_id}/notes": {"get", "post"},
    "/api/notes/{note_id}/amendments": {"post"},
    "/api/cases/{case_id}/actions": {"get"},
    "/api/actions/{action_id}": {"patch"},
    "/api/today": {"get"},
    "/api/cases/{case_id}/assessment": {"get"},
}


@pytest.fixture(scope="session")
def openapi_doc() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def assert_matches_openapi(doc: dict[str, Any], method: str, template: str, response: Any) -> None:
    """The response's status is documented for the operation, and its body fits the schema."""
    operation = doc["paths"][template][method]
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method.upper()} {template} answered {status}, not documented"
    schema = documented[status]["content"]["application/json"]["schema"]
    # Component references (#/components/...) resolve against the schema's root.
    OAS31Validator({**schema, "components": doc["components"]}).validate(response.json())


class ApiClient:
    """Calls the API by path template, e.g. ``api.get("/api/cases/{case_id}", case_id=1)``."""

    def __init__(self, client: Client, doc: dict[str, Any]) -> None:
        self.client = client
        self.doc = doc

    def _call(
        self, method: str, template: str, body: Any = None, query: dict[str, Any] | None = None, **path: Any
    ) -> Any:
        url = template.format(**path)
        caller = getattr(self.client, method)
        if method == "get":
            response = caller(url, query or {})
        else:
            response = caller(
                url, json.dumps(body if body is not None else {}), content_type="application/json"
            )
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        assert_matches_openapi(self.doc, method, template, response)
        return response

    def get(self, template: str, query: dict[str, Any] | None = None, **path: Any) -> Any:
        return self._call("get", template, query=query, **path)

    def post(self, template: str, body: Any, **path: Any) -> Any:
        return self._call("post", template, body, **path)

    def patch(self, template: str, body: Any, **path: Any) -> Any:
        return self._call("patch", template, body, **path)


@pytest.fixture
def api_as(openapi_doc: dict[str, Any]) -> Callable[..., ApiClient]:
    """``api_as(user)`` calls with a new bearer token for ``user``; ``via="session"`` signs in
    with a browser session instead; ``api_as(token=key)`` sends that token."""

    def make(
        user: User | None = None, *, via: str = "token", token: str | None = None, **client_kwargs: Any
    ) -> ApiClient:
        if user is not None and via == "token" and token is None:
            token = ApiToken.issue(user)[1]
        if token is not None:
            client_kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        client = Client(**client_kwargs)
        if user is not None and via == "session":
            client.force_login(user)
        return ApiClient(client, openapi_doc)

    return make


@pytest.fixture
def token_for() -> Callable[[User], str]:
    def issue(user: User) -> str:
        return ApiToken.issue(user)[1]

    return issue


PHONE_NOTE = {"facts": "Rang Jordan about the warehouse job.", "follow_up": "Call again on Monday."}


@pytest.fixture
def note(world: Any) -> CaseNote:
    """A signed phone note on the world's case, recorded by its owner an hour after the call."""
    return note_record(
        case=world.case,
        author=world.practitioner,
        contact_type=contact_type(world.organisation, "phone"),
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        sections=PHONE_NOTE,
    )
