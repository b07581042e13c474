"""Settings for the test suite: the real settings with a throw-away key and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("HTTPS", "0")

from cadence.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Persistent connections would outlive the live server's threads and block dropping test DBs.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# SQLite: a file, not the default in-memory database, so that threads (the concurrency tests)
# share it through connections of their own. Named per process: several runs in one tree, and
# pytest-xdist's workers (which add "_gw0"…), never share or delete each other's database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"cadence-tests-{os.getpid()}.sqlite3")
    }
    # The throw-away database keeps its journal in memory and skips syncing to disk: faster,
    # and nothing is left behind (no -wal/-shm files) when a live server's thread still holds
    # a connection as the database is deleted.
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"]["OPTIONS"],  # noqa: F405
        "init_command": (
            "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
        ),
    }
# Tests see fresh figures; the cache itself is tested with override_settings.
ADHERENCE_CACHE_SECONDS = 0
# Webhook tests send to a receiver they start on 127.0.0.1 (webhooks.addresses).
WEBHOOKS_ALLOW_LOOPBACK = True
# No weekly digest by itself: tests that run every job at the real time would get one on the
# first day of the week. Its own tests turn it on (`settings.WEEKLY_DIGEST = True`).
WEEKLY_DIGEST = False
# The settings a process keeps (`cadence.kept`, `organisation.current`) stay as each test starts
# them (conftest: the defaults) for the whole test, however long its data takes to make on a
# loaded machine: expiring between two requests, they would add a read to the second and make
# its query count depend on the machine. A change made in the process is still seen at once.
ORGANISATION_SETTINGS_SECONDS = 24 * 3600
# WhiteNoise reads the collected static files (STATIC_ROOT, after `collectstatic`) when its
# middleware is made, and the test client makes it again for every client: with them collected,
# that scan was most of each request's time in a test (0.17 of 0.24 s in the authorization
# matrix). Looked up per request instead, as with DEBUG.
WHITENOISE_AUTOREFRESH = True
