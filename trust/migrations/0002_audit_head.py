from django.db import migrations, models


def head_of_the_chain(apps, schema_editor):
    """Entries written before the head existed: the head starts where they end."""
    entry = apps.get_model("trust", "AuditEntry")
    last = entry.objects.order_by("-id").first()
    if last is not None:
        apps.get_model("trust", "AuditHead").objects.create(
            pk=1, count=entry.objects.count(), hash=last.hash, entry_id=last.pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
                ("entry_id", models.BigIntegerField(null=True)),
            ],
            options={
                "verbose_name": "audit log head",
            },
        ),
        migrations.RunPython(head_of_the_chain, migrations.RunPython.noop),
    ]
