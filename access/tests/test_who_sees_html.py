# ruff: noqa: E501 - the templates below are kept as they were, line for line
"""`{% who_sees %}` (`access.templatetags.who_sees`) gives, byte for byte, what the template
include `cadence/who_sees.html` (with `cadence/who_names.html`) gave before it, kept below as
it was: for made-up audiences of every shape (named people, roles with counts beyond the names
shown, nobody, the reader alone, examples, everyone, names and roles to escape, items seen by
some only), for the audiences of every rule's objects and of My data for each person of the
cast, in English and in Dutch; and pages that show it through the include show the same."""

import pytest
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from access import catalogue, rules
from access.templatetags.who_sees import who_sees_html
from access.tests.population import build
from access.viewer import Viewer
from access.who import Seen, WhoSees, who_sees
from cadence.tests.matrix import CAST
from people.models import Person
from trust.data import my_data

# The include as it was, before `{% who_sees %}` (its second template was included twice).
BEFORE = {
    "cadence/who_sees.html": """{% load i18n %}{# Who can see an item (or any of several): `who`, an access.who.WhoSees. #}
{% if who.only_reader %}<p class="who-only">{% translate "Only you." %}</p>
{% elif not who.lines %}<p class="who-only">{% translate "Nobody." %}</p>
{% else %}<ul class="plain who-sees">
{% for line in who.lines %}<li>
{% if line.everyone or line.example %}<strong>{{ line.label|capfirst }}</strong>{% if line.example %} <span class="muted">{% translate "(whoever that is)" %}</span>{% endif %}
{% elif line.count == 1 %}{% with person=line.people.0 %}{% if person == who.reader and line.mine %}<strong>{{ line.label|capfirst }}</strong>{% elif person == who.reader %}<strong>{% translate "You" %}</strong> — {{ line.label }}{% else %}<strong>{{ person.name }}</strong> — {{ line.label }}{% endif %}{% endwith %}
{% else %}<strong>{{ line.label|capfirst }}</strong>: {% blocktranslate count counter=line.count %}{{ counter }} person{% plural %}{{ counter }} people{% endblocktranslate %}
{% if line.count <= 5 %}<span class="who-names">({% include "cadence/who_names.html" %})</span>
{% else %}<details class="audience"><summary>{% translate "Who they are" %}</summary><p class="who-names">{% include "cadence/who_names.html" %}</p></details>{% endif %}
{% endif %}
{% if line.partial %}<span class="muted">{% blocktranslate with items=line.items total=line.total %}({{ items }} of {{ total }}){% endblocktranslate %}</span>{% endif %}
</li>{% endfor %}
</ul>{% endif %}
""",
    "cadence/who_names.html": """{% load i18n %}{% for person, items in line.each %}{{ person.name }}{% if person == who.reader %} {% translate "(you)" %}{% endif %}{% if items %} <span class="muted">{% blocktranslate count counter=items %}{{ counter }} item{% plural %}{{ counter }} items{% endblocktranslate %}</span>{% endif %}{% if not forloop.last %}, {% endif %}{% endfor %}{% if line.more %} {% blocktranslate with more=line.more %}and {{ more }} more{% endblocktranslate %}{% endif %}""",
}

LANGUAGES = ["en", "nl"]
BEFORE_ENGINE = Engine(
    loaders=[("django.template.loaders.locmem.Loader", BEFORE)],
    libraries={"i18n": "django.templatetags.i18n"},
)


def before(who) -> str:
    """What the template gave."""
    return BEFORE_ENGINE.get_template("cadence/who_sees.html").render(Context({"who": who}))


def assert_same(who) -> None:
    """The function, and the include as pages use it now, give what the template gave."""
    expected = before(who)
    assert who_sees_html(who) == expected
    assert render_to_string("cadence/who_sees.html", {"who": who}) == expected


# --- Made-up audiences --------------------------------------------------------------------------

ALICE = Person(pk=1, name="Alice <Jansen>")
BOB = Person(pk=2, name="Bob O’Brien & Sons")
CAROL = Person(pk=3, name='Carol "CJ" de Vries')
OTHERS = [Person(pk=10 + n, name=f"Person {n:02}") for n in range(8)]


def line(label="the reader’s manager <b>", *, people=(), count=None, items=1, total=1, **flags):
    """A line of "who can see this": `people` as (person, how many items) or persons."""
    pairs = [p if isinstance(p, tuple) else (p, items) for p in people]
    return Seen(
        role="role",
        label=label,
        mine=flags.get("mine", False),
        everyone=flags.get("everyone", False),
        example=flags.get("example", False),
        people=[person for person, _n in pairs],
        items_of={person.pk: n for person, n in pairs},
        count=len(pairs) if count is None else count,
        items=items,
        total=total,
    )


LINES = [
    line("everyone in the organisation", everyone=True),
    line("everyone & more", everyone=True, items=2, total=5),
    line("your manager", example=True, mine=True),
    line('Alice’s "manager"', example=True, items=0, total=3),
    line("you", people=[ALICE], mine=True),
    line("whom it is about", people=[ALICE]),
    line("whom it is about", people=[ALICE], items=1, total=4),
    line("your manager", people=[BOB], mine=True),
    line("<script>alert(1)</script>", people=[CAROL]),
    line("who gave it", people=[BOB], count=1, items=3, total=7),
    line("nobody named", count=1),
    line("nobody named", count=0),
    line("HR for Sales", people=[BOB, CAROL]),
    line("HR for Sales", people=[ALICE, BOB, CAROL]),
    line("who gave it", people=[(ALICE, 3), (BOB, 1), (CAROL, 5)], items=5, total=5),
    line("who gave it", people=[(ALICE, 2), (BOB, 2)], items=2, total=9),
    line("the team", people=OTHERS[:5]),
    line("the team", people=OTHERS[:6]),
    line("the team", people=[ALICE, *OTHERS[:7]], items=4, total=4),
    line("everyone in Sales", people=OTHERS[:3], count=1_250),
    line("everyone in Sales", people=[(p, 1) for p in OTHERS], count=12_345, items=2, total=3),
    line("everyone in Sales", people=[ALICE, *OTHERS[:4]], count=5),
]


def audiences():
    """Each line alone, every line together, and none, for readers who are in them or not."""
    for reader in [ALICE, BOB, Person(pk=99, name="Zoë"), None]:
        for one in LINES:
            yield WhoSees([one], reader)
        yield WhoSees(LINES, reader)
        yield WhoSees([LINES[4], LINES[5]], reader)  # the reader alone: "Only you."
        yield WhoSees([], reader)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shape_of_audience_gives_what_the_template_gave(language):
    shapes = list(audiences())
    assert any(who.only_reader for who in shapes)
    with translation.override(language):
        for who in shapes:
            assert_same(who)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_audience_at_all_gives_nobody_as_the_template_did(language):
    """A page without `who` (a missing variable) or with None."""
    with translation.override(language):
        for who in ["", None]:
            assert who_sees_html(None) == before(who)
            assert render_to_string("cadence/who_sees.html", {"who": who}) == before(who)
        assert render_to_string("cadence/who_sees.html", {}) == before("")


def test_dutch_is_dutch():
    with translation.override("nl"):
        html = who_sees_html(WhoSees([LINES[0], LINES[17], LINES[15]], ALICE))
    assert "Wie dat zijn" in html
    assert "Who they are" not in html


# --- The rules' audiences -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_rules_audiences_give_what_the_template_gave(cast):
    """Each object's audience for one reader of the cast or none in turn (each for all of them
    would take minutes), and all objects' together for every reader."""
    build(cast)
    readers = [*(getattr(cast, name) for name in CAST.values()), None]
    checked = 0
    for rule in rules.registered():
        objects = list(rule.for_who(rule.model._default_manager.all()))
        for action in rule.actions:
            answers = rules.who_of(objects, action)
            for language in LANGUAGES:
                with translation.override(language):
                    for number, answer in enumerate(answers):
                        assert_same(who_sees([answer], readers[number % len(readers)]))
                    for reader in readers:
                        assert_same(who_sees(answers, reader))  # any of many
                    checked += len(answers)
    assert checked > 1000, checked


@pytest.mark.django_db
def test_my_datas_audiences_give_what_the_template_gave(cast):
    build(cast)
    assert catalogue.registered()
    for name in CAST.values():
        data = my_data(Viewer(person=getattr(cast, name)))
        shown = [kind.who for module in data.modules for kind in module.kinds]
        shown += [counted.who for counted in data.aggregates if counted.who is not None]
        assert any(len(who.lines) > 1 for who in shown)
        for language in LANGUAGES:
            with translation.override(language):
                for who in shown:
                    assert_same(who)
