"""The modules of the product, as the app shell shows them.

A module that is not built yet still has its place in the navigation and a page that says so
plainly; when its app lands, its URL name points at the app's own view instead.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Module:
    key: str
    label: StrOrPromise
    url_name: str
    summary: StrOrPromise
    audience: str = "everyone"  # "everyone", "managers", "hr" or "admin"
    built: bool = False


MODULES = [
    Module("home", _("Home"), "home", _("Your week at a glance."), built=True),
    Module(
        "goals",
        _("Goals"),
        "goals:mine",
        _(
            "Objectives and key results — result, behavioural and learning goals — aligned to "
            "your team and company, revisited often, with their progress history."
        ),
        built=True,
    ),
    Module(
        "conversations",
        _("Conversations"),
        "conversations:index",
        _(
            "Monthly check-ins, quarterly reviews and development conversations, with a shared "
            "agenda you prepare and action items that carry over."
        ),
        built=True,
    ),
    Module(
        "feedback",
        _("Feedback"),
        "feedback:inbox",
        _(
            "Specific, behaviour-based feedback and praise in every direction, feedback requests "
            "and 360-degree reviews with real anonymity."
        ),
        built=True,
    ),
    Module(
        "growth",
        _("Growth"),
        "growth",
        _(
            "Your personal development plan, competencies for your role and level, career tracks "
            "and the skills to grow next."
        ),
    ),
    Module(
        "surveys",
        _("Surveys"),
        "surveys",
        _(
            "Short pulse surveys on engagement and psychological safety; results only where "
            "enough people answered to keep everyone anonymous."
        ),
    ),
    Module(
        "insights",
        _("Insights"),
        "insights",
        _(
            "Rhythm health, skills gaps and engagement trends — figures with their context, "
            "never exposing a person."
        ),
    ),
    Module(
        "my_team",
        _("My team"),
        "my_team",
        _(
            "Your reports at a glance: who is due a conversation, whose goals need attention, "
            "who asked for feedback."
        ),
        audience="managers",
        built=True,
    ),
    Module(
        "organisation",
        _("Organisation"),
        "people:directory",
        _("People, teams and reporting lines; import from CSV."),
        audience="hr",
        built=True,
    ),
    Module(
        "administration",
        _("Administration"),
        "admin:index",
        _("The installation's accounts, roles and data, for administrators."),
        audience="admin",
        built=True,
    ),
]

BY_KEY = {module.key: module for module in MODULES}
