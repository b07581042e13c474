"""The steps of getting started, checked from the real state of the installation: the
administrator's first-run guide walks them, and HR's "Getting started" card on Home lists them
until it is put away.

Each step is done when what it asks for is there (the organisation has a name, someone has
organisation-wide HR, people besides the administrators and HR work here…), or, for a choice
that leaves no trace of its own (keeping every module on, running Cadence for everyone, keeping
the default rhythm), when someone whose part it is ticked it (`FirstRun.confirmed`). The whole
state is read in one query (`load`).

The pilot and invitations pages are other parts of the roll-out (`organisation:pilot`,
`organisation:invitations`): until their URLs exist, their steps show without a link (`_url`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access.models import HRRole
from accounts.models import Invitation
from conversations.models import RhythmRule
from conversations.rules import edits_default_rhythm
from firstrun.models import FirstRun
from organisation import current
from organisation.models import OrgSettings
from organisation.rules import ADMIN, HR, may
from people.models import Person, current_q
from people.rules import can_import_people, can_manage_people

if TYPE_CHECKING:
    from access.viewer import Viewer


@dataclass(frozen=True)
class Step:
    key: str
    title: StrOrPromise
    part: str  # whose step it is: organisation.rules.ADMIN or HR
    module: str = ""  # a step only while this module is on
    # The button that ticks it by hand, when the choice leaves no trace of its own.
    confirm_label: StrOrPromise = ""


STEPS = [
    Step("organisation", _("Name the organisation"), ADMIN),
    Step("hr", _("Name the first HR person"), ADMIN),
    Step("people", _("Add or import people"), HR),
    Step("modules", _("Choose the modules"), ADMIN, confirm_label=_("Keep every module on")),
    Step("pilot", _("Choose where Cadence runs"), HR, confirm_label=_("Everyone: no pilot")),
    Step(
        "rhythm",
        _("Set the conversation rhythm"),
        HR,
        module="conversations",
        confirm_label=_("Keep the default rhythm"),
    ),
    Step("invitations", _("Invite people"), HR),
]
BY_KEY = {step.key: step for step in STEPS}


@dataclass(frozen=True)
class State:
    """What the steps are checked against, as read by `load`."""

    set_up: bool
    named: bool
    has_hr: bool
    hr_name: str  # the first organisation-wide HR person's name ("" when none)
    has_people: bool
    piloting: bool
    has_rhythm: bool
    invited: bool
    confirmed: frozenset[str]
    dismissed: bool

    def done(self, key: str) -> bool:
        modules_chosen = bool(current.settings().modules_off)
        return {
            "organisation": self.named,
            "hr": self.has_hr,
            "people": self.has_people,
            "modules": modules_chosen or "modules" in self.confirmed,
            "pilot": self.piloting or "pilot" in self.confirmed,
            "rhythm": self.has_rhythm or "rhythm" in self.confirmed,
            "invitations": self.invited,
        }[key]

    def steps(self) -> list[Step]:
        """The steps that apply: those of modules switched off are left out."""
        org = current.settings()
        return [step for step in STEPS if not step.module or org.is_on(step.module)]


def _facts() -> dict:
    """Each fact of `State` as an SQL expression, to read on the first run's row."""
    org = OrgSettings.objects.filter(pk=1)
    organisation_hr = HRRole.objects.filter(scope__isnull=True)
    # People besides those who run the installation and HR: the ones Cadence is for.
    others = Person.objects.filter(current_q(), is_staff=False, hr_role__isnull=True)
    return {
        "set_up": Exists(org.filter(set_up_at__isnull=False)),
        "named": Exists(org.exclude(name="")),
        "piloting": Exists(org.filter(pilot=True)),
        "has_hr": Exists(organisation_hr),
        "hr_name": Subquery(organisation_hr.order_by("pk").values("person__name")[:1]),
        "has_people": Exists(others),
        "has_rhythm": Exists(RhythmRule.objects.all()),
        "invited": Exists(Invitation.objects.filter(person__in=others)),
    }


def _state(values: dict) -> State:
    return State(
        set_up=values["set_up"],
        named=values["named"],
        has_hr=values["has_hr"],
        hr_name=values["hr_name"] or "",
        has_people=values["has_people"],
        piloting=values["piloting"],
        has_rhythm=values["has_rhythm"],
        invited=values["invited"],
        confirmed=frozenset(values["confirmed"] or ()),
        dismissed=values["dismissed_at"] is not None,
    )


def load(*, claimed_only: bool = False) -> State | None:
    """The state, in one query; None without the first run's row (with `claimed_only`: unless
    the installation was claimed with a set-up code and its checklist is still out)."""
    rows = FirstRun.objects.filter(pk=1)
    if claimed_only:
        rows = rows.filter(claimed_at__isnull=False, dismissed_at__isnull=True)
    facts = _facts()
    values = rows.annotate(**facts).values("confirmed", "dismissed_at", *facts).first()
    return None if values is None else _state(values)


# --- For a viewer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: StrOrPromise
    url: str


@dataclass(frozen=True)
class Item:
    step: Step
    done: bool
    links: list[Link] = field(default_factory=list)  # where the viewer does it
    confirm: bool = False  # the viewer may tick it by hand

    @property
    def key(self) -> str:
        return self.step.key


def _links(viewer: Viewer, key: str) -> list[Link]:
    """Where the viewer does the step."""
    found: list[tuple[StrOrPromise, str]] = []
    if key == "organisation" and may(viewer, ADMIN):
        found.append((_("Organisation settings"), reverse("organisation:general")))
    elif key == "hr" and may(viewer, ADMIN):
        found.append((_("HR roles"), reverse("organisation:roles")))
    elif key == "people":
        if can_import_people(viewer):
            found.append((_("Import from CSV"), reverse("people:import")))
        if can_manage_people(viewer):
            found.append((_("Add a person"), reverse("people:person_create")))
    elif key == "modules" and may(viewer, ADMIN):
        found.append((_("Modules"), reverse("organisation:modules")))
    elif key == "pilot" and may(viewer, HR):
        found.append((_("Pilot teams"), reverse("organisation:pilot")))
    elif key == "rhythm" and edits_default_rhythm(viewer):
        found.append((_("Rhythms"), reverse("conversations:rhythms")))
    elif key == "invitations" and may(viewer, HR):
        found.append((_("Invitations"), reverse("organisation:invitations")))
    return [Link(label, url) for label, url in found]


def may_confirm(viewer: Viewer, step: Step) -> bool:
    """May tick the step by hand: a choice of the viewer's part of the settings."""
    return bool(step.confirm_label) and may(viewer, step.part)


def items(viewer: Viewer, state: State) -> list[Item]:
    found = []
    for step in state.steps():
        done = state.done(step.key)
        confirm = not done and may_confirm(viewer, step)
        found.append(Item(step, done, _links(viewer, step.key), confirm))
    return found


@dataclass(frozen=True)
class Checklist:
    items: list[Item]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class ForHome:
    """What Home shows of the first run: where to send an administrator whose installation is
    not set up yet, or the checklist."""

    redirect_to: str | None = None
    checklist: Checklist | None = None


def for_home(viewer: Viewer) -> ForHome | None:
    """For administrators and organisation-wide HR of an installation claimed with a set-up
    code whose checklist is still out: one query. Everyone else: None, without a query."""
    if not (viewer.is_admin or may(viewer, HR)):
        return None
    state = load(claimed_only=True)
    if state is None:
        return None
    if viewer.is_admin and not state.set_up:
        return ForHome(redirect_to=guide_url(state))
    return ForHome(checklist=Checklist(items(viewer, state)))


def guide_url(state: State) -> str:
    """The guide's first step not done yet, or its end when every one is."""
    for step in state.steps():
        if not state.done(step.key):
            return reverse("setup:step", args=[step.key])
    return reverse("setup:finish")
