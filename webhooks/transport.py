"""Sending one request: a POST of JSON to an address checked by `webhooks.addresses`, with the
standard library's HTTP client (no proxy from the environment, no redirect followed: a 3xx is
a failure), to the IP address that was checked, with the certificate checked against the host's
name. At most `TIMEOUT` seconds for the connection and each read and `TOTAL_SECONDS` for the
whole answer, of which at most `READ_MAX` bytes are read and `RESPONSE_KEPT` characters kept.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from webhooks import addresses
from webhooks.models import RESPONSE_KEPT

TIMEOUT = 5  # seconds to connect, and for each read
TOTAL_SECONDS = 15  # for the whole answer
READ_MAX = 64 * 1024
USER_AGENT = "Cadence-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer came
    body: str = ""  # the start of the answer's body
    error: str = ""  # why it failed ("" when it did not)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error


def _pinned(connection: http.client.HTTPConnection, ip: str) -> None:
    """Make `connection` connect to `ip` (checked), whatever its host name resolves to now; TLS
    still names and checks the host."""

    def create(
        address: tuple[str, int], timeout: Any = TIMEOUT, source: Any = None
    ) -> socket.socket:
        return socket.create_connection((ip, address[1]), timeout, source)

    connection._create_connection = create  # type: ignore[attr-defined] # http.client's hook


def _read(response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < READ_MAX and time.monotonic() < deadline:
        chunk = response.read(min(8192, READ_MAX - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` (JSON) to `url` with `headers`; the answer, or why there was none."""
    refused = addresses.problem(url)
    if refused is not None:
        return Answer(None, error=refused)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        ips = addresses.resolve(host, port)
    except addresses.AddressRefused as error:
        return Answer(None, error=str(error))
    except (OSError, UnicodeError):
        return Answer(None, error=_("The address's host name was not found."))
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    _pinned(connection, ips[0])
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Connection": "close",
        **headers,
    }
    deadline = time.monotonic() + TOTAL_SECONDS
    try:
        connection.request("POST", target, body=body, headers=sent)
        response = connection.getresponse()
        data = _read(response, deadline)
    except TimeoutError:
        return Answer(None, error=_("No answer within %(seconds)s seconds.") % {"seconds": TIMEOUT})
    except ssl.SSLError as error:
        return Answer(None, error=_("The secure connection failed: %(reason)s") % {"reason": error})
    except (OSError, http.client.HTTPException) as error:
        return Answer(
            None, error=_("The connection failed: %(reason)s") % {"reason": type(error).__name__}
        )
    finally:
        connection.close()
    text = data.decode("utf-8", "replace")[:RESPONSE_KEPT]
    status = response.status
    if 300 <= status < 400:
        return Answer(status, text, _("Redirects are not followed: answer at the address itself."))
    if not 200 <= status < 300:
        return Answer(status, text, _("The answer was not a success (2xx)."))
    return Answer(status, text)
