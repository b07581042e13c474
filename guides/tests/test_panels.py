"""The "How this works" panels: each one on its pages, through the real views, for someone who
may open them; closed until opened; linking sections of guides that exist; every word
translatable."""

import re
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.template import Template, TemplateSyntaxError
from django.template.context import Context
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import trans_real

from guides import markup
from guides.docs import GUIDES
from guides.panels import PANELS
from organisation.rules import ADMIN
from organisation.tabs import TABS

ROOT = Path(settings.BASE_DIR)

# Each panel's pages, and someone of the cast who may open them.
PAGES = {
    "goals": [("goals:mine", "alice"), ("goals:team", "bob"), ("goals:company", "dave")],
    "conversations": [("conversations:index", "alice")],
    "feedback": [("feedback:inbox", "alice")],
    "reviews": [("feedback:reviews", "alice")],
    "growth": [("growth:index", "alice")],
    "surveys": [("surveys:index", "alice")],
    "plan": [("plans:mine", "alice")],
    "talent": [("talent:index", "alice")],
    "insights": [("insights:index", "alice")],
    "my_team": [("my_team", "bob")],
    "my_data": [("trust:my_data", "alice")],
    # Every settings tab, those to come included, for whoever administers its part.
    "settings": [(name, "frank" if part == ADMIN else "erin") for name, _label, part in TABS],
}


def panel_in(page: str, key: str) -> str:
    """The panel's HTML in a page, which must hold it exactly once."""
    found = re.findall(rf'<details class="help-panel" data-help="{key}">.*?</details>', page, re.S)
    assert len(found) == 1, f"{len(found)} {key!r} panels"
    return found[0]


def test_every_panel_has_its_pages_in_this_test():
    assert set(PAGES) == set(PANELS)


@pytest.mark.parametrize(
    ("key", "url_name", "who"),
    [(key, url_name, who) for key, pages in PAGES.items() for url_name, who in pages],
)
def test_each_panel_is_on_its_page_for_someone_who_may_open_it(login, cast, key, url_name, who):
    response = login(getattr(cast, who)).get(reverse(url_name))
    assert response.status_code == 200
    panel = panel_in(response.text, key)
    assert "How this works" in panel
    for point in PANELS[key].points:
        assert escape(str(point)) in panel
    for name, section in PANELS[key].guides:
        assert f'href="/guides/{name}/#{section}"' in panel
        assert escape(str(GUIDES[name].label)) in panel


def test_a_panel_is_closed_until_opened(login, cast):
    page = login(cast.alice).get(reverse("goals:mine")).text
    opening = re.search(r"<details[^>]*help-panel[^>]*>", page).group(0)
    assert " open" not in opening


def test_a_panel_has_three_to_six_sentences():
    for key, panel in PANELS.items():
        sentences = sum(len(re.findall(r"[.!?](?:\s|$)", str(point))) for point in panel.points)
        assert 3 <= sentences <= 6, (key, sentences)


def test_every_panel_links_a_section_of_a_guide_that_exists():
    for key, panel in PANELS.items():
        assert panel.guides, f"{key!r} links no guide"
        for name, section in panel.guides:
            guide = GUIDES[name]
            assert guide.path.exists(), guide.path
            sections = [
                block.anchor
                for block in markup.read(guide.path.read_text(), lambda target: None)
                if block.kind == "heading"
            ]
            assert section in sections, f"{key!r} links {guide.file_name}#{section}"


def test_every_use_of_the_tag_names_a_panel():
    """A template naming a panel that does not exist would fail on its page only."""
    used = set()
    for template in ROOT.glob("*/templates/**/*.html"):
        used.update(re.findall(r'{%\s*help\s+"([^"]+)"\s*%}', template.read_text()))
    assert used == set(PANELS), used ^ set(PANELS)


def test_an_unknown_panel_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match=r"guides/panels\.py"):
        Template('{% load help %}{% help "nothing" %}').render(Context())


# --- Translatable -------------------------------------------------------------------------------


def test_the_texts_are_lazy_translations():
    for panel in PANELS.values():
        assert all(isinstance(point, Promise) for point in panel.points)
    assert all(isinstance(guide.label, Promise) for guide in GUIDES.values())


def words_outside_translation(source: str) -> str:
    """The letters a template writes by itself: what is left once its translation blocks, tags,
    variables, comments and HTML are taken out."""
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", "", text, flags=re.S)
    return "".join(re.findall(r"[^\W\d_]+", text))


def test_the_templates_write_no_words_of_their_own():
    for name in ("panel.html", "guide.html"):
        source = (ROOT / "guides" / "templates" / "guides" / name).read_text()
        assert words_outside_translation(source) == "", name
    assert words_outside_translation("<p>{% translate 'Hi' %} there</p>") == "there"


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks = []

    def handle_data(self, data):
        if data.strip(" ·\n"):
            self.chunks.append(data.strip())


@pytest.mark.parametrize("key", sorted(PANELS))
def test_every_word_of_a_panel_goes_through_the_translation(key):
    """With a translation that marks what it translates, every piece of text in the panel is
    marked: nothing in it escapes the reader's language."""
    real = trans_real.gettext

    def marked(message):
        return f"«{real(message)}»"

    with mock.patch.object(translation._trans, "gettext", marked, create=True):
        html = Template(f'{{% load help %}}{{% help "{key}" %}}').render(Context())
    parser = Text()
    parser.feed(html)
    assert parser.chunks
    for chunk in parser.chunks:
        assert chunk.startswith("«") and chunk.endswith("»"), chunk
