"""WSGI entry point, as served by gunicorn in production: `gunicorn cadence.wsgi`."""

import gc
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
