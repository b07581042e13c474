"""Directory search: finding people by part of their name, e-mail address, job title or team.

One door whatever the database, so that pages never know the vendor:

- Every person carries `search_text`, their name, address, job title and team's name, lower
  case and without accents (`normalise`). `people.models` keeps it in step: on save, in bulk
  creates and updates, and when a team is renamed (`refresh`).
- PostgreSQL indexes it with a trigram GIN index (pg_trgm): `LIKE '%ann%'` is an index look-up,
  not a scan of every person.
- SQLite indexes it with an FTS5 table using the trigram tokenizer
  (`people_person_search`, kept in step by triggers on `people_person`).

Both built by `people/migrations/0002_person_search_text.py`. A word of fewer than three letters
has no trigram, so it is matched with a plain `LIKE` next to the longer words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from people.models import Person

FTS_TABLE = "people_person_search"
TRIGRAM = 3  # the shortest word a trigram index can look up
MAX_WORDS = 8
SOURCE_FIELDS = frozenset({"name", "email", "job_title", "team"})


def normalise(text: str) -> str:
    """Lower case, accents off, spaces collapsed: "  José  Núñez" -> "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def search_text_of(name: str, email: str, job_title: str, team_name: str | None) -> str:
    return normalise(" ".join((name, email, job_title, team_name or "")))


def words_of(query: str) -> list[str]:
    return normalise(query).split()[:MAX_WORDS]


def matching(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """`people` whose name, e-mail address, job title or team contains every word of `query`
    (in any case, with or without accents)."""
    words = words_of(query)
    short = [word for word in words if len(word) < TRIGRAM]
    long = [word for word in words if len(word) >= TRIGRAM]
    if long and connections[people.db].vendor == "sqlite":
        # A phrase of the trigram tokenizer matches a substring; quotes are doubled in it.
        phrase = " AND ".join('"{}"'.format(word.replace('"', '""')) for word in long)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        people = people.filter(pk__in=RawSQL(sql, (phrase,)))  # noqa: S611 (a parameter)
        long = []
    for word in long + short:
        people = people.filter(search_text__contains=word)
    return people


def refresh(people: Iterable[Person]) -> list[Person]:
    """Work out `search_text` for people about to be bulk-written; the team's name is read in
    one query for those whose team is not loaded."""
    from people.models import Person, Team

    people = list(people)
    team_field = Person._meta.get_field("team")
    unloaded = {
        p.team_id
        for p in people
        if p.team_id is not None and not (team_field.is_cached(p) and p.team is not None)
    }
    names = dict(Team.objects.filter(pk__in=unloaded).values_list("pk", "name")) if unloaded else {}
    for person in people:
        if person.team_id is None:
            team_name = None
        elif person.team_id in names:
            team_name = names[person.team_id]
        else:
            team_name = person.team.name if person.team is not None else None
        person.search_text = search_text_of(person.name, person.email, person.job_title, team_name)
    return people


def refresh_team(team_ids: Iterable[int]) -> None:
    """A team was renamed: its members' `search_text` follows."""
    from people.models import Person

    members = Person.objects.filter(team_id__in=list(team_ids)).select_related("team")
    members = members.only("name", "email", "job_title", "team__name", "search_text")
    Person.objects.bulk_update(refresh(members), ["search_text"], batch_size=500)


def purge_replaced() -> None:
    """Make the index forget texts that were replaced (erasure, `trust.erasure`). SQLite's FTS5
    keeps a replaced row's old words in its older segments until they are merged: 'optimize'
    merges them now. PostgreSQL's trigram index drops old row versions when the table is
    vacuumed (autovacuum), as the table itself does; there is nothing to do here."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"  # noqa: S608
            )
