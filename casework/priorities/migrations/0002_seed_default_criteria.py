"""Give organisations that existed before priorities the default criteria and settings."""

from django.db import migrations


def seed(apps, schema_editor):
    from casework.priorities import engine

    Organisation = apps.get_model("accounts", "Organisation")
    PrioritySettings = apps.get_model("priorities", "PrioritySettings")
    PriorityCriterion = apps.get_model("priorities", "PriorityCriterion")
    for organisation in Organisation.objects.all():
        PrioritySettings.objects.get_or_create(organisation=organisation)
        if PriorityCriterion.objects.filter(organisation=organisation).exists():
            continue
        PriorityCriterion.objects.bulk_create(
            PriorityCriterion(
                organisation=organisation, code=str(c.id), name=c.name, kind=c.kind, params=dict(c.params),
                points=c.points, axis=c.axis, position=index,
            )
            for index, c in enumerate(engine.default_criteria())
        )


class Migration(migrations.Migration):
    dependencies = [("priorities", "0001_initial"), ("accounts", "0002_data_protection_role")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
