"""Signing deliveries (docs/webhooks.md): HMAC-SHA256, keyed with the endpoint's secret (its
UTF-8 bytes, prefix included), over the timestamp (seconds since 1970, UTC), a full stop and the
body exactly as sent, in hexadecimal; sent as `Cadence-Signature: t=<timestamp>,v1=<hex>`.

The timestamp is part of what is signed, so a receiver that refuses signatures older than a few
minutes cannot be fed a delivery recorded earlier (a replay); every attempt is signed anew. `v1`
names the scheme: a later one would be sent beside it (`v1=…,v2=…`), so that receivers can move
on when they are ready.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Cadence-Signature"
TOLERANCE_SECONDS = 300


def digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Cadence-Signature` header's value."""
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver does (docs/webhooks.md): the header holds a `v1` signature of this body
    with this secret, made at most `tolerance` seconds from `now`."""
    timestamp, signatures = None, []
    for part in header.split(","):
        name, _sep, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, found) for found in signatures)
