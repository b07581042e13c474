"""One open assessment per person at a time, in the database: a partial unique constraint on
the subject of the assessments not closed.

The services already refused a second one, but two starts at once (a manager's and HR's round)
could both pass that check. Before the constraint is added, where a person has more than one
open, the newest stays open and the others are closed as of now: nothing of them is removed,
and their ratings stay as they were.
"""

from django.db import migrations, models
from django.utils import timezone


BATCH = 1000


def close_all_but_the_newest_open(apps, schema_editor):
    Assessment = apps.get_model("growth", "Assessment")
    open_ones = Assessment.objects.filter(closed_at__isnull=True).order_by(
        "subject_id", "-created_at", "-pk"
    )
    seen = set()
    older = []
    for pk, subject in open_ones.values_list("pk", "subject_id").iterator(chunk_size=BATCH):
        if subject in seen:
            older.append(pk)
        seen.add(subject)
    now = timezone.now()
    for start in range(0, len(older), BATCH):
        Assessment.objects.filter(pk__in=older[start : start + BATCH]).update(closed_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0002_assessments"),
    ]

    operations = [
        migrations.RunPython(close_all_but_the_newest_open, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True)),
                fields=("subject",),
                name="growth_one_open_assessment",
            ),
        ),
    ]
