"""Pages and API answers holding client data are never cached (issue 8, finding 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from casework.accounts.models import ApiToken


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/today/",
        "/cases/{case}/",
        "/cases/{case}/history/print",
        "/team/",
        "/api/cases/{case}",
        "/api/today",
    ],
)
def test_a_response_with_client_data_is_no_store(world, signed_in, path):
    response = signed_in(world.supervisor).get(path.format(case=world.case.pk))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_api_answer_to_a_token_client_is_no_store(world):
    _, key = ApiToken.issue(world.practitioner)

    response = Client().get(f"/api/cases/{world.case.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_errors_and_the_sign_in_page_are_no_store_too(world, signed_in):
    assert "no-store" in signed_in(world.practitioner).get("/cases/999999/")["Cache-Control"]
    assert "no-store" in Client().get("/accounts/login/")["Cache-Control"]
