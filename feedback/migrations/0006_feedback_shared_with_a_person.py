"""Feedback shared with a manager is shared with that person: `shared_with` names them.

Existing shares go to the receiver's manager of today (the person who could read them until
now); a share by someone who has no manager any more had no reader and is taken back.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def name_the_manager(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    Person = apps.get_model("people", "Person")
    shared = Feedback.objects.filter(shared_with_manager_at__isnull=False)
    manager = Person.objects.filter(pk=OuterRef("receiver_id")).values("manager_id")[:1]
    shared.update(shared_with_id=Subquery(manager))
    shared.filter(shared_with__isnull=True).update(shared_with_manager_at=None)


def forget_the_manager(apps, schema_editor):
    pass  # the field goes away with the reverse of AddField


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_vacuum_rewritten_answers"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="shared_with",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="feedback_shared_with_me",
                to=settings.AUTH_USER_MODEL,
                verbose_name="shared with",
            ),
        ),
        migrations.RunPython(name_the_manager, forget_the_manager, elidable=True),
    ]
