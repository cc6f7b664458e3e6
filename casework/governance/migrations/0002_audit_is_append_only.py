"""Audit events can be added, never changed or removed (PC16, K1)."""

from django.db import migrations

from casework.dbtriggers import refuse


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        refuse(["governance_auditevent"], ["UPDATE", "DELETE"], "the audit trail is append-only"),
    ]
