"""`casework token USERNAME`: prints a new API token once; only its hash is kept."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from casework.accounts.models import ApiToken
from tests.factories import UserFactory


def run_token(username: str) -> str:
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_token_is_printed_alone_and_stored_only_as_a_hash(world):
    key = run_token("alex")

    assert key.startswith("cw_") and len(key) > 40 and "\n" not in key
    token = ApiToken.objects.get(user=world.practitioner)
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.key_hash != key
    assert token.organisation == world.organisation
    assert token.revoked_at is None


def test_the_printed_token_opens_the_api_as_that_user(world):
    key = run_token("alex")

    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/cases")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [world.case.pk]


def test_each_run_issues_a_different_token(world):
    assert run_token("alex") != run_token("alex")
    assert ApiToken.objects.filter(user=world.practitioner).count() == 2


def test_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No active user called 'nobody'"):
        run_token("nobody")
    assert ApiToken.objects.count() == 0


def test_inactive_user_is_refused(world):
    world.practitioner.is_active = False
    world.practitioner.save(update_fields=["is_active"])

    with pytest.raises(CommandError, match="No active user"):
        run_token("alex")
    assert ApiToken.objects.count() == 0


def test_user_without_an_organisation_is_refused(db):
    UserFactory(username="root", organisation=None)

    with pytest.raises(CommandError, match="belongs to no organisation"):
        run_token("root")
    assert ApiToken.objects.count() == 0


def test_issuing_a_token_is_on_the_audit_trail(world):
    from casework.audit.models import AuditEvent

    run_token("alex")
    event = AuditEvent.objects.get(action="user.token_issued")
    token = ApiToken.objects.get(user=world.practitioner)
    assert (event.actor_username, event.object_type, event.object_id) == ("alex", "api_token", str(token.pk))
    assert "key" not in str(event.changes)
