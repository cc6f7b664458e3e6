"""`casework setup` starts a real service (issue 9, scope 1): the organisation with its nation
and defaults, and a first administrator who can sign in; nothing half-made on bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from casework.accounts.models import Organisation, Role, User
from casework.administration.setup import service_set_up
from casework.audit.models import AuditEvent
from casework.audit.trail import verify_chain
from casework.cases.models import CaseType, ContactType
from casework.priorities.models import PriorityCriterion

GOOD_PASSWORD = "harbour-lantern-47-quietly"


def _setup(monkeypatch, password: str = GOOD_PASSWORD, **flags: str) -> None:
    monkeypatch.setenv("CASEWORK_SETUP_PASSWORD", password)
    options = {
        "name": "Cardiff Advice Service",
        "nation": "wales",
        "admin_username": "rhian",
        "admin_email": "rhian@example.org",
        **flags,
    }
    call_command("setup", **options)


def test_setup_makes_the_organisation_its_defaults_and_an_administrator_who_can_sign_in(
    db, monkeypatch, capsys
):
    _setup(monkeypatch)

    organisation = Organisation.objects.get(slug="cardiff-advice-service")
    assert (organisation.name, organisation.nation) == ("Cardiff Advice Service", "wales")
    assert CaseType.objects.filter(organisation=organisation).exists()
    assert ContactType.objects.filter(organisation=organisation).exists()
    assert PriorityCriterion.objects.filter(organisation=organisation).exists()
    admin = User.objects.get(username="rhian")
    assert (admin.organisation_id, admin.role) == (organisation.pk, Role.ADMIN)
    signed_in = Client().post("/accounts/login/", {"username": "rhian", "password": GOOD_PASSWORD})
    assert signed_in.status_code == 302
    out = capsys.readouterr().out
    assert "Sign in at http://127.0.0.1:8000/accounts/login/ as rhian" in out
    event = AuditEvent.objects.get(organisation_id=organisation.pk)
    assert (event.action, event.actor_username) == ("organisation.set_up", "rhian")
    assert verify_chain(organisation.pk) is None


@pytest.mark.parametrize(
    ("flags", "password", "field"),
    [
        ({"name": "   "}, GOOD_PASSWORD, "name"),
        ({"admin_email": "not-an-address"}, GOOD_PASSWORD, "admin_email"),
        ({}, "password123", "admin_password"),
        ({}, "abcdefghijkl", "admin_password"),
    ],
)
def test_bad_input_sets_nothing_up_and_names_the_field(db, monkeypatch, flags, password, field):
    with pytest.raises(CommandError, match=field):
        _setup(monkeypatch, password=password, **flags)

    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_nation_outside_the_uk_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        service_set_up(
            name="Cardiff Advice Service",
            nation="cornwall",
            admin_username="rhian",
            admin_email="rhian@example.org",
            admin_password=GOOD_PASSWORD,
        )

    assert "nation" in caught.value.message_dict
    assert not Organisation.objects.exists()


def test_setup_twice_with_the_same_name_is_refused(db, monkeypatch):
    _setup(monkeypatch)

    with pytest.raises(CommandError, match="set up already"):
        _setup(monkeypatch, admin_username="owain", admin_email="owain@example.org")

    assert Organisation.objects.count() == 1


def test_without_a_terminal_a_missing_value_is_named(db, monkeypatch):
    monkeypatch.setenv("CASEWORK_SETUP_PASSWORD", GOOD_PASSWORD)

    with pytest.raises(CommandError, match="--admin-username"):
        call_command("setup", name="Cardiff Advice Service", nation="wales")
