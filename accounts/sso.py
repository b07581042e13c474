"""Signing in with the organisation's identity provider: OpenID Connect's code flow (Microsoft
Entra ID, Google, Okta, Keycloak or any other provider), through mozilla-django-oidc
(`accounts.backends.SsoBackend`, `accounts.views_sso`).

The configuration in force (`provider()`) comes from the OIDC_* environment variables
(`settings.OIDC`) when OIDC_ISSUER is set, else from the settings administered in the app
(`SsoSettings`, Administration → Single sign-on), kept in each process as the organisation's
settings are (`cadence.kept`): the sign-in page pays no query for it. The provider's endpoints
come from its discovery document (`metadata`), whose issuer must be the one configured.

Who gets in (`person_for`), from the claims of the ID token (and of the userinfo endpoint, for
the same subject):

- a subject already linked to a person (`SsoLink`) finds that person, whatever address the
  provider gives it now: an account at the provider whose address changes cannot take over
  anyone else's;
- otherwise the address finds the person with it, only when the provider says it verified it
  (`email_verified` true), and only a person not yet linked to another subject of this
  provider; the subject is then linked to them (in the audit log);
- either way only a person who can sign in: active, and not left. Nobody is created: there is
  no just-in-time creation, by design (HR adds people; the provider only proves who they are).

The ID token itself (`verify_id_token`) must be signed with an asymmetric algorithm by a key of
the provider's JWKS, issued by the discovery document's issuer, for this client (its audience,
and `azp` when it names several), not expired (a minute's leeway for clocks), and carry the nonce
of the sign-in that asked for it. The callback checks the state: once, for ten minutes.

"SSO only" (`password_allowed`): passwords are off for everyone but the break-glass
administrator, on every path that takes or sets one (signing in, changing, resetting, choosing
one from an invitation).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from accounts.models import SsoLink, SsoSettings
from cadence.env import url_problem
from cadence.kept import Kept
from cadence.sealing import Sealer, SealError
from trust import audit

if TYPE_CHECKING:
    from people.models import Person

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds to wait for the provider's answer
DISCOVERY_SECONDS = 60 * 60  # the discovery document is read again after an hour
JWKS_SECONDS = 10 * 60  # the signing keys after ten minutes (or at once for an unknown key)
LEEWAY = 60  # seconds of difference between clocks that the token's times allow
STATE_SECONDS = 10 * 60  # how long a sign-in started may be finished
WELL_KNOWN = "/.well-known/openid-configuration"
# Asymmetric signatures only: never "none", never HS256 (the client secret as the key).
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC"}
SUBJECT_MAX = 255

# Why a sign-in with the provider was refused: each a message (`message`) and a word in the log.
NO_ACCOUNT = "no_account"  # nobody in Cadence who can sign in has that subject or address
UNVERIFIED = "unverified"  # the provider did not say it verified the address
NO_EMAIL = "no_email"  # the provider gave no address (the email scope is missing)
LINKED_ELSEWHERE = "linked_elsewhere"  # the person is linked to another subject already
STATE = "state"  # unknown, used or expired state: another browser, too slow, or replayed
CANCELLED = "cancelled"  # the provider answered with an error (the person said no)
UNAVAILABLE = "unavailable"  # the provider could not be reached or read
FAILED = "failed"  # anything else about the token (signature, issuer, audience, expiry, nonce)

SECRET_SEALER = Sealer(b"cadence accounts: the identity provider's client secret v1")
SECRET_ROW = uuid.UUID(int=1)


class Refusal(Exception):
    """A sign-in with the provider that does not let anyone in: `reason` (above) says why to
    the person (`message`), `detail` to the log."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# --- The configuration ----------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """The identity provider in force, as configured."""

    issuer: str
    client_id: str
    scopes: str
    name: str  # as configured: "" when none was given
    sso_only: bool
    break_glass_id: int | None = None  # the app's settings name a person
    break_glass_email: str = ""  # the environment names an address
    from_environment: bool = False
    sealed_secret: bytes = field(default=b"", repr=False)
    plain_secret: str = field(default="", repr=False)

    @property
    def label(self) -> str:
        """The name on the button: "Sign in with …"."""
        return self.name or _("your organisation's account")

    def client_secret(self) -> str:
        """The client secret; `Refusal(UNAVAILABLE)` when the stored one cannot be opened (the
        SECRET_KEY it was sealed with is gone: an administrator enters it again)."""
        if self.from_environment:
            return self.plain_secret
        try:
            return open_secret(self.sealed_secret)
        except SealError as error:
            raise Refusal(UNAVAILABLE, "the stored client secret cannot be opened") from error


def normalise_issuer(value: str) -> str:
    """The issuer as configured: without its discovery document's path or a trailing slash."""
    value = value.strip()
    if value.endswith(WELL_KNOWN):
        value = value[: -len(WELL_KNOWN)]
    return value.rstrip("/")


def seal_secret(secret: str) -> bytes:
    return SECRET_SEALER.seal(1, SECRET_ROW, {"secret": secret})


def open_secret(sealed: bytes | memoryview) -> str:
    content = SECRET_SEALER.unseal(1, SECRET_ROW, sealed)
    secret = content.get("secret")
    if not isinstance(secret, str):
        raise SealError("No secret in the sealed value.")
    return secret


def _from_environment(values: Mapping[str, Any]) -> Provider:
    return Provider(
        issuer=str(values["issuer"]),
        client_id=str(values["client_id"]),
        scopes=str(values["scopes"]),
        name=str(values.get("provider_name") or ""),
        sso_only=bool(values.get("sso_only")),
        break_glass_email=str(values.get("break_glass_email") or ""),
        from_environment=True,
        plain_secret=str(values["client_secret"]),
    )


def _read() -> Provider | None:
    row = SsoSettings.objects.filter(pk=1).first()
    return of_row(row) if row is not None else None


def of_row(row: SsoSettings) -> Provider | None:
    """The provider the stored settings put in force: None unless switched on and complete."""
    sealed = bytes(row.client_secret_sealed or b"")
    if not (row.enabled and row.issuer and row.client_id and sealed):
        return None
    return Provider(
        issuer=normalise_issuer(row.issuer),
        client_id=row.client_id,
        scopes=row.scopes,
        name=row.provider_name,
        sso_only=row.sso_only,
        break_glass_id=row.break_glass_id,
        sealed_secret=sealed,
    )


_KEPT = Kept(_read, changed_by=(SsoSettings,))


def provider() -> Provider | None:
    """The identity provider people sign in with, or None: single sign-on is off."""
    if settings.OIDC:
        return _from_environment(settings.OIDC)
    return _KEPT.get()


def forget() -> None:
    _KEPT.forget()


def assume(value: Provider | None = None) -> None:
    """Keep `value` (by default none) as if read now: for tests."""
    _KEPT.assume(value)


# --- Passwords in "SSO only" mode -----------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def passwords_off() -> Provider | None:
    """The provider when it is the only way in ("SSO only"), else None."""
    found = provider()
    return found if found is not None and found.sso_only else None


def is_break_glass(found: Provider, person: Person) -> bool:
    """The break-glass administrator: an administrator, named in the settings."""
    if not (person.is_staff and person.is_active):
        return False
    if found.break_glass_id is not None:
        return person.pk == found.break_glass_id
    return bool(found.break_glass_email) and _fold(person.email) == _fold(found.break_glass_email)


def password_allowed(person: Person) -> bool:
    """May this person use a password (sign in, change, reset or choose one)?"""
    found = passwords_off()
    return found is None or is_break_glass(found, person)


def with_passwords(people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` narrowed to those who may use a password."""
    found = passwords_off()
    if found is None:
        return people
    if found.break_glass_id is not None:
        named = Q(pk=found.break_glass_id)
    else:
        named = Q(email__iexact=found.break_glass_email or "-")
    return people.filter(named, is_staff=True, is_active=True)


def passwords_off_message(found: Provider) -> str:
    return _("Passwords are switched off for this organisation: sign in with %(provider)s.") % {
        "provider": found.label
    }


# --- The provider's documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """What Cadence reads of the provider's discovery document."""

    issuer: str  # exactly as the provider writes it: the ID token's `iss` must be this
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str  # "" when the provider has none: the ID token's claims suffice
    basic_auth: bool  # the token endpoint takes the client's secret in the Authorization header


def _get_json(url: str) -> Any:
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise Refusal(UNAVAILABLE, f"{url}: {error}") from error


def discover(issuer: str) -> Metadata:
    """Read the discovery document of `issuer` (configured: no trailing slash) now."""
    document = _get_json(issuer + WELL_KNOWN)
    if not isinstance(document, dict):
        raise Refusal(UNAVAILABLE, "the discovery document is not a JSON object")
    stated = document.get("issuer")
    if not isinstance(stated, str) or stated.rstrip("/") != issuer:
        raise Refusal(UNAVAILABLE, f"the discovery document names the issuer {stated!r}")
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        value = document.get(name) or ""
        if not isinstance(value, str) or (value and url_problem(value)):
            raise Refusal(UNAVAILABLE, f"the discovery document's {name} is {value!r}")
        if not value and name != "userinfo_endpoint":
            raise Refusal(UNAVAILABLE, f"the discovery document has no {name}")
        endpoints[name] = value
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Metadata(
        issuer=stated,
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"],
        jwks_uri=endpoints["jwks_uri"],
        userinfo_endpoint=endpoints["userinfo_endpoint"],
        basic_auth="client_secret_basic" in methods or "client_secret_post" not in methods,
    )


def document_key(kind: str, url: str) -> str:
    return f"accounts.sso.{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def metadata(found: Provider) -> Metadata:
    """The provider's discovery document, read at most once an hour."""
    key = document_key("discovery", found.issuer)
    kept = cache.get(key)
    if isinstance(kept, dict):
        return Metadata(**kept)
    read = discover(found.issuer)
    cache.set(key, asdict(read), DISCOVERY_SECONDS)
    return read


def _jwks(url: str, *, fresh: bool = False) -> list[dict[str, Any]]:
    key = document_key("jwks", url)
    kept = None if fresh else cache.get(key)
    if isinstance(kept, list):
        return kept
    document = _get_json(url)
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list):
        raise Refusal(UNAVAILABLE, "the JWKS document has no keys")
    found = [key for key in keys if isinstance(key, dict)]
    cache.set(key, found, JWKS_SECONDS)
    return found


def _pick(keys: list[dict[str, Any]], header: Mapping[str, Any]) -> jwt.PyJWK | None:
    """The one key of `keys` that may have signed a token with this header, or None."""
    alg = str(header.get("alg"))
    kid = header.get("kid")
    candidates = [
        key
        for key in keys
        if key.get("use") in (None, "sig")
        and key.get("kty") == KEY_TYPES.get(alg[:2])
        and key.get("alg") in (None, alg)
        and (kid is None or key.get("kid") == kid)
    ]
    if len(candidates) != 1:
        return None
    try:
        return jwt.PyJWK(candidates[0], algorithm=alg)
    except jwt.PyJWTError:
        return None


def signing_key(meta: Metadata, header: Mapping[str, Any]) -> jwt.PyJWK:
    """The provider's key for a token with this header: from the keys kept, else read again
    (the provider may have rotated its keys)."""
    key = _pick(_jwks(meta.jwks_uri), header) or _pick(_jwks(meta.jwks_uri, fresh=True), header)
    if key is None:
        raise Refusal(FAILED, "signature: no key of the provider's JWKS fits the token")
    return key


def verify_id_token(token: str, meta: Metadata, client_id: str, nonce: str) -> dict[str, Any]:
    """The ID token's claims, once every check holds; else `Refusal` naming the check."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise Refusal(FAILED, f"signature: {error}") from error
    if header.get("alg") not in ALGORITHMS:
        raise Refusal(FAILED, f"signature: the algorithm {header.get('alg')!r} is not accepted")
    key = signing_key(meta, header)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[str(header["alg"])],
            audience=client_id,
            issuer=meta.issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise Refusal(FAILED, f"expired: {error}") from error
    except jwt.InvalidAudienceError as error:
        raise Refusal(FAILED, f"audience: {error}") from error
    except jwt.InvalidIssuerError as error:
        raise Refusal(FAILED, f"issuer: {error}") from error
    except jwt.PyJWTError as error:
        raise Refusal(FAILED, f"signature: {error}") from error
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise Refusal(FAILED, "audience: several audiences, and the authorised party is not us")
    if not nonce or not constant_time_compare(str(claims.get("nonce", "")), nonce):
        raise Refusal(FAILED, "nonce: not the nonce of this sign-in")
    return claims


def merged_claims(id_claims: Mapping[str, Any], userinfo: Mapping[str, Any]) -> dict[str, Any]:
    """The person's claims: the userinfo endpoint's, for the ID token's subject only, under the
    ID token's own (signed) claims."""
    if userinfo and userinfo.get("sub") != id_claims.get("sub"):
        raise Refusal(FAILED, "subject: the userinfo is about another subject")
    return {**userinfo, **id_claims}


# --- Who gets in ----------------------------------------------------------------------------


def can_sign_in(person: Person) -> bool:
    return person.is_active and not person.has_left


def _verified(claims: Mapping[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


class ToConfirm(Exception):
    """A first sign-in, by address, with a provider configured in the app: the person must show
    they read that address's mail before the subject is linked to them (`accounts.sso_link`).

    An administrator can point the app's settings at an identity provider of their own, where
    any account can be given any address, "verified"; linking by that address alone would let
    them sign in as anyone, and administering gives no right to read anyone's data. The
    environment's provider is set by whoever runs the servers, who is trusted with everything
    already: its verified addresses link at once."""

    def __init__(self, person: Person, issuer: str, subject: str) -> None:
        super().__init__(f"{issuer} {subject!r} for person {person.pk}")
        self.person = person
        self.issuer = issuer
        self.subject = subject


def person_for(issuer: str, claims: Mapping[str, Any], *, confirm: bool = False) -> Person:
    """The person these verified claims of `issuer` sign in (linking the subject to them the
    first time), or `Refusal`. With `confirm` a first sign-in links nobody: `ToConfirm`."""
    from people.models import Person

    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > SUBJECT_MAX:
        raise Refusal(FAILED, "subject: missing or too long")
    now = timezone.now()
    with transaction.atomic():
        links = SsoLink.objects.select_for_update().select_related("person")
        link = links.filter(issuer=issuer, subject=subject).first()
        if link is not None:
            if not can_sign_in(link.person):
                raise Refusal(NO_ACCOUNT, f"the person linked to {subject!r} cannot sign in")
            link.last_used_at = now
            link.save(update_fields=["last_used_at"])
            return link.person
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip():
            raise Refusal(NO_EMAIL, "the provider gave no e-mail address")
        if not _verified(claims):
            raise Refusal(UNVERIFIED, "email_verified is not true")
        email = email.strip()
        people = Person.objects.select_for_update().filter(email__iexact=email)
        # As the password reset: the database's case folding must not match look-alikes.
        matching = [p for p in people if _fold(p.email) == _fold(email)]
        if len(matching) != 1 or not can_sign_in(matching[0]):
            raise Refusal(NO_ACCOUNT, "no current person has that address")
        person = matching[0]
        if SsoLink.objects.filter(person=person, issuer=issuer).exists():
            raise Refusal(LINKED_ELSEWHERE, "the person is linked to another subject")
        if confirm:
            raise ToConfirm(person, issuer, subject)
        link_subject(person, issuer, subject, now)
    return person


def link_subject(person: Person, issuer: str, subject: str, now: datetime) -> SsoLink:
    """Link `subject` of `issuer` to `person` (in the audit log), within the caller's
    transaction, which has checked that neither is linked yet."""
    link = SsoLink.objects.create(
        person=person, issuer=issuer, subject=subject, linked_at=now, last_used_at=now
    )
    audit.record(
        "account.sso_linked",
        actor=person,
        subject=person,
        target=link,
        changes=audit.added({"issuer": issuer, "subject": subject}),
    )
    return link


def message(reason: str, found: Provider | None) -> str:
    """What the sign-in page says of a refusal, in the person's words."""
    name = found.label if found is not None else _("the identity provider")
    messages = {
        NO_ACCOUNT: _(
            "Nobody in Cadence can sign in with this %(provider)s account. Cadence lets in "
            "people HR has added, who still work here, by the address %(provider)s confirms: "
            "ask HR to check yours."
        ),
        UNVERIFIED: _(
            "%(provider)s has not confirmed the e-mail address of this account, so Cadence "
            "cannot tell whose it is. Ask your IT department."
        ),
        NO_EMAIL: _(
            "%(provider)s did not give Cadence the account's e-mail address. Ask your "
            "administrator to check the single sign-on settings."
        ),
        LINKED_ELSEWHERE: _(
            "The Cadence account with this address is linked to another %(provider)s account. "
            "Sign in with that one, or ask an administrator."
        ),
        STATE: _(
            "This sign-in was started in another browser, took too long or was used already. "
            "Please sign in again."
        ),
        CANCELLED: _("Signing in with %(provider)s was cancelled."),
        UNAVAILABLE: _(
            "%(provider)s cannot be reached right now. Please try again in a few minutes; if "
            "it lasts, tell your administrator."
        ),
    }
    default = _(
        "Signing in with %(provider)s did not work. Please try again; if it keeps failing, tell "
        "your administrator."
    )
    return messages.get(reason, default) % {"provider": name}


def sign_in_refused_message(found: Provider) -> str:
    """The password form's answer to any failed sign-in while passwords are off: the same
    whoever tried, so that it tells nobody who the break-glass administrator is."""
    return _(
        "Passwords are switched off for this organisation: sign in with %(provider)s. (For the "
        "break-glass administrator: that e-mail address and password do not match.)"
    ) % {"provider": found.label}
