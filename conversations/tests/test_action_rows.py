"""A conversation's action items are rendered in Python (`conversation_rows.action_rows`): byte
for byte what the loop including conversations/conversation/_action.html gave (kept beside this
file, as it was), for every branch of it, escaped and translated alike."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from conversations.models import Kind
from conversations.tests.factories import add_action, held, make_conversation

# The loop over a conversation's action items, as its templates had it before `action_rows`.
LOOP = (
    "{% for item in items %}"
    + (Path(__file__).parent / "action_item.html").read_text()
    + "{% endfor %}"
)


def _items(cast):
    today = cast.alice.local_today()
    earlier = held(make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, title="Q&A <1:1>"))
    here = make_conversation(cast.alice)
    cast.bob.name = 'Bob "O\'Brien" <&>'
    items = [
        add_action(here, cast.alice, "Plain"),
        add_action(here, cast.bob, "<b>Bold</b> & 'quoted'", due=today - timedelta(days=1)),
        add_action(here, cast.alice, "Due later", due=today + timedelta(days=30)),
        add_action(here, cast.alice, "Due today", due=today),
        add_action(here, cast.bob, "Done", due=today - timedelta(days=3), done=True),
        add_action(earlier, cast.alice, "Carried", due=today + timedelta(days=2)),
        add_action(earlier, cast.bob, "Carried & done", done=True),
        add_action(earlier, cast.alice, "Carried, no date"),
    ]
    for item in items:
        item.owner = cast.bob if item.owner_id == cast.bob.pk else cast.alice
    return here, items, today


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("token", ["TOKEN", "NOTPROVIDED", ""])
def test_the_action_rows_in_python_are_the_loop_s_byte_for_byte(cast, language, token):
    here, items, today = _items(cast)
    engine = engines["django"]
    loop = engine.from_string(LOOP)
    new = engine.from_string("{% load conversation_rows %}{% action_rows items %}")
    one = engine.from_string("{% load conversation_rows %}{% action_row item %}")
    context = {"items": items, "origin_id": here.pk, "today": today, "csrf_token": token}
    with translation.override(language):
        wanted = loop.render(context)
        assert new.render(context) == wanted
        for item in items:
            alone = {**context, "item": item}
            assert one.render(alone) == loop.render({**context, "items": [item]})
        assert new.render({**context, "items": []}) == loop.render({**context, "items": []})
    if language == "en" and token == "TOKEN":  # every branch was there to compare
        for words in BRANCHES:
            assert words in wanted, words


BRANCHES = (
    "cv-action is-done",
    'aria-pressed="true"',
    'aria-pressed="false"',
    "Done: mark as not done",
    "Mark as done",
    "&lt;b&gt;Bold&lt;/b&gt; &amp; &#x27;quoted&#x27;",
    'class="cv-late">· due',
    'class="muted">· due',
    'class="muted">· done',
    "avatar-xs",
    "Q&amp;A &lt;1:1&gt; of ",
    "· from <a href=",
    'value="TOKEN"',
)


def test_the_page_and_the_ticked_off_row_show_the_same_row(login, cast):
    conversation = make_conversation(cast.alice)
    item = add_action(conversation, cast.alice, "Ship <it>")
    client = login(cast.alice)
    page = client.get(conversation.get_absolute_url()).text
    row = client.post(
        f"/conversations/actions/{item.pk}/toggle/",
        {"origin": conversation.pk},
        headers={"HX-Request": "true"},
    ).text
    assert 'aria-pressed="true"' in row and "Ship &lt;it&gt;" in row
    assert row.startswith("\n<li ") and row.endswith("</li>\n")
    assert page.count(f'id="action-{item.pk}"') == 1
