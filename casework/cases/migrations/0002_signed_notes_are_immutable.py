"""Signed case notes can never be updated, whatever code path tries (PC17, K6).

Deletion stays possible so that records past retention can be disposed of.
"""

from django.db import migrations

from casework.dbtriggers import refuse


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        refuse(
            ["cases_noteversion", "cases_casenote"],
            ["UPDATE"],
            "signed case notes cannot be edited; record an amendment",
        )
    ]
