"""The audit trail and the access log now belong to the ``audit`` app (state only; no table changes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_subject_access_and_disposal"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AccessEvent"),
                migrations.RemoveField(model_name="auditchain", name="organisation"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="AuditChain"),
            ],
        ),
    ]
