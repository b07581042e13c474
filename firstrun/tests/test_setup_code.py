"""The set-up code: printed on the server while nobody administers the installation, stored
only as a keyed hash, replaced by the next one, dead after a day."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from firstrun import codes
from firstrun.models import FirstRun

pytestmark = pytest.mark.django_db


def printed(*args) -> str:
    out = StringIO()
    call_command("setup_code", *args, stdout=out)
    return out.getvalue()


def code_in(text: str) -> str:
    return text.split("Set-up code: ")[1].split()[0]


def test_the_command_prints_a_code_and_where_to_enter_it():
    text = printed()
    code = code_in(text)
    assert len(codes.normalised(code)) == codes.LENGTH
    assert "/setup/" in text
    row = FirstRun.objects.get(pk=1)
    assert codes.works(row, code)
    assert codes.normalised(code) not in row.code_hash  # only a hash of it is kept


def test_the_code_is_read_however_it_is_typed():
    code = code_in(printed())
    row = FirstRun.objects.get(pk=1)
    assert codes.works(row, f"  {code.lower().replace('-', ' ')} ")
    assert not codes.works(row, code[:-1] + ("A" if code[-1] != "A" else "B"))


def test_a_new_code_replaces_the_one_before():
    first = code_in(printed())
    second = code_in(printed())
    row = FirstRun.objects.get(pk=1)
    assert not codes.works(row, first)
    assert codes.works(row, second)


def test_a_code_works_for_a_day():
    code = code_in(printed())
    row = FirstRun.objects.get(pk=1)
    later = timezone.now() + timedelta(hours=codes.CODE_HOURS, minutes=1)
    assert not codes.works(row, code, now=later)


def test_no_code_once_someone_administers_the_installation(cast):
    with pytest.raises(CommandError, match="administrator already"):
        printed()
    assert printed("--if-needed") == ""
    assert not FirstRun.objects.exists()


def test_no_new_code_once_an_administrator_is_added_on_the_server():
    from conftest import make_person

    printed()
    make_person("root@example.com", "Root", is_staff=True)
    assert codes.administrator_exists()
    assert printed("--if-needed") == ""
