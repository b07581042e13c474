"""How Cadence talks to its database: on PostgreSQL, without JIT compiling (a page's queries
are short; compiling one cost more than running it)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_runs_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
