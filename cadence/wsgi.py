"""WSGI entry point, as served by gunicorn in production: `gunicorn cadence.wsgi`."""

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
