"""WSGI entry point, as served by gunicorn in production: `gunicorn cadence.wsgi`."""

import gc
import logging
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadence.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after the application has set Django up

try:
    _key = settings.SECRET_KEY  # Django refuses an empty key; fail at start-up, not on a request
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (or DEBUG=1 for local development)."
    ) from error

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Before the first request: load the URLconf (every view's module, and with them every
    value kept per process) and read those values (`cadence.kept.read_all`), so that a new
    worker's first pages cost what later ones do (a conversation's page did three queries more,
    17 instead of 14). Then the connection is closed: a worker opens its own (gunicorn's
    --preload forks this process). A warm-up that fails (no database yet, before the first
    migrate) leaves everything to be read on first use, as before: a database that cannot be
    read says so in one line, anything else with its traceback."""
    from django.db import DatabaseError, connections
    from django.urls import get_resolver

    from cadence import kept

    try:
        get_resolver().url_patterns  # noqa: B018 - imports the views
        kept.read_all()
    except DatabaseError as error:
        logger.warning("Not warmed up: the database cannot be read yet (%s).", error)
    except Exception:  # see above: then read on first use
        logger.warning("Warming up the worker failed; going on without", exc_info=True)
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()


warm_up()

# Python's cyclic garbage collector, tuned for web workers (docs/performance.md): with its
# defaults, a page that builds many objects (Insights' tables: tens of thousands) set off a full
# collection every few requests, each scanning every object of the worker for about 100 ms,
# which was most of such pages' p95 (HR's Insights page: 11 in 80 requests). A full collection
# now waits for ten times as many younger ones, and what start-up made (modules, templates,
# settings: it lives as long as the worker) is set aside from every collection. The young
# generations keep their small default sizes, which measured best (a larger first generation
# made every page a little slower).
WEB_GC_THRESHOLD = (700, 10, 100)


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*WEB_GC_THRESHOLD)


tune_garbage_collector()
