"""`{% access_log_rows %}` (`trust.templatetags.my_data`) gives, byte for byte, what the loop of
"Who looked" gave before it, kept below as it was: for every shape of row (someone who left,
each role, a list of one and of many items, one item, each channel, with and without a path,
a name to escape, a kind no longer registered), in English and in Dutch, and the page holds it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Engine
from django.urls import reverse
from django.utils import timezone, translation

from access.models import HRRole
from conftest import make_person
from trust import who_looked
from trust.models import AccessLogEntry
from trust.templatetags.my_data import access_log_rows

pytestmark = pytest.mark.django_db

# The loop as it was in trust/access_log.html, before `{% access_log_rows %}`.
BEFORE = (
    "{% load i18n %}"
    "{% for row in rows %}\n"
    "      <tr>\n"
    "        <td data-label=\"{% translate 'When' %}\">"
    "<time datetime=\"{{ row.entry.at|date:'c' }}\">"
    '{{ row.entry.at|date:"DATETIME_FORMAT" }}</time></td>\n'
    "        <td data-label=\"{% translate 'Who' %}\">{% if row.entry.viewer %}"
    "{% blocktranslate with name=row.entry.viewer.name role=row.role %}{{ name }}, {{ role }}"
    '{% endblocktranslate %}{% else %}{% translate "Someone no longer in Cadence" %}{% endif %}'
    "</td>\n"
    "        <td data-label=\"{% translate 'What' %}\">{{ row.kind_label }}\n"
    '          <span class="muted">{% if row.entry.item is None %}'
    "{% blocktranslate count counter=row.entry.count %}(in a list, {{ counter }} item)"
    "{% plural %}(in a list, {{ counter }} items){% endblocktranslate %}"
    '{% else %}{% translate "(one item)" %}{% endif %}</span></td>\n'
    "        <td data-label=\"{% translate 'How' %}\">{{ row.entry.get_channel_display }}"
    '{% if row.entry.path %} <span class="muted wrap-anywhere">{{ row.entry.path }}</span>'
    "{% endif %}</td>\n"
    "      </tr>\n"
    "      {% endfor %}"
)
ENGINE = Engine(libraries={"i18n": "django.templatetags.i18n"})


def test_every_shape_of_row_gives_what_the_loop_gave(login, cast):
    HRRole.objects.create(person=cast.dave, scope=cast.engineering)
    odd = make_person("odd@example.com", "Zoë <O'Brien> & Co", team=cast.platform)
    now = timezone.now()
    shapes = [
        (cast.bob, "goals.team", 1, 1, "page", "/goals/1/"),
        (cast.carol, "people.employment", None, 1, "api", ""),
        (cast.erin, "people.employment", None, 2345, "export", "/api/v1/x?a=1&b=<2>"),
        (cast.dave, "goals.team", 7, 1, "page", "/goals/7/"),
        (odd, "no.such.kind", None, 3, "page", "/odd/"),
        (None, "goals.team", 9, 1, "api", "/goals/9/"),  # someone no longer in Cadence
        (cast.frank, "goals.team", None, 1, "page", "/goals/"),
    ]
    for days, (viewer, kind, item, count, channel, path) in enumerate(shapes):
        AccessLogEntry.objects.create(
            at=now - timedelta(days=days, minutes=days * 37),
            viewer=viewer,
            subject=cast.alice,
            kind=kind,
            item=item,
            count=count,
            channel=channel,
            path=path,
        )
    rows = who_looked.rows_of(list(who_looked.entries_about(cast.alice)), cast.alice)
    assert len(rows) == len(shapes) and any(row.entry.viewer is None for row in rows)
    loop = ENGINE.from_string(BEFORE)
    for language in ["en", "nl"]:
        for zone in ["UTC", "Europe/Amsterdam"]:
            with translation.override(language), timezone.override(zone):
                expected = loop.render(Context({"rows": rows}))
                assert access_log_rows(rows) == expected
                assert "&lt;O&#x27;Brien&gt; &amp; Co" in expected
    assert access_log_rows([]) == ENGINE.from_string(BEFORE).render(Context({"rows": []}))
    page = login(cast.alice).get(reverse("trust:access_log")).content.decode()
    with translation.override("en"):
        assert access_log_rows(rows) in page


@pytest.mark.parametrize(
    "written", ["DATETIME_FORMAT", "DATE_FORMAT", "c", "r", "D, j F Y H:i:s e T O I U N b E"]
)
def test_a_moment_is_written_as_the_date_filter_writes_it(written):
    """The rows' dates (`cadence.written.Written`) in any format, around a change
    of summer time: what `|date` gives."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.formats import get_format

    from cadence.written import Written

    start = datetime(2026, 3, 28, 22, 5, 9, tzinfo=UTC)
    moments = [start + timedelta(minutes=47 * n) for n in range(60)]
    for language in ["en", "nl"]:
        for zone in ["UTC", "Europe/Amsterdam"]:
            with translation.override(language), timezone.override(zone):
                words = Written(get_format(written))
                for moment in moments * 2:
                    local = timezone.template_localtime(moment)
                    assert words.of(local) == date_filter(local, written), (written, moment)
