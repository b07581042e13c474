"""The sessions people are signed in with, so that each person sees theirs and can end them.

A `SignedInSession` row is written when someone signs in (`user_logged_in`), and removed when
they sign out (`user_logged_out`), when the session's key changes (signing in again in the
same browser: the old session is gone from the store), and when the session is ended from
another device. Its last activity is kept by `SessionActivityMiddleware`, at most once every
`TOUCH_EVERY` per session and process, so that most requests pay no query: when it was last
noted is remembered in the cache, not in the database. The list shows the rows whose session
the store still holds (one query for all), so an expired session is not shown; rows unused
for longer than a session lasts are deleted (`prune`, in `run_jobs`).

Rows are found by a hash of the session key. To end a session the key itself is needed (the
session store is keyed by it), so the row also keeps it sealed: AES-GCM under a key derived
from SECRET_KEY (as `feedback.reviewing` seals answers), bound to the row's hash. A reader of
the database alone cannot take over a session from this table.

A new password or a confirmed new address ends every session of the person (Django's session
hash already refuses them; here they also leave the store and the list); changing one's own
password keeps the session it is changed in (`accounts.views.ChangePasswordView`).
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import os
from datetime import datetime, timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, SignedInSession
from accounts.throttle import UNKNOWN_CLIENT, client_of

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person

TOUCH_EVERY = timedelta(minutes=5)
KEY_INFO = b"cadence accounts: session keys v1"
NONCE_BYTES = 12
USER_AGENT_MAX = 300


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


# --- Sealing the key --------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _cipher_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(
        secret.encode()
    )


def seal(session_key: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_cipher_key(settings.SECRET_KEY)).encrypt(
        nonce, session_key.encode(), key_hash(session_key).encode()
    )
    return nonce + sealed


def unseal(row: SignedInSession) -> str | None:
    """The session key, or None when no key opens it (SECRET_KEY changed: the session is
    unreadable to the store then anyway)."""
    data = bytes(row.sealed_key)
    nonce, sealed = data[:NONCE_BYTES], data[NONCE_BYTES:]
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return (
                AESGCM(_cipher_key(secret)).decrypt(nonce, sealed, row.key_hash.encode()).decode()
            )
        except InvalidTag:
            continue
    return None


def _store(session_key: str | None = None) -> SessionBase:
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return store


# --- Where from -------------------------------------------------------------------------------


def network_of(request: HttpRequest) -> str:
    """The client's address, shortened so that it says roughly where, not who: an IPv4
    address's first three parts ("203.0.113.*"), an IPv6 address's first three groups."""
    client = client_of(request)
    if client == UNKNOWN_CLIENT:
        return ""
    try:
        address = ipaddress.ip_network(client, strict=False).network_address
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv4Address):
        return ".".join(str(address).split(".")[:3]) + ".*"
    groups = address.exploded.split(":")[:3]
    return ":".join(f"{int(group, 16):x}" for group in groups) + ":*"


BROWSERS = (  # (what the user agent says, the browser's name), the first that matches
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-", "Python"),
    ("Python-", "Python"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_of(user_agent: str) -> str:
    """The browser and system a user agent names, in plain words: "Firefox on Windows"."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("An unknown browser")


# --- Tracking ---------------------------------------------------------------------------------


def _touched_key(hashed: str) -> str:
    return f"accounts.sessions.seen:{hashed}"


def track(
    request: HttpRequest, person: Person, signed_in_at: datetime | None = None
) -> SignedInSession | None:
    """Record the request's session as one `person` is signed in with (after signing in)."""
    if not request.session.session_key:
        # Signing in over someone else's session empties it; its new key comes when it is
        # saved, so save it now, to list it under that key from the start.
        request.session.save()
    session_key = request.session.session_key
    if not session_key:
        return None
    now = timezone.now()
    hashed = key_hash(session_key)
    row, _created = SignedInSession.objects.update_or_create(
        key_hash=hashed,
        defaults={
            "person": person,
            "sealed_key": seal(session_key),
            "user_agent": request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
            "network": network_of(request),
            "signed_in_at": signed_in_at,
            "last_seen_at": now,
        },
    )
    cache.set(_touched_key(hashed), now, TOUCH_EVERY.total_seconds())
    return row


def signed_in(sender: Any, request: HttpRequest | None, user: Person, **kwargs: Any) -> None:
    """`user_logged_in`: the new session is listed from now on."""
    if request is not None and hasattr(request, "session"):
        track(request, user, signed_in_at=timezone.now())


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """`user_logged_out`: the session is no longer listed."""
    session_key = request.session.session_key if request is not None else None
    if session_key:
        SignedInSession.objects.filter(key_hash=key_hash(session_key)).delete()


def seen(request: HttpRequest, key_at_start: str | None) -> None:
    """After a request (`SessionActivityMiddleware`): forget a session whose key changed (it is
    gone from the store), and note the session's activity when it is time. No query otherwise."""
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    if key_at_start and key_at_start != session_key:
        SignedInSession.objects.filter(key_hash=key_hash(key_at_start)).delete()
    if session is None or not session_key:
        return
    now = timezone.now()
    hashed = key_hash(session_key)
    last = cache.get(_touched_key(hashed))
    if last is not None and now - last < TOUCH_EVERY:
        return
    updated = SignedInSession.objects.filter(key_hash=hashed).update(
        last_seen_at=now, network=network_of(request)
    )
    cache.set(_touched_key(hashed), now, TOUCH_EVERY.total_seconds())
    user = getattr(request, "user", None)
    if updated or user is None or not user.is_authenticated:
        return
    # Signed in before sessions were listed: listed from its first request after that (unless
    # it has just been ended from another device).
    if session.exists(session_key):
        track(request, user)


# --- Seeing and ending ------------------------------------------------------------------------


def current_hash(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    return key_hash(session_key) if session_key else None


def current(request: HttpRequest) -> SignedInSession | None:
    """The row of the session of this request, if it is listed."""
    hashed = current_hash(request)
    return SignedInSession.objects.filter(key_hash=hashed).first() if hashed else None


def active(person: Person) -> list[SignedInSession]:
    """The person's sessions that the session store still holds, the most recently used
    first (one query for the rows, one for the store)."""
    rows = list(SignedInSession.objects.filter(person=person).order_by("-last_seen_at", "-pk"))
    keys = {row.pk: unseal(row) for row in rows}
    alive = _alive({key for key in keys.values() if key})
    return [row for row in rows if keys[row.pk] in alive]


def _alive(session_keys: set[str]) -> set[str]:
    """The keys of these sessions that the store holds, unexpired."""
    if not session_keys:
        return set()
    store = _store()
    if hasattr(store, "get_model_class"):  # a store in the database: one query for them all
        found = store.get_model_class().objects.filter(
            session_key__in=session_keys, expire_date__gt=timezone.now()
        )
        return set(found.values_list("session_key", flat=True))
    return {key for key in session_keys if store.exists(key)}


def _end(rows: QuerySet[SignedInSession]) -> int:
    """End these sessions: out of the session store, out of the list."""
    ended = 0
    for row in rows.select_for_update():
        session_key = unseal(row)
        if session_key:
            _store().delete(session_key)
        row.delete()
        ended += 1
    return ended


def end_session(viewer: Viewer, session_id: int, current: str | None) -> SignedInSession:
    """End one of the viewer's sessions other than the one they are using (`current`, its hash;
    signing out ends that one). `SignedInSession.DoesNotExist` when it is not theirs."""
    if viewer.person is None:
        raise PermissionDenied
    others = SignedInSession.objects.filter(person=viewer.person).exclude(key_hash=current or "")
    with transaction.atomic():
        row = others.get(pk=session_id)
        _end(others.filter(pk=row.pk))
    return row


def end_other_sessions(viewer: Viewer, current: str | None) -> int:
    """End every session of the viewer but the one they are using (`current`, its hash)."""
    if viewer.person is None:
        raise PermissionDenied
    with transaction.atomic():
        mine = SignedInSession.objects.filter(person=viewer.person)
        return _end(mine.exclude(key_hash=current or ""))


def end_everywhere_else(viewer: Viewer, current: str | None) -> tuple[int, int]:
    """End every session of the viewer but the one they are using, and revoke every API token
    of theirs: (sessions ended, tokens revoked)."""
    if viewer.person is None:
        raise PermissionDenied
    with transaction.atomic():
        ended = end_other_sessions(viewer, current)
        revoked = (
            ApiToken.objects.filter(person=viewer.person).active().update(revoked_at=timezone.now())
        )
    return ended, revoked


def end_all(person: Person) -> int:
    """End every session of the person (a new password or address)."""
    with transaction.atomic():
        return _end(SignedInSession.objects.filter(person=person))


def end_on_new_credentials(
    sender: Any, instance: Person, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Person: a new password, or a confirmed new address, ends every session."""
    if raw or created:
        return
    new_password = getattr(instance, "_password", None) is not None
    new_address = getattr(instance, "_email_change_confirmed", False)
    if new_password or new_address:
        end_all(instance)


def prune(now: datetime) -> int:
    """Forget sessions unused for longer than a session lasts (the store has let them go)."""
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE) + TOUCH_EVERY
    return SignedInSession.objects.filter(last_seen_at__lt=now - idle).delete()[0]
