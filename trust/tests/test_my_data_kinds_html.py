"""`{% my_data_kinds %}` (`trust.templatetags.my_data`) gives, byte for byte, what My data's
loop over a module's kinds gave before it, kept below as it was: for each person of the cast
in the generated organisation (kinds with items and without, descriptions, "who would see
it"), in English and in Dutch."""

import pytest
from django.template import Context, Engine
from django.utils import translation

from access.tests.population import build
from access.viewer import Viewer
from cadence.tests.matrix import CAST
from trust.data import my_data
from trust.templatetags.my_data import my_data_kinds

# The loop as it was in trust/my_data.html, before `{% my_data_kinds %}`.
BEFORE = (
    "{% load i18n who_sees %}"
    "{% for item in module.kinds %}\n"
    '  <article class="my-data-kind" aria-labelledby="kind-{{ item.kind.key|slugify }}-h">\n'
    '    <h3 id="kind-{{ item.kind.key|slugify }}-h">{{ item.kind.label }} <span class="badge">'
    "{% if item.count %}{% blocktranslate count counter=item.count %}{{ counter }} item"
    "{% plural %}{{ counter }} items{% endblocktranslate %}"
    '{% else %}{% translate "none yet" %}{% endif %}</span></h3>\n'
    '    {% if item.kind.description %}<p class="muted">{{ item.kind.description }}</p>'
    "{% endif %}\n"
    '    <p class="my-data-who">{% if item.from_example %}{% translate "Who would see it:" %}'
    '{% else %}{% translate "Who can see it:" %}{% endif %}</p>\n'
    "    {% who_sees item.who %}\n"
    "  </article>\n"
    "  {% endfor %}"
)
ENGINE = Engine(
    libraries={"i18n": "django.templatetags.i18n", "who_sees": "access.templatetags.who_sees"}
)


@pytest.mark.django_db
def test_every_module_of_my_data_gives_what_the_loop_gave(cast):
    build(cast)
    loop = ENGINE.from_string(BEFORE)
    shown = 0
    for name in CAST.values():
        data = my_data(Viewer(person=getattr(cast, name)))
        kinds = [kind for module in data.modules for kind in module.kinds]
        assert any(kind.count for kind in kinds) and any(not kind.count for kind in kinds)
        assert any(kind.count > 1 for kind in kinds)
        for language in ["en", "nl"]:
            with translation.override(language):
                for module in data.modules:
                    assert my_data_kinds(module.kinds) == loop.render(Context({"module": module}))
                    shown += len(module.kinds)
    assert shown > 100, shown
