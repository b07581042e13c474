"""The set-up code: whoever reaches a fresh server first cannot claim it without it.

While nobody administers the installation, `manage.py setup_code` (which `make run` calls on
every start) prints a new code and the address of `/setup/`; the code is stored only as a keyed
hash, works for `CODE_HOURS`, and dies when it is used or a newer one is printed. It has about
59 bits of randomness (12 characters from 30 that are hard to confuse), so guessing it over the
network is hopeless; wrong attempts are logged with the client's address.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from firstrun.models import FirstRun
from people.models import Person

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # without 0, O, 1, I, L and U: easy to misread
LENGTH = 12
CODE_HOURS = 24
SALT = "firstrun.setup_code"


def administrator_exists() -> bool:
    """Does anyone administer the installation (and may sign in)? Then no code is needed."""
    return Person.objects.filter(is_staff=True, is_active=True).exists()


def normalised(code: str) -> str:
    """As typed, without spaces and dashes, in capitals."""
    return "".join(code.split()).replace("-", "").upper()


def _digest(code: str) -> str:
    return salted_hmac(SALT, normalised(code), algorithm="sha256").hexdigest()


def shown(code: str) -> str:
    """The code in groups of four, to read aloud or copy: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def make_code(now: datetime | None = None) -> str | None:
    """A new set-up code (any earlier one stops working), or None when someone administers the
    installation already."""
    if administrator_exists():
        return None
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    row = FirstRun.objects.select_for_update().filter(pk=1).first() or FirstRun(pk=1)
    row.code_hash = _digest(code)
    row.code_made_at = now or timezone.now()
    row.save()
    return shown(code)


def works(row: FirstRun | None, code: str, now: datetime | None = None) -> bool:
    """Is `code` the row's current code, unused and not expired?"""
    if row is None or not row.code_hash or row.code_made_at is None:
        return False
    if (now or timezone.now()) - row.code_made_at > timedelta(hours=CODE_HOURS):
        return False
    return constant_time_compare(row.code_hash, _digest(code))
