"""The OpenAPI document is a valid contract listing every endpoint; docs need no CDN."""

from typing import Any

import pytest
from django.test import Client
from jsonschema.exceptions import ValidationError as JsonSchemaValidationError
from openapi_spec_validator import validate

from tests.api.conftest import API_PATHS, assert_matches_openapi


def test_openapi_document_is_valid_openapi_3(openapi_doc: dict[str, Any]) -> None:
    assert openapi_doc["openapi"].startswith("3.")
    validate(openapi_doc)  # raises on an invalid document


def test_every_endpoint_is_documented_with_its_methods(openapi_doc: dict[str, Any]) -> None:
    documented = {
        path: {m for m in item if m in {"get", "post", "put", "patch", "delete"}}
        for path, item in openapi_doc["paths"].items()
    }
    assert documented == API_PATHS


def test_every_endpoint_requires_a_token_or_a_session(openapi_doc: dict[str, Any]) -> None:
    schemes = openapi_doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    for path, methods in API_PATHS.items():
        for method in methods:
            security = openapi_doc["paths"][path][method]["security"]
            assert security == [{"TokenAuth": []}, {"SessionAuth": []}], (path, method)


def test_note_limits_are_in_the_contract(openapi_doc: dict[str, Any]) -> None:
    schemas = openapi_doc["components"]["schemas"]
    assert schemas["SectionsIn"]["properties"]["facts"]["maxLength"] == 20_000
    assert schemas["NoteIn"]["properties"]["occurred_at"]["format"] == "date-time"


def test_interactive_docs_are_off_so_nothing_loads_from_a_cdn() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 404
    # No script or style from another host (a hashed static file name may contain "cdn").
    page = response.content.decode().lower()
    assert 'src="http' not in page and 'href="http' not in page and "//cdn" not in page


class _FakeResponse:
    status_code = 200

    def json(self) -> dict[str, Any]:
        return {"items": [{"id": "not a number"}], "count": 1}


def test_the_response_check_rejects_a_body_that_breaks_the_contract(openapi_doc: dict[str, Any]) -> None:
    # Every API test checks its responses with this; it must be able to fail.
    with pytest.raises(JsonSchemaValidationError):
        assert_matches_openapi(openapi_doc, "get", "/api/cases", _FakeResponse())
