"""How Cadence talks to its database: on PostgreSQL, without JIT compiling (a page's queries
are short; compiling one cost more than running it); on SQLite, with connections kept between
requests and a larger page cache."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_runs_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_in_production_keeps_its_connections_and_a_larger_page_cache(tmp_path):
    """Read from the production settings in a process of their own (the test settings close
    connections after each request, for the live server's threads)."""
    script = (
        "import json; from cadence import settings as s; "
        "d = s.DATABASES['default']; "
        "print(json.dumps([d['CONN_MAX_AGE'], d['OPTIONS']['init_command']]))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "cadence.settings",
    }
    env.pop("CONN_MAX_AGE", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    max_age, init = json.loads(done.stdout)
    assert max_age == 60
    assert "cache_size=-16000" in init and "journal_mode=WAL" in init
