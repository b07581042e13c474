"""Sealing: content kept in the database encrypted with a key derived from SECRET_KEY (which is
not in the database), for answers that must not be readable, or linkable to who gave them,
while they are being collected (360 answers, survey responses).

Each use has its own `Sealer`, whose `info` derives its own key, so a value sealed for one
purpose cannot be opened as another's. A sealed value is bound to its row and to the thing it
belongs to (a cycle, a round): it cannot be moved to another row. Its plaintext is padded with
blanks to a power of two of at least 4 KiB, so its length tells only a size class. SECRET_KEY
then SECRET_KEY_FALLBACKS are tried when opening, so rotating the key loses nothing.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"  # the first byte of a sealed value: how it was sealed
NONCE_BYTES = 12
PADDED_MIN = 4096  # plaintexts are padded to a power of two of at least this many bytes


class SealError(Exception):
    """A sealed value cannot be opened (the key that sealed it is gone, or it was moved)."""


@functools.lru_cache(maxsize=16)
def _key(info: bytes, secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())


def _pad(data: bytes) -> bytes:
    size = PADDED_MIN
    while size < len(data):
        size *= 2
    return data + b" " * (size - len(data))  # blanks after JSON are ignored when reading it


def _associated(owner_id: int, row_id: uuid.UUID) -> bytes:
    # Binds the ciphertext to its row and its owner (a cycle, a round).
    return f"{owner_id}:{row_id}".encode()


@dataclass(frozen=True)
class Sealer:
    info: bytes  # names the purpose; derives the purpose's own key

    def seal(self, owner_id: int, row_id: uuid.UUID, content: dict[str, Any]) -> bytes:
        """`content` as JSON, padded and encrypted with SECRET_KEY's key for this purpose."""
        if not settings.SECRET_KEY:
            raise ImproperlyConfigured("SECRET_KEY is needed to seal answers.")
        plaintext = _pad(json.dumps(content, separators=(",", ":")).encode())
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(_key(self.info, settings.SECRET_KEY)).encrypt(
            nonce, plaintext, _associated(owner_id, row_id)
        )
        return VERSION + nonce + ciphertext

    def unseal(self, owner_id: int, row_id: uuid.UUID, value: bytes | memoryview) -> dict[str, Any]:
        """The content sealed by `seal`, trying SECRET_KEY then SECRET_KEY_FALLBACKS."""
        data = bytes(value)  # PostgreSQL gives a memoryview
        if data[:1] != VERSION:
            raise SealError("Unknown sealing.")
        nonce, ciphertext = data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES :]
        secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        for secret in secrets_:
            if not secret:
                continue
            try:
                plaintext = AESGCM(_key(self.info, secret)).decrypt(
                    nonce, ciphertext, _associated(owner_id, row_id)
                )
            except InvalidTag:
                continue
            content: dict[str, Any] = json.loads(plaintext)
            return content
        raise SealError("No key opens this sealed value.")
