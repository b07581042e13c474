"""The Dutch translation: complete, compiled, and what someone who chose Dutch actually sees."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # A request made in Dutch leaves Dutch active on this thread; later tests expect English.
    yield
    translation.deactivate()


def read_po(path):
    """The entries of a .po file as dicts: flags, msgid, msgid_plural, msgstr (by plural index)."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):  # obsolete: msgmerge keeps them, gettext ignores them
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            keyword, _, value = line.partition(" ")
            index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            key = int(index.group(1)) if index else 0 if keyword == "msgstr" else keyword
            if isinstance(key, int):
                entry["msgstr"][key] = ast.literal_eval(value)
            else:
                entry[key] = ast.literal_eval(value)
    return entries


@pytest.fixture(scope="module")
def messages():
    entries = read_po(CATALOG / "django.po")
    header, rest = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    return rest


def test_every_dutch_message_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 100
    fuzzy = [m["msgid"] for m in messages if "fuzzy" in m["flags"]]
    assert fuzzy == []
    untranslated = [m["msgid"] for m in messages if not all(m["msgstr"].values())]
    assert untranslated == []
    plurals_incomplete = [
        m["msgid"] for m in messages if m["msgid_plural"] and sorted(m["msgstr"]) != [0, 1]
    ]
    assert plurals_incomplete == []


def test_dutch_messages_keep_their_placeholders_and_html(messages):
    for message in messages:
        sources = [message["msgid"], message["msgid_plural"] or message["msgid"]]
        for index, translated in message["msgstr"].items():
            source = sources[min(index, 1)]
            expected = sorted(PLACEHOLDER.findall(source))
            assert sorted(PLACEHOLDER.findall(translated)) == expected, message["msgid"]


def test_the_compiled_catalog_matches_the_po_file(messages):
    with (CATALOG / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for message in messages:
        if message["msgid_plural"]:
            for n, index in ((1, 0), (2, 1)):
                if message.get("msgctxt"):
                    got = catalog.npgettext(
                        message["msgctxt"], message["msgid"], message["msgid_plural"], n
                    )
                else:
                    got = catalog.ngettext(message["msgid"], message["msgid_plural"], n)
                assert got == message["msgstr"][index], "run `make messages`"
        elif message.get("msgctxt"):
            got = catalog.pgettext(message["msgctxt"], message["msgid"])
            assert got == message["msgstr"][0], "run `make messages`"
        else:
            assert catalog.gettext(message["msgid"]) == message["msgstr"][0], "run `make messages`"


def test_someone_who_chose_dutch_sees_the_app_in_dutch(login, cast):
    cast.alice.language = "nl"
    cast.alice.save()
    page = login(cast.alice).get("/").text
    assert '<html lang="nl">' in page
    assert "Hallo Alice" in page
    assert re.search(r'class="nav-goals[^"]*"[^>]*>Doelen', page)
    assert "Uitloggen" in page
    assert "Hello, Alice" not in page


def test_the_next_person_still_sees_english(login, cast, client):
    cast.alice.language = "nl"
    cast.alice.save()
    login(cast.alice).get("/")
    client.logout()
    page = login(cast.bob).get("/").text
    assert "Hello, Bob" in page
    assert re.search(r'class="nav-goals[^"]*"[^>]*>Goals', page)
