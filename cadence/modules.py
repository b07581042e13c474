"""The modules of the product, as the app shell shows them.

A module that is not built yet still has its place in the navigation and a page that says so
plainly; when its app lands, its URL name points at the app's own view instead.

A module an organisation may switch off (`switchable`) names the URL prefixes of its pages and
API (`paths`): while it is off (`organisation.current`), every one of them answers 404, it is
gone from the navigation, and its reminders do not run; its data is kept. A module `within`
another is off whenever that one is (360 reviews within Feedback).
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
    # "everyone", "managers", "hr", "admin" or "settings" (administrators and
    # organisation-wide HR)
    audience: str = "everyone"
    built: bool = False
    switchable: bool = False
    paths: tuple[str, ...] = ()  # the URL prefixes of its pages and API routes
    within: str = ""  # the module it is part of: off when that one is
    nav: bool = True  # has its own entry in the navigation


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
        switchable=True,
        paths=("/goals/", "/api/v1/goals"),
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
        switchable=True,
        paths=("/conversations/", "/api/v1/conversations"),
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
        switchable=True,
        paths=("/feedback/", "/api/v1/feedback"),
    ),
    Module(
        "reviews",
        _("360 reviews"),
        "feedback:reviews",
        _(
            "360-degree reviews in cycles: feedback from peers, reports and managers on "
            "chosen questions, reported only in groups large enough to stay anonymous."
        ),
        built=True,
        switchable=True,
        paths=("/feedback/reviews/", "/api/v1/reviews"),
        within="feedback",
        nav=False,
    ),
    Module(
        "growth",
        _("Growth"),
        "growth:index",
        _(
            "Your personal development plan, competencies for your role and level, career tracks "
            "and the skills to grow next."
        ),
        built=True,
        switchable=True,
        paths=("/growth/", "/api/v1/growth"),
    ),
    Module(
        "talent",
        _("Talent"),
        "talent:index",
        _(
            "Skills heatmaps, key positions and their successors, talent reviews in the open "
            "and internal openings that fit the people who want to move."
        ),
        built=True,
        switchable=True,
        paths=("/talent/", "/api/v1/talent"),
    ),
    Module(
        "surveys",
        _("Surveys"),
        "surveys:index",
        _(
            "Short pulse surveys on engagement and psychological safety; results only where "
            "enough people answered to keep everyone anonymous."
        ),
        built=True,
        switchable=True,
        paths=("/surveys/", "/api/v1/surveys"),
    ),
    Module(
        "insights",
        _("Insights"),
        "insights:index",
        _(
            "Rhythm health, skills gaps and engagement trends — figures with their context, "
            "never exposing a person."
        ),
        built=True,
        switchable=True,
        paths=("/insights/", "/api/v1/insights"),
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
        paths=("/my-team/",),
        within="conversations",  # a team's rhythm: gone when conversations are off
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
        "organisation:index",
        _(
            "The organisation's settings, modules, pilot teams, roles and invitations, for "
            "administrators and HR."
        ),
        audience="settings",
        built=True,
    ),
]

BY_KEY = {module.key: module for module in MODULES}
SWITCHABLE = [module for module in MODULES if module.switchable]


def owning(path: str) -> Module | None:
    """The module a URL path belongs to (the most specific) where it may be switched off, by
    itself or with the module it is within; or None."""
    found: Module | None = None
    longest = 0
    for module in MODULES:
        for prefix in module.paths:
            if path.startswith(prefix) and len(prefix) > longest:
                found, longest = module, len(prefix)
    return found


def is_on(key: str, off: frozenset[str] | set[str]) -> bool:
    """Is the module on, given the keys switched off (a module within another is off with it)?"""
    while key:
        if key in off:
            return False
        key = BY_KEY[key].within if key in BY_KEY else ""
    return True
