"""Links to the site for e-mail and calendar feeds: built from `SITE_URL` as configured,
never from the host a request came through (an e-mail is sent by a worker, with no request)."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """The site's address without a trailing slash: "https://cadence.example.com"."""
    return settings.SITE_URL.rstrip("/")


def site_link(path: str) -> str:
    """An absolute address for a path on the site: `site_link(goal.get_absolute_url())`."""
    return site_url() + path


def site_host() -> str:
    """The site's host name, e.g. for calendar event UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "cadence"
