"""The secrets webhooks keep: an endpoint's signing secret and a channel's address.

Cadence must sign every delivery with the endpoint's secret, so it cannot keep a digest only
(as it does for API tokens): it keeps the secret sealed (`cadence.sealing`: AES-GCM with a key
derived from SECRET_KEY for this purpose alone, bound to the endpoint's row), so that a copy of
the database (a backup, a dump) does not let anyone forge deliveries, and it is shown once, when
it is made. A chat channel's incoming-webhook address lets whoever holds it post to the channel:
it is sealed the same way and shown only as its host and last characters.

Rotating SECRET_KEY keeps them readable while the old key is in SECRET_KEY_FALLBACKS; after that
a delivery fails with "its secret cannot be opened" until an administrator rolls the secret (or
the channel's address is entered again).
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit

from cadence.sealing import Sealer

SECRET_PREFIX = "whsec_"  # noqa: S105 - says what a secret is, not one
SECRET_HINT = len(SECRET_PREFIX) + 4

_SECRETS = Sealer(b"cadence webhook endpoint secret v1")
_ADDRESSES = Sealer(b"cadence chat channel address v1")


def new_secret() -> str:
    """A new signing secret: 256 random bits, URL-safe, with a prefix that says what it is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hint(secret: str) -> str:
    return secret[:SECRET_HINT]


def seal_secret(key: uuid.UUID, secret: str) -> bytes:
    return _SECRETS.seal(0, key, {"secret": secret})


def open_secret(key: uuid.UUID, sealed: bytes | memoryview) -> str:
    """The endpoint's secret; `cadence.sealing.SealError` when no key opens it."""
    return str(_SECRETS.unseal(0, key, sealed)["secret"])


def seal_address(key: uuid.UUID, url: str) -> bytes:
    return _ADDRESSES.seal(0, key, {"url": url})


def open_address(key: uuid.UUID, sealed: bytes | memoryview) -> str:
    return str(_ADDRESSES.unseal(0, key, sealed)["url"])


def address_hint(url: str) -> str:
    """ "hooks.slack.com/…a1b2": where it goes, without what lets anyone post there."""
    parts = urlsplit(url)
    tail = url.rstrip("/")[-4:]
    return f"{parts.hostname or ''}/…{tail}"
