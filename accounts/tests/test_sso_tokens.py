"""The checks of `accounts.sso` that a well-behaved provider never exercises: tokens an attacker
or a broken provider could hand over (unsigned, signed with the client secret, for several
audiences, from another issuer, without an expiry, with a key the provider never published),
and discovery documents that do not fit. The provider's documents are served by a stand-in for
its HTTP answers; the tokens are signed here."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache

from accounts import sso

ISSUER = "https://idp.example.com"
JWKS_URI = f"{ISSUER}/jwks"
CLIENT = "cadence"
NONCE = "the-nonce-of-this-sign-in"
META = sso.Metadata(
    issuer=ISSUER,
    authorization_endpoint=f"{ISSUER}/authorize",
    token_endpoint=f"{ISSUER}/token",
    jwks_uri=JWKS_URI,
    userinfo_endpoint=f"{ISSUER}/userinfo",
    basic_auth=True,
)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = _key(), _key()


def public_jwk(key, kid):
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture
def documents(monkeypatch):
    """What the provider's addresses answer: address → JSON (edit it in a test)."""
    cache.clear()
    served = {JWKS_URI: {"keys": [public_jwk(KEY, "k1")]}}
    read = []

    def get_json(url):
        read.append(url)
        if url not in served:
            raise sso.Refusal(sso.UNAVAILABLE, f"{url}: not found")
        return served[url]

    monkeypatch.setattr(sso, "_get_json", get_json)
    served["read"] = read
    yield served
    cache.clear()


def claims(**changes):
    now = int(time.time())
    values = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "someone",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        "email": "alice@example.com",
        "email_verified": True,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def token(key=KEY, kid="k1", algorithm="RS256", **changes):
    return jwt.encode(claims(**changes), key, algorithm=algorithm, headers={"kid": kid})


def fault(raw) -> str:
    with pytest.raises(sso.Refusal) as refused:
        sso.verify_id_token(raw, META, CLIENT, NONCE)
    assert refused.value.reason == sso.FAILED
    return refused.value.detail


def test_a_good_token_passes(documents):
    assert sso.verify_id_token(token(), META, CLIENT, NONCE)["sub"] == "someone"


def test_an_unsigned_token_is_refused(documents):
    unsigned = jwt.encode(claims(), None, algorithm="none")
    assert fault(unsigned).startswith("signature")


def test_a_token_signed_with_the_client_secret_is_refused(documents):
    """HS256 with the secret both sides know: anyone holding it could sign in as anyone."""
    symmetric = jwt.encode(claims(), "the client secret, long enough to be a key", "HS256")
    assert fault(symmetric).startswith("signature")


def test_a_token_signed_with_a_key_the_provider_never_published_is_refused(documents):
    assert fault(token(key=OTHER_KEY)).startswith("signature")
    assert fault(token(key=OTHER_KEY, kid="k9")).startswith("signature")


def test_an_unknown_key_makes_it_read_the_keys_again_once(documents):
    sso.verify_id_token(token(), META, CLIENT, NONCE)  # the keys are kept from here on
    documents[JWKS_URI]["keys"].append(public_jwk(OTHER_KEY, "k2"))  # the provider rotates
    assert sso.verify_id_token(token(key=OTHER_KEY, kid="k2"), META, CLIENT, NONCE)
    assert documents["read"].count(JWKS_URI) == 2


def test_a_token_of_another_issuer_is_refused(documents):
    assert fault(token(iss="https://evil.example.com")).startswith("issuer")


def test_a_token_for_another_audience_is_refused(documents):
    assert fault(token(aud="another-app")).startswith("audience")


def test_a_token_for_several_audiences_needs_cadence_as_the_authorised_party(documents):
    assert fault(token(aud=[CLIENT, "another-app"])).startswith("audience")
    several = token(aud=[CLIENT, "another-app"], azp=CLIENT)
    assert sso.verify_id_token(several, META, CLIENT, NONCE)


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss"])
def test_a_token_without_a_required_claim_is_refused(documents, missing):
    fault(token(**{missing: None}))


def test_an_expired_token_is_refused_beyond_a_minute_of_clock_difference(documents):
    now = int(time.time())
    assert sso.verify_id_token(token(exp=now - 30), META, CLIENT, NONCE)
    assert fault(token(exp=now - 120)).startswith("expired")


def test_a_token_without_the_nonce_is_refused(documents):
    assert fault(token(nonce=None)).startswith("nonce")
    assert fault(token(nonce="another")).startswith("nonce")


def test_userinfo_about_another_subject_is_refused():
    with pytest.raises(sso.Refusal):
        sso.merged_claims({"sub": "someone"}, {"sub": "someone-else", "email": "x@example.com"})
    merged = sso.merged_claims(
        {"sub": "someone", "email": "signed@example.com"},
        {"sub": "someone", "email": "userinfo@example.com", "name": "Some One"},
    )
    assert merged["email"] == "signed@example.com" and merged["name"] == "Some One"


def discovery(**changes):
    document = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": JWKS_URI,
        "userinfo_endpoint": f"{ISSUER}/userinfo",
    }
    document.update(changes)
    return document


def test_discovery_reads_the_endpoints(documents):
    documents[ISSUER + sso.WELL_KNOWN] = discovery(
        token_endpoint_auth_methods_supported=["client_secret_post"]
    )
    found = sso.discover(ISSUER)
    assert found.token_endpoint == f"{ISSUER}/token" and not found.basic_auth


@pytest.mark.parametrize(
    "changes",
    [
        {"issuer": "https://evil.example.com"},
        {"token_endpoint": "http://idp.example.com/token"},
        {"jwks_uri": ""},
        {"authorization_endpoint": None},
    ],
)
def test_a_discovery_document_that_does_not_fit_is_refused(documents, changes):
    documents[ISSUER + sso.WELL_KNOWN] = discovery(**changes)
    with pytest.raises(sso.Refusal) as refused:
        sso.discover(ISSUER)
    assert refused.value.reason == sso.UNAVAILABLE


def test_the_issuer_is_taken_with_or_without_its_discovery_path():
    assert sso.normalise_issuer(f" {ISSUER}/.well-known/openid-configuration ") == ISSUER
    assert sso.normalise_issuer(f"{ISSUER}/") == ISSUER
