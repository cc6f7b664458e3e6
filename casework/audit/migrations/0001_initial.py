"""The audit trail and the access log move from ``governance`` to this app, in state only.

The tables keep their names (``governance_auditevent``, ``governance_auditchain``,
``governance_accessevent``) and their triggers, so no row moves and every hash in the chain
still verifies. ``governance`` migration 0005 drops the models from its own state.
"""
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_data_protection_role'),
        # The tables were created by governance's migrations 0001-0004; this app adopts them.
        ('governance', '0004_subject_access_and_disposal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='AccessEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('organisation_id', models.BigIntegerField()),
                    ('at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('user_id', models.BigIntegerField(blank=True, null=True)),
                    ('username', models.CharField(blank=True, max_length=150)),
                    ('client_id', models.BigIntegerField()),
                    ('case_id', models.BigIntegerField(blank=True, null=True)),
                    ('channel', models.CharField(choices=[('web', 'Web page'), ('api', 'API'), ('export', 'Export'), ('list', 'List or search results'), ('cli', 'Command line')], max_length=10)),
                    ('view', models.CharField(help_text='The page, endpoint or export that showed the record.', max_length=100)),
                    ('refused', models.BooleanField(default=False, help_text='The user tried to open a restricted case they are not named on.')),
                ],
                options={
                    'db_table': 'governance_accessevent',
                    'indexes': [models.Index(fields=['organisation_id', 'client_id', 'at'], name='access_client_idx'), models.Index(fields=['at'], name='access_at_idx')],
                },
            ),
            migrations.CreateModel(
                name='AuditChain',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('last_sequence', models.BigIntegerField(default=0)),
                    ('last_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                    ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='audit_chain', to='accounts.organisation')),
                ],
                options={
                    'db_table': 'governance_auditchain',
                },
            ),
            migrations.CreateModel(
                name='AuditEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('organisation_id', models.BigIntegerField(db_index=True)),
                    ('sequence', models.BigIntegerField()),
                    ('at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('actor_id', models.BigIntegerField(blank=True, null=True)),
                    ('actor_username', models.CharField(blank=True, max_length=150)),
                    ('action', models.CharField(max_length=50)),
                    ('object_type', models.CharField(max_length=50)),
                    ('object_id', models.CharField(max_length=64)),
                    ('client_id', models.BigIntegerField(blank=True, null=True)),
                    ('case_id', models.BigIntegerField(blank=True, null=True)),
                    ('changes', models.JSONField(blank=True, default=dict)),
                    ('prev_hash', models.CharField(max_length=64)),
                    ('hash', models.CharField(max_length=64)),
                ],
                options={
                    'db_table': 'governance_auditevent',
                    'ordering': ['organisation_id', 'sequence'],
                    'indexes': [models.Index(fields=['organisation_id', 'client_id', 'at'], name='audit_client_idx'), models.Index(fields=['organisation_id', 'case_id', 'at'], name='audit_case_idx')],
                    'constraints': [models.UniqueConstraint(fields=('organisation_id', 'sequence'), name='audit_sequence_unique_in_org')],
                },
            ),
            ],
        ),
    ]
