"""WSGI entry point, as served by gunicorn in production: `gunicorn cadence.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadence.settings")

application = get_wsgi_application()
