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


# What Django's makemessages asks xgettext to read in Python, besides xgettext's own gettext,
# ngettext and _ (django.core.management.commands.makemessages).
XGETTEXT_PYTHON = [
    "--language=Python",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
    "--from-code=UTF-8",
]
# The functions whose first argument (after a context for the p- ones) is a message.
GETTEXT_CALLS = {
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "_": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}
SKIPPED_DIRS = {".venv", "node_modules", "build", "staticfiles", "bench", "tests", "migrations"}


def product_python_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(
        path
        for path in root.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(root).parts[:-1])
    )


def asked_to_translate(path: Path) -> set[str]:
    """Every message literal the module hands to a gettext function, wherever it stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        index = GETTEXT_CALLS.get(str(name))
        if index is None or len(node.args) <= index:
            continue
        message = node.args[index]
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            found.add(message.value)
    return found


def test_makemessages_finds_every_message_the_python_code_translates(tmp_path):
    """xgettext reads no call inside an f-string's braces (nor through a wrapper of gettext):
    a message asked for there is translated today, from the catalogue, and dropped from it by
    the next `make messages`, leaving the Dutch page in English."""
    import shutil
    import subprocess

    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext (makemessages needs it too)")
    files = product_python_files()
    out = tmp_path / "found.po"
    subprocess.run(
        ["xgettext", *XGETTEXT_PYTHON, f"--output={out}", *map(str, files)],  # noqa: S607
        check=True,
        cwd=settings.BASE_DIR,
    )
    extracted = {entry["msgid"] for entry in read_po(out)}
    missed = {
        str(path.relative_to(settings.BASE_DIR)): sorted(asked_to_translate(path) - extracted)
        for path in files
    }
    assert {path: found for path, found in missed.items() if found} == {}
