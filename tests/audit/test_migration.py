"""The audit trail's move from ``governance`` to ``audit`` moved no row (issue 7).

A database at the previous layout (governance migration 0004, no ``audit`` app) gets a hash
chain written through the old models; migrating forward must leave every event in place,
the chain verifiable through the new models, and the append-only trigger still armed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casework.audit.models import AuditChain, AuditEvent
from casework.audit.trail import GENESIS_HASH, event_hash, verify_chain
from tests.conftest import clear_the_audit_trail
from tests.factories import OrganisationFactory

BEFORE = [("governance", "0004_subject_access_and_disposal")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_chain_written_before_the_move_verifies_after_it(capsys):
    organisation = OrganisationFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldEvent = old_apps.get_model("governance", "AuditEvent")
        OldChain = old_apps.get_model("governance", "AuditChain")
        assert OldEvent._meta.db_table == AuditEvent._meta.db_table
        prev = GENESIS_HASH
        start = timezone.now() - dt.timedelta(days=3)
        with transaction.atomic():
            for sequence in range(1, 6):
                event = OldEvent(
                    organisation_id=organisation.pk,
                    sequence=sequence,
                    at=start + dt.timedelta(hours=sequence, microseconds=sequence * 7),
                    actor_id=None,
                    actor_username="before-the-move",
                    action="case.opened",
                    object_type="case",
                    object_id=str(sequence),
                    client_id=None,
                    case_id=sequence,
                    changes={"owner": sequence},
                    prev_hash=prev,
                )
                event.hash = event_hash(prev, event)
                event.save()
                prev = event.hash
            OldChain.objects.create(organisation_id=organisation.pk, last_sequence=5, last_hash=prev)
    finally:
        _migrate(latest)

    assert AuditEvent.objects.filter(organisation_id=organisation.pk).count() == 5
    assert verify_chain(organisation.pk) is None
    assert AuditChain.objects.get(organisation_id=organisation.pk).last_hash == prev
    call_command("audit", "verify")
    assert "5 events, chain intact" in capsys.readouterr().out
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(organisation_id=organisation.pk).update(actor_username="rewritten")
    clear_the_audit_trail()
