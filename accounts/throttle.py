"""Sign-in throttling: password guessing is slowed down, and nobody can lock anyone else out.

The design is OWASP's "device cookies" with exponential back-off:

- A browser in which someone signed in successfully gets a *device cookie*: signed, naming
  the address (by a keyed hash) and a random device id. From then on it is a *trusted
  browser* for that address.
- Every failed sign-in is recorded (`LoginFailure`) with the address tried (whether or not
  anyone has it), the client (its IP address; an IPv6 client by its /64 network, which one
  subscriber usually has whole) and the device id when it came from a trusted browser.
- Before a password is even checked, the attempt's failures in the last
  `LOGIN_FAILURE_WINDOW_MINUTES` are counted, in one query, per *bucket*:

  ============================  ==================================  =============================
  bucket                        counts failures                     allowed before waiting
  ============================  ==================================  =============================
  trusted browser               of this device id for this address  `LOGIN_FAILURE_LIMIT`
  address from this client      untrusted, this address, this IP    `LOGIN_FAILURE_LIMIT`
  address                       untrusted, this address, any IP     `LOGIN_ADDRESS_FAILURE_LIMIT`
  client                        untrusted, this IP, any address     `LOGIN_CLIENT_FAILURE_LIMIT`
  ============================  ==================================  =============================

  A trusted browser counts only in its own bucket; an untrusted one in the other three. Once
  a bucket is full, each attempt waits `LOGIN_BACKOFF_SECONDS` after its last failure,
  doubled for every further failure, at most `LOGIN_BACKOFF_MAX_MINUTES`. An attempt that
  must wait checks no password and counts nothing. The window (a day) is much longer than the
  longest wait, so that a patient guesser gets about one guess per longest wait, not a
  fresh allowance every window.

So an attacker who hammers Alice's address slows down only untrusted clients: Alice signs
in from her own browser as always, with her own small budget for typing mistakes. One client
trying many addresses (password spraying) is slowed down after `LOGIN_CLIENT_FAILURE_LIMIT`,
and many clients guessing one address after `LOGIN_ADDRESS_FAILURE_LIMIT`. What remains: while
an address is under attack from many places, its owner waits on a browser they never signed in
with before.

The client is REMOTE_ADDR; behind proxies, `TRUST_X_FORWARDED_FOR` says how many of them
append to X-Forwarded-For, and the client is that many entries from its end (entries further
left are the client's own word).

Why not django-axes: it locks an address, an IP or both together, so either the owner is locked
out by anyone or many IPs may guess one address; it has no trusted browsers, and its cool-off
is a flat wait. This is one module, one table and one query per attempt.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Aggregate, Count, Max, Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from accounts.models import LoginFailure

DEVICE_COOKIE = "cadence_device"
DEVICE_SALT = "accounts.throttle.device"
DEVICES_PER_BROWSER = 5  # the people who last signed in with one browser
UNKNOWN_CLIENT = "unknown"


def normalise(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def client_of(request: HttpRequest) -> str:
    """The client's IP address (an IPv6 one as its /64 network), as the throttle counts it."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUST_X_FORWARDED_FOR
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_CLIENT
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# --- Trusted browsers -------------------------------------------------------------------------


def _address_key(email: str) -> str:
    """The address as the cookie names it: a keyed hash, so that the cookie shows no address."""
    return salted_hmac(DEVICE_SALT, normalise(email)).hexdigest()[:32]


def _devices(request: HttpRequest) -> dict[str, str]:
    """Address key → device id, from the browser's device cookie (nothing when forged or old)."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return {}
    try:
        entries = signing.loads(
            raw, salt=DEVICE_SALT, max_age=timedelta(days=settings.LOGIN_DEVICE_COOKIE_DAYS)
        )
    except signing.BadSignature:
        return {}
    if not isinstance(entries, list):
        return {}
    return {
        key: device
        for key, device in (entry for entry in entries if isinstance(entry, list))
        if isinstance(key, str) and isinstance(device, str)
    }


def trusted_device(request: HttpRequest, email: str) -> str:
    """The device id of this browser for this address, or "" when it is not trusted for it."""
    return _devices(request).get(_address_key(email), "")


def remember_device(request: HttpRequest, response: HttpResponseBase, email: str) -> None:
    """After a successful sign-in: this browser is trusted for this address from now on."""
    devices = _devices(request)
    key = _address_key(email)
    device = devices.pop(key, "") or secrets.token_hex(16)
    entries = [[key, device], *([k, d] for k, d in devices.items())][:DEVICES_PER_BROWSER]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(entries, salt=DEVICE_SALT, compress=True),
        max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Attempts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    email: str
    client: str
    device: str  # "" unless the browser is trusted for this address

    @classmethod
    def of(cls, request: HttpRequest, email: str) -> Attempt:
        return cls(normalise(email), client_of(request), trusted_device(request, email))

    def buckets(self) -> dict[str, tuple[Q, int]]:
        """Name → (which failures count, how many are allowed before waiting)."""
        if self.device:
            return {
                "device": (Q(email=self.email, device=self.device), settings.LOGIN_FAILURE_LIMIT)
            }
        untrusted = Q(device="")
        return {
            "address_client": (
                untrusted & Q(email=self.email, client=self.client),
                settings.LOGIN_FAILURE_LIMIT,
            ),
            "address": (untrusted & Q(email=self.email), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
            "client": (untrusted & Q(client=self.client), settings.LOGIN_CLIENT_FAILURE_LIMIT),
        }


def window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def backoff(failures: int, limit: int) -> timedelta:
    """The wait after the last failure once `failures` reached `limit`: doubling each time."""
    doublings = min(failures - limit, 32)
    longest = timedelta(minutes=settings.LOGIN_BACKOFF_MAX_MINUTES)
    return min(timedelta(seconds=settings.LOGIN_BACKOFF_SECONDS * 2**doublings), longest)


def wait_before(
    attempt: Attempt, now: datetime | None = None, reservation: int | None = None
) -> timedelta | None:
    """How long this attempt must wait before its password is checked, or None: go ahead.
    `reservation`: the attempt's own row (`reserve`), which does not count against it."""
    now = now or timezone.now()
    buckets = attempt.buckets()
    figures: dict[str, Aggregate] = {}
    for name, (condition, _limit) in buckets.items():
        figures[f"{name}_count"] = Count("pk", filter=condition)
        figures[f"{name}_last"] = Max("at", filter=condition)
    mine = (
        Q(email=attempt.email)
        if attempt.device
        else Q(email=attempt.email) | Q(client=attempt.client)
    )
    failures = LoginFailure.objects.filter(mine, at__gte=now - window())
    if reservation is not None:
        failures = failures.exclude(pk=reservation)
    counted = failures.aggregate(**figures)
    waits = []
    for name, (_condition, limit) in buckets.items():
        failures = counted[f"{name}_count"]
        if failures >= limit:
            until = counted[f"{name}_last"] + backoff(failures, limit)
            if until > now:
                waits.append(until - now)
    return max(waits, default=None)


def reserve(attempt: Attempt, now: datetime | None = None) -> int:
    """Count the attempt as a failure before its password is checked (and `release` it when
    the password is right, or when it must wait): attempts sent at the same moment each see
    the others' rows, so a burst cannot slip past the limits while passwords are hashed."""
    now = now or timezone.now()
    row = LoginFailure.objects.create(
        email=attempt.email, client=attempt.client, device=attempt.device, at=now
    )
    return row.pk


def release(reservation: int) -> None:
    LoginFailure.objects.filter(pk=reservation).delete()


def record_success(attempt: Attempt) -> None:
    """A trusted browser's typing mistakes are forgiven once its person is in."""
    if attempt.device:
        LoginFailure.objects.filter(email=attempt.email, device=attempt.device).delete()


def prune(now: datetime | None = None) -> int:
    """Forget failures that no longer count. Safe to run at any time, and beside itself."""
    now = now or timezone.now()
    deleted, _by_model = LoginFailure.objects.filter(at__lt=now - window()).delete()
    return deleted


def wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# --- Signing in with the identity provider (accounts.views_sso) -------------------------------


@dataclass(frozen=True)
class ClientAttempt(Attempt):
    """A sign-in with the identity provider: no address is typed, so only the client's bucket
    counts (its failures with passwords too). Never an address's: failures nobody can tie to
    an address must not make anyone's sign-in wait."""

    def buckets(self) -> dict[str, tuple[Q, int]]:
        return {"client": (Q(device="", client=self.client), settings.LOGIN_CLIENT_FAILURE_LIMIT)}


def client_wait(request: HttpRequest) -> timedelta | None:
    """How long this client must wait before signing in with the identity provider, or None."""
    return wait_before(ClientAttempt("", client_of(request), ""))


def record_client_failure(request: HttpRequest) -> None:
    """A sign-in with the identity provider refused: a failure of the client, of no address."""
    LoginFailure.objects.create(email="", client=client_of(request), device="")
    prune()
