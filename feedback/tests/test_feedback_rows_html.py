"""`{% feedback_rows %}` (`feedback.templatetags.feedback_rows`) gives, byte for byte, what the
feedback inbox's loop gave before it, kept below as it was: on each tab (received, given,
shared), for rows unread and read, with a goal's title or none, shared with the manager or not,
with no, one and several replies, a long text, a name to escape, in English and in Dutch and
two time zones; and the page holds it."""

from datetime import timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_person
from feedback.models import Feedback, Kind, Reply, Visibility
from feedback.templatetags.feedback_rows import feedback_rows
from feedback.tests.factories import give
from goals.tests.factories import make_goal

pytestmark = pytest.mark.django_db

INBOX = reverse("feedback:inbox")

# The loop as it was in feedback/feedback/inbox.html, before `{% feedback_rows %}`.
BEFORE = (
    "{% load i18n %}"
    "{% for f in rows %}\n"
    '    <li class="feedback-item{% if f.unread %} unread{% endif %}">\n'
    '      <div class="feedback-head">\n'
    '        <span class="badge kind-{{ f.kind }}">{{ f.get_kind_display }}</span>\n'
    '        {% if tab == "received" %}\n'
    '        <span class="person-cell">'
    '{% include "cadence/avatar.html" with person=f.giver size="sm" %}'
    "{% blocktranslate with name=f.giver.name %}From {{ name }}"
    "{% endblocktranslate %}</span>\n"
    '        {% elif tab == "given" %}\n'
    '        <span class="person-cell">'
    '{% include "cadence/avatar.html" with person=f.receiver size="sm" %}'
    "{% blocktranslate with name=f.receiver.name %}To {{ name }}"
    "{% endblocktranslate %}</span>\n"
    "        {% else %}\n"
    '        <span class="person-cell">'
    "{% blocktranslate with giver=f.giver.name receiver=f.receiver.name %}From "
    "{{ giver }} to {{ receiver }}{% endblocktranslate %}</span>\n"
    "        {% endif %}\n"
    '        {% if f.unread %}<span class="badge ok">{% translate "new" %}</span>'
    "{% endif %}\n"
    '        <time class="muted" datetime="{{ f.created_at|date:\'c\' }}">'
    '{{ f.created_at|date:"DATE_FORMAT" }}</time>\n'
    "      </div>\n"
    '      <a class="feedback-link" href="{{ f.get_absolute_url }}">'
    "{{ f.text|truncatechars:220 }}</a>\n"
    '      <p class="muted feedback-meta">\n'
    "        {% if f.goal_title %}<span>"
    "{% blocktranslate with title=f.goal_title %}Goal: {{ title }}"
    "{% endblocktranslate %}</span>{% endif %}\n"
    "        <span>{{ f.get_visibility_display }}</span>\n"
    "        {% if f.shared_with_id %}<span>"
    '{% translate "shared with the manager" %}</span>{% endif %}\n'
    '        {% if tab == "given" %}<span>{% if f.read_at %}{% translate "read" %}'
    '{% else %}{% translate "not read yet" %}{% endif %}</span>{% endif %}\n'
    "        {% if f.reply_count %}<span>"
    "{% blocktranslate count counter=f.reply_count %}{{ counter }} reply{% plural %}"
    "{{ counter }} replies{% endblocktranslate %}</span>{% endif %}\n"
    "      </p>\n"
    "    </li>\n"
    "    {% endfor %}"
)


def test_every_tab_and_shape_of_row_gives_what_the_loop_gave(login, cast):
    odd = make_person("odd@example.com", "Zoë <O'Brien> & Co", team=cast.platform)
    goal = make_goal(cast.alice, title='Ship <the> "plan" & more')
    now = timezone.now()
    made = [
        give(cast.dave, cast.alice, text="Short & sweet <b>", kind=Kind.CONSTRUCTIVE),
        give(odd, cast.alice, text="Long " * 80, goal=goal, visibility=Visibility.TEAM),
        give(
            cast.carol,
            cast.alice,
            text="Shared one",
            shared_with=cast.bob,
            shared_with_manager_at=now,
            visibility=Visibility.ORGANISATION,
        ),
        give(cast.alice, odd, text="Given, read", read_at=now),
        give(cast.alice, cast.dave, text="Given, unread", goal=goal),
    ]
    for n, feedback in enumerate(made):
        Feedback.objects.filter(pk=feedback.pk).update(
            created_at=now - timedelta(days=n * 40, hours=n * 5)
        )
    for n in range(3):
        Reply.objects.create(feedback=made[1], author=cast.alice, text=f"Thanks {n}")
    Reply.objects.create(feedback=made[3], author=odd, text="Thanks")
    Feedback.objects.filter(pk=made[0].pk).update(read_at=now)
    loop = engines["django"].from_string(BEFORE)
    shown = 0
    for person, tab in [(cast.alice, "received"), (cast.alice, "given"), (cast.bob, "shared")]:
        response = login(person).get(INBOX, {"tab": tab})
        rows = response.context["rows"]
        assert rows and response.context["tab"] == tab
        for language in ["en", "nl"]:
            for zone in ["UTC", "Europe/Amsterdam"]:
                with translation.override(language), timezone.override(zone):
                    expected = loop.render({"rows": rows, "tab": tab})
                    assert feedback_rows(rows, tab) == expected
                    shown += len(rows)
        with translation.override("en"):
            assert feedback_rows(rows, tab) in response.content.decode()
    assert shown == 4 * (3 + 2 + 1)
    assert feedback_rows([], "received") == ""
