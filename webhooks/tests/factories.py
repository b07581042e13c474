"""Small helpers that make endpoints and channels for tests, through the services (so that the
secret is sealed and the audit log written as in use)."""

from access.viewer import Viewer
from cadence import events
from webhooks import services


def make_endpoint(admin, url, kinds=None, **fields):
    """An endpoint made by the administrator `admin`: (endpoint, secret)."""
    return services.add_endpoint(
        Viewer(admin), url=url, events=list(kinds or events.KINDS), **fields
    )


def make_channel(by, team, url, kind="slack", praise=True, digest=True):
    return services.save_channel(
        Viewer(by), team, kind=kind, url=url, praise=praise, digest_on=digest
    )
