"""The shared cast for tests, as in STYLE.md.

Engineering (team)             Sales (team)       People (team)
  carol  leader                  dave  peer         erin  HR (whole organisation)
    bob  manager (Platform)
      alice  employee (Platform)
frank: administrator of the installation, in no chain and not HR.
"""

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import TypeVar

import hypothesis
import pytest
from django.db import transaction

from access.models import HRRole
from cadence.kept import ALL as ALL_KEPT
from cadence.tests.client import BrowserClient
from people.models import Person, Team

T = TypeVar("T")

# No timed assertions in tests (speed is for `make bench`): Hypothesis would otherwise fail an
# example that takes over 200 ms, or data that is slow to generate, on a busy machine.
hypothesis.settings.register_profile(
    "cadence", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("cadence")


def make_person(email, name, **fields):
    return Person.objects.create_user(email, "correct horse battery", name=name, **fields)


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker):
    """The cast built once for a whole test module, for a module of many short cases (the
    authorization matrix): it is written in a transaction that stays open while the module's
    tests run and is rolled back after the last one. Each test still runs in a savepoint of its
    own (pytest-django's `db`), so its writes are undone before the next. Use it through a
    `cast` fixture in the module that hands each test a copy of its own, as Django's
    `TestCase.setUpTestData` does:

        @pytest.fixture
        def cast(db, module_cast):
            return copy.deepcopy(module_cast)
    """
    yield from built_for_the_module(django_db_blocker, build_cast)


def built_for_the_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture that writes what a whole module's tests read (the cast, a
    demo organisation): `build()` is written in a transaction that stays open while the
    module's tests run and is rolled back after the last one (or at once if building fails).
    Each test still runs in a savepoint of its own (pytest-django's `db`), so its writes are
    undone before the next:

        @pytest.fixture(scope="module")
        def module_org(django_db_setup, django_db_blocker):
            yield from built_for_the_module(django_db_blocker, lambda: build_demo(...))
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def demo_for_the_module(**options):
    """Fixtures `module_org` (the demo organisation `build_demo(**options)` builds, once for the
    module, `built_for_the_module`) and `org` (it, for a test in its own savepoint); in a test
    module: `module_org, org = demo_for_the_module(people=60, years=2, seed=3)`."""
    from people.demo import build_demo

    @pytest.fixture(scope="module")
    def module_org(django_db_setup, django_db_blocker):
        yield from built_for_the_module(django_db_blocker, lambda: build_demo(**options))

    @pytest.fixture
    def org(db, module_org):
        return module_org

    return module_org, org


def build_cast():
    engineering = Team.objects.create(name="Engineering")
    platform = Team.objects.create(name="Platform", parent=engineering)
    sales = Team.objects.create(name="Sales")
    people_team = Team.objects.create(name="People")
    carol = make_person(
        "carol@example.com", "Carol Leader", team=engineering, job_title="VP Engineering"
    )
    bob = make_person(
        "bob@example.com",
        "Bob Manager",
        team=platform,
        manager=carol,
        job_title="Engineering manager",
    )
    alice = make_person(
        "alice@example.com",
        "Alice Employee",
        team=platform,
        manager=bob,
        job_title="Software engineer",
        level=2,
    )
    dave = make_person("dave@example.com", "Dave Peer", team=sales, job_title="Account executive")
    erin = make_person("erin@example.com", "Erin HR", team=people_team, job_title="People partner")
    HRRole.objects.create(person=erin)
    frank = make_person("frank@example.com", "Frank Admin", is_staff=True, is_superuser=True)
    platform.lead = bob
    platform.save()
    engineering.lead = carol
    engineering.save()
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        erin=erin,
        frank=frank,
        engineering=engineering,
        platform=platform,
        sales=sales,
        people_team=people_team,
        password="correct horse battery",
    )


@pytest.fixture
def client():
    """The test client enforces CSRF and sends the token as a browser does (BrowserClient)."""
    return BrowserClient()


@pytest.fixture
def login(client):
    """Sign the test client in as someone: `login(cast.alice)`."""

    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """On PostgreSQL, end sessions that the live server's request threads may leave behind
    (a browser's idle keep-alive connection), so that the test database can be dropped."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


from cadence.tests.browser import browser_page  # noqa: E402,F401 - the shared browser fixture


@pytest.fixture(autouse=True)
def _default_organisation_settings():
    """Each test starts with the organisation's default settings, as kept by every process
    (`organisation.current`), without reading them: a test's database holds the defaults, and
    a query count must not depend on whether an earlier test read them."""
    from organisation import current

    current.assume()
    _assume_kept_defaults()
    yield
    current.forget()
    for kept in ALL_KEPT:
        kept.forget()


def _assume_kept_defaults() -> None:
    """The other kept settings (`cadence.kept`) as their defaults, without a query."""
    from goals.models import STALE_WEEKS, STALE_WEEKS_DEFAULT

    STALE_WEEKS.assume(STALE_WEEKS_DEFAULT)
    from accounts import sso

    sso.assume(None)  # single sign-on off


@pytest.fixture(autouse=True)
def _fresh_counts_sql(request):
    """Each test starts without the navigation counts' kept SQL (`cadence.waiting`): ids are
    reused from one test's rolled-back data to the next, and a query count must not depend on
    which tests ran before.

    Modules marked `shares_kept_sql` (the matrices: thousands of requests over one cast, no
    query counted) keep it from case to case, as a worker keeps it from request to request:
    the SQL depends only on its key (the viewer's state, the day, the settings it read), so a
    case answered from SQL another case compiled is the production path, and a key that left
    something out would fail there."""
    from cadence import waiting

    if request.node.get_closest_marker("shares_kept_sql") is None:
        waiting._COMPILED.clear()


@pytest.fixture(autouse=True)
def _fresh_published_frameworks():
    """Each test reads the competency framework's published versions afresh
    (`growth.queries` keeps them per process): ids are reused from one test's rolled-back data
    to the next."""
    from growth import queries

    queries._PUBLISHED.clear()


@pytest.fixture(autouse=True)
def _fresh_insights_snapshots():
    """Each test reads Insights' snapshots' data afresh (`insights.queries` keeps what it read
    per process, by chart and computation time): a test's data, rolled back, may have the
    same charts computed at the same (frozen) time as the next test's."""
    from insights import queries

    queries.forget_kept()
