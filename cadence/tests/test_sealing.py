"""A sealed value opens only for its own purpose, row and owner, with the current key or a
fallback; its length tells only a size class."""

import uuid

import pytest

from cadence.sealing import Sealer, SealError

ANSWERS = Sealer(b"cadence tests: answers")
OTHER = Sealer(b"cadence tests: something else")


def test_a_value_opens_for_its_own_purpose_row_and_owner_only():
    row = uuid.uuid4()
    value = ANSWERS.seal(7, row, {"q": 4})
    assert ANSWERS.unseal(7, row, value) == {"q": 4}
    for opening in (
        lambda: OTHER.unseal(7, row, value),
        lambda: ANSWERS.unseal(8, row, value),
        lambda: ANSWERS.unseal(7, uuid.uuid4(), value),
    ):
        with pytest.raises(SealError):
            opening()


def test_a_rotated_key_still_opens_what_the_old_one_sealed(settings):
    row = uuid.uuid4()
    value = ANSWERS.seal(1, row, {"q": 1})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new key" * 8
    assert ANSWERS.unseal(1, row, memoryview(value)) == {"q": 1}
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SealError):
        ANSWERS.unseal(1, row, value)


def test_short_and_long_content_seal_to_the_same_length():
    short = ANSWERS.seal(1, uuid.uuid4(), {"comment": "ok"})
    longer = ANSWERS.seal(1, uuid.uuid4(), {"comment": "x" * 3000})
    assert len(short) == len(longer)
