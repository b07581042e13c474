"""A plan's actions on a conversation's agenda are rendered in Python
(`plans.templatetags.plan_rows`): byte for byte what a loop over plans/_action.html gives (the
template the plan page and its htmx answers still render, so the two cannot drift apart), for
every branch of it, escaped and translated alike."""

from datetime import timedelta
from decimal import Decimal
from itertools import product
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from plans.models import ActionStatus, Plan, PlanAction

# The loop, as plans/agenda/_plan.html had it before `plan_action_rows`, over the template
# itself.
TEMPLATE = Path(__file__).parents[1] / "templates" / "plans" / "_action.html"
LOOP = "{% for action in actions %}" + TEMPLATE.read_text() + "{% endfor %}"
NEW = "{% load plan_rows %}{% plan_action_rows actions today currency may_change coaching next %}"


def _actions(cast):
    today = timezone.localdate()
    plan = Plan.objects.create(person=cast.alice)
    now = timezone.now()
    made = [
        {"kind": "course", "title": "Plain"},
        {"kind": "mentoring", "title": "<b>Bold</b> & 'x'", "due_date": today - timedelta(days=2)},
        {
            "kind": "reading",
            "title": "Later",
            "due_date": today + timedelta(days=40),
            "cost": Decimal(0),
        },
        {"kind": "stretch", "title": "Done late", "status": ActionStatus.DONE, "due_date": today},
        {
            "kind": "coaching",
            "title": "Supported",
            "status": ActionStatus.IN_PROGRESS,
            "support": "A <coach> & time",
            "support_confirmed_at": now,
            "cost": Decimal("1234.5"),
            "manager_comment": 'Go "for" it <now>',
        },
        {
            "kind": "shadowing",
            "title": "Asked",
            "support": "Budget",
            "status": ActionStatus.DROPPED,
        },
        {"kind": "training", "title": "Past due", "due_date": today - timedelta(days=1)},
    ]
    return [PlanAction.objects.create(plan=plan, **fields) for fields in made], today


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_plan_actions_in_python_are_the_loop_s_byte_for_byte(cast, language):
    actions, today = _actions(cast)
    engine = engines["django"]
    loop, new = engine.from_string(LOOP), engine.from_string(NEW)
    shown = []
    with translation.override(language):
        for may_change, coaching, next_, token in product(
            (True, False), (True, False), ("", "/conversations/7/?a=1&b=2"), ("TOKEN", "")
        ):
            context = {
                "actions": actions,
                "today": today,
                "currency": "€ <EUR>",
                "may_change": may_change,
                "coaching": coaching,
                "next": next_,
                "csrf_token": token,
            }
            wanted = loop.render(context)
            assert new.render(context) == wanted, (may_change, coaching, next_, token)
            shown.append(wanted)
        empty = {"actions": [], "today": today, "currency": "", "next": ""}
        assert new.render({**empty, "may_change": True, "coaching": True}) == ""
    if language == "en":  # every branch was there to compare
        for words in BRANCHES:
            assert words in "".join(shown), words


BRANCHES = (
    "plan-action overdue",
    "&lt;b&gt;Bold&lt;/b&gt; &amp; &#x27;x&#x27;",
    'badge warn">past due',
    "Support needed:",
    'badge ok">support confirmed',
    "Cost: 0.00 € &lt;EUR&gt;",
    "Cost: 1,234.50",
    "Manager’s comment:",
    "Go &quot;for&quot; it &lt;now&gt;",
    " selected>Done<",
    'name="next" value="/conversations/7/?a=1&amp;b=2"',
    ">Edit<",
    "Comment and confirm support",
    "checked>",
    'value="TOKEN"',
)
