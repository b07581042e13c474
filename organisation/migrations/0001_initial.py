import datetime

import django.db.models.deletion
from django.db import migrations, models

import people.models


def create_row(apps, schema_editor):
    """The one row of settings, with the defaults."""
    apps.get_model("organisation", "OrgSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0003_person_legal_hold_and_anonymised_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrgSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="Shown in the page titles and e-mails. Empty: “Cadence”.",
                        max_length=100,
                        verbose_name="organisation name",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("nl", "Dutch")],
                        default="en",
                        help_text="For e-mails and pages of people who have not chosen a language.",
                        max_length=10,
                        verbose_name="default language",
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        default="UTC",
                        help_text="Given to people added from now on; each person can change their own.",
                        max_length=64,
                        validators=[people.models.validate_time_zone],
                        verbose_name="default time zone",
                    ),
                ),
                (
                    "modules_off",
                    models.JSONField(blank=True, default=list, verbose_name="modules switched off"),
                ),
                (
                    "pilot",
                    models.BooleanField(
                        default=False, verbose_name="run a pilot in some teams only"
                    ),
                ),
                (
                    "set_up_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="set up at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "organisation settings",
                "verbose_name_plural": "organisation settings",
            },
        ),
        migrations.CreateModel(
            name="PilotTeam",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "since",
                    models.DateField(
                        default=datetime.date.today, verbose_name="in the pilot since"
                    ),
                ),
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pilot",
                        to="people.team",
                        verbose_name="team",
                    ),
                ),
            ],
            options={
                "verbose_name": "pilot team",
                "verbose_name_plural": "pilot teams",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
