"""The directory search's text and its index (people.search).

`search_text` is filled for everyone already there; then, per database:
- PostgreSQL: the pg_trgm extension and a trigram GIN index on `search_text`;
- SQLite: an FTS5 table with the trigram tokenizer over `search_text` (external content, so the
  text is stored once) and the triggers that keep it in step with `people_person`.
"""

import unicodedata

from django.db import migrations, models

BATCH = 2000


def _normalise(text):
    # people.search.normalise as of this migration (migrations do not import app code).
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def fill_search_text(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Team = apps.get_model("people", "Team")
    db = schema_editor.connection.alias
    teams = dict(Team.objects.using(db).values_list("pk", "name"))
    rows = Person.objects.using(db).order_by("pk").only("name", "email", "job_title", "team_id")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        for person in batch:
            parts = (person.name, person.email, person.job_title, teams.get(person.team_id, ""))
            person.search_text = _normalise(" ".join(parts))
        Person.objects.using(db).bulk_update(batch, ["search_text"])
        last = batch[-1].pk


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX person_search_trgm_idx ON people_person USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS person_search_trgm_idx"]

SQLITE = [
    "CREATE VIRTUAL TABLE people_person_search USING fts5("
    "search_text, content='people_person', content_rowid='id', tokenize='trigram')",
    "INSERT INTO people_person_search(people_person_search) VALUES ('rebuild')",
    "CREATE TRIGGER people_person_search_ai AFTER INSERT ON people_person BEGIN "
    "INSERT INTO people_person_search(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "CREATE TRIGGER people_person_search_ad AFTER DELETE ON people_person BEGIN "
    "INSERT INTO people_person_search(people_person_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "END",
    "CREATE TRIGGER people_person_search_au AFTER UPDATE OF search_text ON people_person BEGIN "
    "INSERT INTO people_person_search(people_person_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO people_person_search(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS people_person_search_au",
    "DROP TRIGGER IF EXISTS people_person_search_ad",
    "DROP TRIGGER IF EXISTS people_person_search_ai",
    "DROP TABLE IF EXISTS people_person_search",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
