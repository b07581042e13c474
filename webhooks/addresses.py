"""Where Cadence may send webhooks and chat messages: HTTPS addresses on the public internet.

Cadence sends from inside the organisation's network, so an address an administrator or a lead
types must not reach what only that network reaches (server-side request forgery): the cloud's
metadata service, a database's admin page, the machine itself.

- `problem(url)`, when an address is registered: HTTPS, a host, no user name or password, and,
  where the host is written as an IP address, a public one. Plain HTTP only to this machine
  (127.0.0.1, ::1, localhost), and that only where `WEBHOOKS_ALLOW_LOOPBACK` is set: under
  DEBUG and in the tests, never in production.
- `resolve(host, port)`, each time one is sent: every address the name resolves to must be
  public. The connection is then made to the address checked (`webhooks.transport`), not to the
  name looked up again, so that a name cannot answer a public address to the check and a
  private one to the connection (DNS rebinding).

Refused: private, loopback, link-local (169.254.169.254), shared (100.64/10), multicast,
reserved and unspecified addresses, in IPv4 and IPv6, an IPv4 address inside an IPv6 one too.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from webhooks.models import URL_MAX

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class AddressRefused(Exception):
    """The address may not be sent to; `str()` says why, for the delivery log."""


def loopback_allowed() -> bool:
    """Plain HTTP to this machine: under DEBUG and in the tests (`WEBHOOKS_ALLOW_LOOPBACK`)."""
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False))


def _embedded(ip: IP) -> IP:
    """The IPv4 address inside an IPv6 one (mapped, 6to4, Teredo), else the address itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return inner
    return ip


def is_public(ip: IP) -> bool:
    ip = _embedded(ip)
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _is_loopback(ip: IP) -> bool:
    return _embedded(ip).is_loopback


def _literal(host: str) -> IP | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback_host(host: str) -> bool:
    ip = _literal(host)
    return host.lower().rstrip(".") in LOOPBACK_NAMES if ip is None else _is_loopback(ip)


def problem(url: str) -> str | None:
    """Why `url` may not be registered, or None."""
    whole = _("Enter the whole address, starting with https://.")
    if not url or len(url) > URL_MAX or any(c.isspace() or ord(c) < 32 for c in url):
        return whole
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return whole
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        return whole
    if parts.username is not None or parts.password is not None:
        return _("An address may not hold a user name or password.")
    loopback = is_loopback_host(host)
    if loopback and not loopback_allowed():
        return _("This address is Cadence's own machine: give a public HTTPS address.")
    if parts.scheme != "https" and not loopback:
        return _("Only HTTPS addresses are allowed.")
    ip = _literal(host)
    if ip is not None and not loopback and not is_public(ip):
        return _("This address is in a private network: Cadence sends to public addresses only.")
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses to connect to for `host`, each checked; `AddressRefused` when one of them
    is not public (loopback ones allowed where `loopback_allowed`), `OSError` when the name is
    not found."""
    found: list[str] = []
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0]).split("%")[0]
        ip = ipaddress.ip_address(address)
        if not is_public(ip) and not (loopback_allowed() and _is_loopback(ip)):
            raise AddressRefused(
                _("%(host)s is in a private network (%(address)s): not sent.")
                % {"host": host, "address": address}
            )
        if address not in found:
            found.append(address)
    if not found:
        raise OSError(f"{host} has no address")
    return found
