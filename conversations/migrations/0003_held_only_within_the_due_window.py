"""The due window opens before the due date as it closes after it (`GRACE_DAYS` each way), and
a conversation held before its window opens is not on time.

Before, one participant's sign-off marked a conversation held on that day, even months before
it was due (a development conversation due in January "held" in December). Such rows cannot be
told apart from a real early meeting, and their next conversation is already scheduled from
them, so they stay held; but they no longer count as held on time in rhythm adherence.
"""

from datetime import timedelta

from django.db import migrations

GRACE_DAYS = {"check_in": 7, "quarterly": 14, "development": 21, "one_on_one": 0}
BATCH = 1000


def held_before_the_window_is_not_on_time(apps, schema_editor):
    Conversation = apps.get_model("conversations", "Conversation")
    held = Conversation.objects.filter(status="held", held_on__isnull=False, held_in_window=True)
    early = [
        pk
        for pk, kind, due_date, held_on in held.values_list(
            "pk", "kind", "due_date", "held_on"
        ).iterator(chunk_size=BATCH)
        if held_on < due_date - timedelta(days=GRACE_DAYS[kind])
    ]
    for start in range(0, len(early), BATCH):
        Conversation.objects.filter(pk__in=early[start : start + BATCH]).update(
            held_in_window=False
        )


def early_holding_was_on_time(apps, schema_editor):
    Conversation = apps.get_model("conversations", "Conversation")
    held = Conversation.objects.filter(status="held", held_on__isnull=False, held_in_window=False)
    on_time = [
        pk
        for pk, kind, due_date, held_on in held.values_list(
            "pk", "kind", "due_date", "held_on"
        ).iterator(chunk_size=BATCH)
        if held_on <= due_date + timedelta(days=GRACE_DAYS[kind])
    ]
    for start in range(0, len(on_time), BATCH):
        Conversation.objects.filter(pk__in=on_time[start : start + BATCH]).update(
            held_in_window=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0002_held_in_window"),
    ]

    operations = [
        migrations.RunPython(held_before_the_window_is_not_on_time, early_holding_was_on_time),
    ]
