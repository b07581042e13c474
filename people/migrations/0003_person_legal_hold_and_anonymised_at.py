"""A person's legal hold (with its reason and since when) and when they were anonymised
(`trust.erasure`).

On SQLite, Django adds a NOT NULL column by rebuilding the table, which drops the triggers on
`people_person` (the directory search's and the rhythm tallies'); there the columns are added
with ALTER TABLE, which keeps them. PostgreSQL adds them the usual way.
"""

from django.db import migrations, models

FIELDS = [
    ("legal_hold", models.BooleanField(default=False, editable=False, verbose_name="legal hold")),
    (
        "legal_hold_reason",
        models.CharField(
            blank=True, editable=False, max_length=300, verbose_name="reason for the legal hold"
        ),
    ),
    ("legal_hold_since", models.DateTimeField(blank=True, editable=False, null=True)),
    (
        "anonymised_at",
        models.DateTimeField(blank=True, editable=False, null=True, verbose_name="anonymised"),
    ),
]
SQLITE_COLUMNS = {
    "legal_hold": "bool NOT NULL DEFAULT 0",
    "legal_hold_reason": "varchar(300) NOT NULL DEFAULT ''",
    "legal_hold_since": "datetime NULL",
    "anonymised_at": "datetime NULL",
}


def add_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, definition in SQLITE_COLUMNS.items():
            schema_editor.execute(f'ALTER TABLE people_person ADD COLUMN "{name}" {definition}')
        return
    person = apps.get_model("people", "Person")
    for name, field in FIELDS:
        field = field.clone()
        field.set_attributes_from_name(name)
        schema_editor.add_field(person, field)


def remove_columns(apps, schema_editor):
    for name in reversed(SQLITE_COLUMNS):
        schema_editor.execute(f'ALTER TABLE people_person DROP COLUMN "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_search_text")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="person", name=name, field=field)
                for name, field in FIELDS
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        )
    ]
