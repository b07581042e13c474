"""The demo organisation: a realistic company, the same one for the same seed, built fast.

`manage.py demo` calls `build_demo()`. It plans the whole organisation in Python first: a CEO,
divisions (Engineering, Product, Sales…), departments and teams several levels deep, every
manager with 3 to 12 direct reports, job roles and levels that fit, names from Faker, hires
that speed up over the years and leavers along the way. Every row gets its id up front, so the
management chains and team paths are known before anything is written; each table is then
written with a few bulk inserts, all in one transaction. Structure, names and e-mail addresses
depend only on the seed and the size; dates are relative to today.

`--people` is the headcount today; the leavers of the years of history come on top. Everyone's
password is "demo". A few people have addresses that are easy to type: ceo@, hr@ (HR for the
whole organisation) and admin@ (the administrator, from IT) at demo.cadence.example.

Adding history from another app
-------------------------------
Later modules (goals, conversations, feedback…) add their own history to the same run. Give the
app a `demo.py` and register a builder there::

    # goals/demo.py
    from people.demo import DemoOrg, history_builder

    @history_builder
    def goal_history(org: DemoOrg) -> None:
        rng = org.random("goals")  # its own stream: adding a builder shifts no other data
        goals = [...]  # for org.current, org.managers, dates from org.history_start on
        Goal.objects.bulk_create(goals, batch_size=1000)
        org.counts["goals"] = len(goals)  # shown in the command's summary line

`build_demo()` imports every installed app's `demo` module (as the admin finds `admin.py`), so
builders run in INSTALLED_APPS order, after the people exist and inside the same transaction.
A builder gets the `DemoOrg`: the saved people and teams with their ids, who is current and who
left, direct reports, start and leave dates, the personas (`ceo`, `hr`, `admin`), `today` and
`history_start`, and seeded random generators. Builders bulk-create; they never save row by row.

`--flush` deletes people, teams, roles and HR roles; rows that cascade from people and teams go
with them. An app whose rows protect people or teams registers a `@flush_step` that deletes
them first.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from faker import Faker

from access.models import HRRole
from people.models import Person, Role, Team

DOMAIN = "demo.cadence.example"
PASSWORD = "demo"  # noqa: S105 - the demo organisation's shared, published password
MIN_PEOPLE = 30
SPAN = (3, 12)  # every manager has this many direct reports, at least and at most
ATTRITION = 0.12  # leavers per year, as a share of today's headcount
COMPANY = "Demo company"
HQ = "Europe/Amsterdam"


# --- The shape of the company ---------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A department of a division: the job roles in it (the first is the common one) and the
    names of its teams."""

    name: str
    roles: tuple[str, ...]
    teams: tuple[str, ...]


@dataclass(frozen=True)
class Division:
    name: str
    weight: int  # share of the headcount
    head_title: str
    manager_role: str
    areas: tuple[Area, ...]
    # Sales-like divisions name their teams by department and region: "Enterprise DACH".
    regional: bool = False


def _teams(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(";"))


# At least nine team names a department: no unit has more than nine sub-units.
REGIONS = _teams(
    "EMEA; North America; DACH; Benelux; Nordics; UK & Ireland; France; Southern Europe; APAC;"
    " LATAM"
)
DIVISIONS = (
    Division(
        "Engineering",
        30,
        "VP Engineering",
        "Engineering manager",
        (
            Area(
                "Platform",
                ("Software engineer", "Site reliability engineer"),
                _teams(
                    "Payments; Identity; Billing; Ledger; Permissions; Notifications; Search;"
                    " Public API; Integrations; Workflows"
                ),
            ),
            Area(
                "Product engineering",
                ("Software engineer", "QA engineer"),
                _teams(
                    "Checkout; Onboarding; Reporting; Calendar; Documents; Messaging;"
                    " Scheduling; Web app; Imports; Growth"
                ),
            ),
            Area(
                "Data",
                ("Data engineer", "Machine learning engineer"),
                _teams(
                    "Analytics; Data platform; Recommendations; Fraud; Pricing; Forecasting;"
                    " Experimentation; Data quality; Streaming"
                ),
            ),
            Area(
                "Infrastructure",
                ("Site reliability engineer", "Software engineer"),
                _teams(
                    "Storage; Networking; Observability; Build tools; Deployments;"
                    " Developer experience; Databases; Compute; Release engineering"
                ),
            ),
            Area(
                "Mobile",
                ("Mobile engineer", "QA engineer"),
                _teams(
                    "iOS; Android; Mobile platform; Offline; Mobile growth; Push;"
                    " Mobile payments; Wearables; Mobile design system"
                ),
            ),
            Area(
                "Security",
                ("Security engineer",),
                _teams(
                    "Application security; Cloud security; Detection & response;"
                    " Identity security; Security tooling; Vulnerability management; Trust;"
                    " Privacy engineering; Security architecture"
                ),
            ),
        ),
    ),
    Division(
        "Product",
        8,
        "VP Product",
        "Product lead",
        (
            Area(
                "Product management",
                ("Product manager",),
                _teams(
                    "Core product; Self-service; Admin experience; Collaboration;"
                    " Enterprise features; Platform products; Activation; Retention;"
                    " New business; Mobile experience"
                ),
            ),
            Area(
                "Design",
                ("Product designer", "UX researcher"),
                _teams(
                    "Design system; Interaction design; Visual design; UX writing;"
                    " Research operations; Accessibility; Prototyping; Design operations;"
                    " Brand experience"
                ),
            ),
            Area(
                "Product analytics",
                ("Product analyst",),
                _teams(
                    "Funnel analytics; Product insights; Customer insights; Pricing analytics;"
                    " Growth analytics; Usage analytics; Data products; Metrics;"
                    " Experiment analysis"
                ),
            ),
            Area(
                "Technical writing",
                ("Technical writer",),
                _teams(
                    "Developer docs; Help centre; Release notes; API docs; Tutorials;"
                    " Localisation; Knowledge base; Training content; Product education"
                ),
            ),
        ),
    ),
    Division(
        "Sales",
        16,
        "VP Sales",
        "Sales manager",
        (
            Area("Enterprise", ("Account executive", "Solutions engineer"), REGIONS),
            Area("Mid-market", ("Account executive",), REGIONS),
            Area("Sales development", ("Sales development representative",), REGIONS),
            Area("Partnerships", ("Partner manager",), REGIONS),
            Area("Sales operations", ("Sales operations analyst",), REGIONS),
        ),
        regional=True,
    ),
    Division(
        "Marketing",
        8,
        "VP Marketing",
        "Marketing manager",
        (
            Area(
                "Demand generation",
                ("Marketing specialist", "Marketing analyst"),
                _teams(
                    "Campaigns; Paid media; Lifecycle; Webinars; Field marketing;"
                    " Account-based marketing; Marketing operations; Partner marketing; Email"
                ),
            ),
            Area(
                "Product marketing",
                ("Product marketer",),
                _teams(
                    "Launches; Positioning; Competitive intelligence; Sales enablement;"
                    " Customer marketing; Pricing & packaging; Industry marketing;"
                    " Analyst relations; Messaging"
                ),
            ),
            Area(
                "Brand",
                ("Brand designer", "Copywriter"),
                _teams(
                    "Brand design; Creative studio; Video; Illustration; Brand partnerships;"
                    " Copy; Photography; Motion design; Merchandise"
                ),
            ),
            Area(
                "Content",
                ("Content marketer", "Copywriter"),
                _teams(
                    "Blog; Social; Community; Podcast; Newsletter; Editorial; SEO content;"
                    " Case studies; Developer relations"
                ),
            ),
            Area(
                "Events",
                ("Event manager",),
                _teams(
                    "Conferences; User conference; Roadshows; Virtual events; Sponsorships;"
                    " Event operations; Trade shows; Meetups; Executive events"
                ),
            ),
            Area(
                "Web",
                ("Web developer", "SEO specialist"),
                _teams(
                    "Website; Web platform; SEO; Conversion; Web analytics; Localised sites;"
                    " Landing pages; Web design; Content management"
                ),
            ),
        ),
    ),
    Division(
        "Customer success",
        14,
        "VP Customer Success",
        "Customer success lead",
        (
            Area("Support", ("Support specialist", "Support engineer"), REGIONS),
            Area("Customer success", ("Customer success manager",), REGIONS),
            Area("Onboarding", ("Implementation consultant",), REGIONS),
            Area("Renewals", ("Renewals specialist",), REGIONS),
        ),
        regional=True,
    ),
    Division(
        "Operations",
        8,
        "VP Operations",
        "Operations manager",
        (
            Area(
                "IT",
                ("IT support specialist", "IT administrator"),
                _teams(
                    "Service desk; Workplace technology; End-user computing;"
                    " Identity & access; Collaboration tools; IT infrastructure;"
                    " Asset management; Internal tools; IT security"
                ),
            ),
            Area(
                "Legal",
                ("Legal counsel", "Paralegal"),
                _teams(
                    "Contracts; Privacy; Corporate legal; Employment law;"
                    " Intellectual property; Regulatory; Litigation; Commercial legal;"
                    " Legal operations"
                ),
            ),
            Area(
                "Facilities",
                ("Facilities coordinator", "Office manager"),
                _teams(
                    "Workplace Amsterdam; Workplace London; Workplace New York;"
                    " Workplace Berlin; Office services; Travel; Hospitality; Real estate;"
                    " Health & safety"
                ),
            ),
            Area(
                "Security & compliance",
                ("Compliance officer", "Security analyst"),
                _teams(
                    "Risk; Audit; Certifications; Policy; Business continuity; Vendor risk;"
                    " Compliance operations; Governance; Physical security"
                ),
            ),
            Area(
                "Business operations",
                ("Business analyst",),
                _teams(
                    "Procurement; Vendor management; Strategy; Planning; Business analytics;"
                    " Process improvement; Programme management; Management reporting;"
                    " Business systems"
                ),
            ),
        ),
    ),
    Division(
        "Finance",
        6,
        "Chief financial officer",
        "Finance manager",
        (
            Area(
                "Accounting",
                ("Accountant",),
                _teams(
                    "Accounts payable; Accounts receivable; General ledger; Consolidation;"
                    " Financial reporting; Controlling; Revenue accounting; Fixed assets;"
                    " Month-end close"
                ),
            ),
            Area(
                "FP&A",
                ("Financial analyst",),
                _teams(
                    "Planning; Forecasting; Business partnering; Budgeting;"
                    " Performance reporting; Cost analysis; Headcount planning;"
                    " Investor reporting; Pricing finance"
                ),
            ),
            Area(
                "Payroll",
                ("Payroll specialist",),
                _teams(
                    "Payroll Netherlands; Payroll UK; Payroll US; Payroll Germany;"
                    " Benefits administration; Expenses; Payroll systems; Payroll compliance;"
                    " Global payroll"
                ),
            ),
            Area(
                "Revenue operations",
                ("Revenue operations analyst",),
                _teams(
                    "Billing operations; Deal desk; Collections; Revenue systems;"
                    " Quote to cash; Commissions; Renewals operations; Order management;"
                    " Revenue analytics"
                ),
            ),
            Area(
                "Tax & treasury",
                ("Tax specialist", "Treasury analyst"),
                _teams(
                    "Direct tax; Indirect tax; Transfer pricing; Treasury; Cash management;"
                    " Tax compliance; Insurance; Banking; Tax reporting"
                ),
            ),
        ),
    ),
    Division(
        "People",
        6,
        "Chief people officer",
        "People manager",
        (
            Area(
                "People operations",
                ("People operations specialist", "HR administrator"),
                _teams(
                    "HR systems; People services; Onboarding; Employee relations;"
                    " HR administration; Immigration; People analytics; Policies; Offboarding"
                ),
            ),
            Area(
                "Talent acquisition",
                ("Recruiter", "Sourcer"),
                _teams(
                    "Recruiting engineering; Recruiting go-to-market; Recruiting operations;"
                    " Employer brand; Sourcing; Campus recruiting; Executive search;"
                    " Recruiting G&A; Candidate experience"
                ),
            ),
            Area(
                "Learning & development",
                ("Learning specialist",),
                _teams(
                    "Leadership development; Onboarding programmes; Learning platform;"
                    " Coaching; Career development; Manager training; Technical training;"
                    " Mentoring; Learning operations"
                ),
            ),
            Area(
                "Total rewards",
                ("Compensation analyst",),
                _teams(
                    "Compensation; Benefits; Equity; Wellbeing; Recognition; Pensions;"
                    " Global mobility; Rewards analytics; Pay equity"
                ),
            ),
        ),
    ),
)
# Small organisations have fewer divisions; these come first (HR and IT are always there).
PRIORITY = (
    "Engineering",
    "People",
    "Operations",
    "Sales",
    "Customer success",
    "Product",
    "Marketing",
    "Finance",
)
CEO_STAFF = ("Chief of staff", "Executive assistant")
PEOPLE_PARTNER = "People partner"
IT_ADMIN = "IT administrator"
EXECUTIVE = "Executive"

IC_LEVELS = (1, 2, 3, 4, 5)
IC_LEVEL_WEIGHTS = (18, 32, 30, 14, 6)
LEAVER_LEVEL_WEIGHTS = (25, 35, 25, 10, 5)
LEVEL_PREFIX = {1: "Junior ", 2: "", 3: "Senior ", 4: "Lead ", 5: "Principal "}

TIME_ZONES = (
    (HQ, 50),
    ("Europe/London", 20),
    ("America/New_York", 18),
    ("Europe/Berlin", 7),
    ("Europe/Lisbon", 5),
)
# Teams named after a place work there.
PLACE_TIME_ZONES = {
    "North America": "America/New_York",
    "New York": "America/New_York",
    "Payroll US": "America/New_York",
    "London": "Europe/London",
    "Payroll UK": "Europe/London",
    "Berlin": "Europe/Berlin",
    "Germany": "Europe/Berlin",
    "Amsterdam": HQ,
    "Netherlands": HQ,
    "UK & Ireland": "Europe/London",
    "DACH": "Europe/Berlin",
    "Benelux": HQ,
    "Nordics": "Europe/Stockholm",
    "France": "Europe/Paris",
    "Southern Europe": "Europe/Madrid",
    "APAC": "Asia/Singapore",
    "LATAM": "America/Sao_Paulo",
}
# Where people live decides, loosely, where their names come from.
NAME_LOCALES = {
    HQ: (
        ("nl_NL", 58),
        ("en_GB", 8),
        ("de_DE", 8),
        ("fr_FR", 5),
        ("es_ES", 5),
        ("it_IT", 5),
        ("pl_PL", 5),
        ("pt_BR", 3),
        ("en_IN", 3),
    ),
    "Europe/London": (
        ("en_GB", 70),
        ("en_IN", 8),
        ("pl_PL", 6),
        ("fr_FR", 4),
        ("es_ES", 4),
        ("it_IT", 4),
        ("nl_NL", 2),
        ("en_US", 2),
    ),
    "America/New_York": (("en_US", 80), ("es_MX", 10), ("en_IN", 5), ("en_GB", 5)),
    "Europe/Berlin": (("de_DE", 75), ("pl_PL", 10), ("en_GB", 5), ("fr_FR", 5), ("nl_NL", 5)),
    "Europe/Lisbon": (("pt_PT", 70), ("es_ES", 10), ("en_GB", 10), ("fr_FR", 10)),
    "Europe/Stockholm": (("sv_SE", 75), ("en_GB", 15), ("de_DE", 10)),
    "Europe/Paris": (("fr_FR", 85), ("en_GB", 5), ("es_ES", 5), ("it_IT", 5)),
    "Europe/Madrid": (("es_ES", 70), ("it_IT", 15), ("pt_PT", 15)),
    "Asia/Singapore": (("en_IN", 50), ("en_GB", 25), ("en_US", 25)),
    "America/Sao_Paulo": (("pt_BR", 80), ("es_MX", 20)),
}


# --- The extension point --------------------------------------------------------------------------


@dataclass(eq=False)
class DemoOrg:
    """The organisation just written, for history builders to add to."""

    seed: int
    years: int
    today: date
    history_start: date
    people: list[Person]  # everyone, leavers included, saved, in id order
    current: list[Person]
    leavers: list[Person]
    teams: list[Team]
    roles: dict[str, Role]
    managers: list[Person]  # current people with current direct reports
    reports: dict[int, list[Person]]  # manager id -> current direct reports
    ceo: Person
    hr: Person
    admin: Person
    rng: random.Random
    counts: dict[str, float] = field(default_factory=dict)

    def random(self, name: str) -> random.Random:
        """A generator of its own for `name`, seeded from the demo seed."""
        return random.Random(f"cadence-demo:{self.seed}:{name}")

    def employed_on(self, person: Person, day: date) -> bool:
        return (person.start_date is None or person.start_date <= day) and (
            person.leave_date is None or day < person.leave_date
        )


HistoryBuilder = Callable[[DemoOrg], None]
HISTORY_BUILDERS: list[HistoryBuilder] = []
FLUSH_STEPS: list[Callable[[], None]] = []


def history_builder(builder: HistoryBuilder) -> HistoryBuilder:
    """Register `builder(org)` to add an app's history to every demo run."""
    if builder not in HISTORY_BUILDERS:
        HISTORY_BUILDERS.append(builder)
    return builder


def in_app_order(builders: list[HistoryBuilder]) -> list[HistoryBuilder]:
    """The builders in the order of their apps in INSTALLED_APPS (each app's in the order they
    registered): an app builds on the apps listed before it (a plan on goals and the framework,
    the audit history on everything), whichever module a test happened to import first."""
    names = [config.name for config in apps.get_app_configs()]

    def place(builder: HistoryBuilder) -> int:
        config = apps.get_containing_app_config(builder.__module__)
        return names.index(config.name) if config is not None else len(names)

    return sorted(builders, key=place)  # stable: an app's own keep their order


def flush_step(step: Callable[[], None]) -> Callable[[], None]:
    """Register `step()` to delete an app's demo rows before people and teams are flushed."""
    if step not in FLUSH_STEPS:
        FLUSH_STEPS.append(step)
    return step


# --- Planning, all in memory ----------------------------------------------------------------------


@dataclass(eq=False)
class _Unit:
    """A team in the plan, with the seat that leads it."""

    name: str
    division: Division | None
    area: Area | None
    parent: _Unit | None
    depth: int
    time_zone: str
    lead: _Seat | None = None
    members: list[_Seat] = field(default_factory=list)  # individual contributors
    children: list[_Unit] = field(default_factory=list)
    pk: int = 0
    path: str = "/"


def _division(unit: _Unit) -> Division:
    """The division a unit belongs to: every unit has one but the company at the top."""
    assert unit.division is not None
    return unit.division


@dataclass(eq=False)
class _Seat:
    """A person in the plan."""

    unit: _Unit
    manager: _Seat | None
    role: str
    title: str
    level: int
    time_zone: str
    reports: list[_Seat] = field(default_factory=list)  # current ones
    admin: bool = False
    email: str = ""
    name: str = ""
    start_ago: int = 0
    leave_ago: int | None = None
    pk: int = 0
    chain: str = "/"


def _split(total: int, weights, minimum: int) -> list[int]:
    """`total` in parts proportional to `weights`, each at least `minimum` (largest remainder)."""
    spare = total - minimum * len(weights)
    weight_sum = sum(weights)
    raw = [spare * w / weight_sum for w in weights]
    parts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in by_remainder[: spare - sum(parts)]:
        parts[i] += 1
    return [minimum + part for part in parts]


def _title(role: str, level: int) -> str:
    prefix = LEVEL_PREFIX.get(level, "")
    if prefix and not role[1:2].isupper():
        role = role[0].lower() + role[1:]
    return prefix + role


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


class _Names:
    """A department's team names in a shuffled order; numbered should they ever run out."""

    def __init__(self, names, rng: random.Random, prefix: str = ""):
        self.names = list(names)
        rng.shuffle(self.names)
        self.prefix = prefix
        self.used = 0

    def next(self) -> str:
        base = self.prefix + self.names[self.used % len(self.names)]
        round_ = self.used // len(self.names)
        self.used += 1
        return base if round_ == 0 else f"{base} {round_ + 1}"


class _Planner:
    def __init__(self, size: int, years: int, seed: int):
        self.size, self.years, self.seed = size, years, seed
        self.rng = random.Random(f"cadence-demo:{seed}:structure")
        self.names: dict[str, _Names] = {}
        self.units: list[_Unit] = []
        self.division_count = 0

    def plan(self) -> tuple[_Unit, list[_Seat], list[_Seat]]:
        """The company: its top unit, the current seats top-down, and the leavers."""
        count = min(len(DIVISIONS), max(3, self.size // 25))
        chosen = PRIORITY[:count]
        divisions = [d for d in DIVISIONS if d.name in chosen]
        self.division_count = len(divisions)
        staff = CEO_STAFF[: 0 if self.size < 150 else 1 if self.size < 1000 else 2]

        root = self.unit(COMPANY, None, None, None)
        root.time_zone = HQ
        root.lead = _Seat(root, None, EXECUTIVE, "Chief executive officer", 6, HQ)
        budgets = _split(self.size - 1 - len(staff), [d.weight for d in divisions], 4)
        for division, budget in zip(divisions, budgets, strict=True):
            self.fill(self.unit(division.name, division, None, root), budget)
        for title in staff:
            root.members.append(self.member(root, title, 5))
        root.lead.reports += root.members

        current = self.top_down(root.lead)
        self.pick_admin(next(u for u in root.children if _division(u).name == "Operations"))
        return root, current, self.plan_leavers()

    def unit(self, name, division, area, parent) -> _Unit:
        depth = parent.depth + 1 if parent else 0
        time_zone = next((tz for key, tz in PLACE_TIME_ZONES.items() if key in name), None)
        if time_zone is None:
            inherit = parent is not None and depth > 1 and self.rng.random() < 0.7
            time_zone = parent.time_zone if inherit else _weighted(self.rng, TIME_ZONES)
        unit = _Unit(name, division, area, parent, depth, time_zone)
        if parent:
            parent.children.append(unit)
        self.units.append(unit)
        return unit

    def team_name(self, parent: _Unit, area: Area, index: int) -> str:
        """Departments by their area, their teams from its list, smaller teams numbered."""
        if parent.depth == 1:
            return area.name
        if parent.depth == 2:
            if area.name not in self.names:
                prefix = f"{area.name} " if _division(parent).regional else ""
                self.names[area.name] = _Names(area.teams, self.rng, prefix)
            return self.names[area.name].next()
        # "Payments 2", and below that "Payments 2b".
        if parent.name[-1].isdigit():
            return f"{parent.name}{'abcdefghijkl'[index]}"
        return f"{parent.name} {index + 1}"

    def member(self, unit: _Unit, role: str, level: int) -> _Seat:
        time_zone = unit.time_zone
        if self.rng.random() < 0.1:
            time_zone = _weighted(self.rng, TIME_ZONES)
        return _Seat(unit, unit.lead, role, _title(role, level), level, time_zone)

    def ic_role(self, unit: _Unit) -> str:
        if unit.area:
            roles = unit.area.roles
            return roles[0] if len(roles) == 1 or self.rng.random() < 0.7 else roles[1]
        return self.rng.choice([area.roles[0] for area in _division(unit).areas])

    def fill(self, unit: _Unit, budget: int) -> None:
        """Lead `unit` and fill it with `budget` people (the lead included), recursively.

        A unit of up to 12 reports is a team of individual contributors. A bigger one gets a
        few senior contributors and 2 to 9 sub-units of 4 people or more (a division: one
        department per area at most), so that its lead has 3 to 12 direct reports either way.
        """
        rng, division = self.rng, _division(unit)
        reports = budget - 1
        if reports <= SPAN[1]:
            contributors, budgets = reports, []
        else:
            contributors = rng.choice((1, 1, 1, 2, 2))
            if unit.depth == 1 and division.name == "People":  # a partner for each division
                contributors = max(1, min(self.division_count - 1, reports - 8))
            rest = reports - contributors
            most = min(SPAN[1] - contributors, rest // 4, rng.randint(5, 9))
            if unit.depth == 1:
                most = min(most, len(division.areas))
            fewest = max(SPAN[0] - contributors, 2)
            parts = max(fewest, min(most, round(rest / 8.5)))
            budgets = _split(rest, [rng.uniform(0.6, 1.4) for _ in range(parts)], 4)

        assert unit.parent is not None and unit.parent.lead is not None  # led from above
        manager = unit.parent.lead
        time_zone = unit.time_zone if rng.random() < 0.9 else _weighted(rng, TIME_ZONES)
        if unit.depth == 1:
            unit.lead = _Seat(unit, manager, EXECUTIVE, division.head_title, 6, time_zone)
        elif budgets:
            role = division.manager_role
            title = f"Head of {unit.name}" if unit.depth == 2 else _title(role, 3)
            unit.lead = _Seat(unit, manager, role, title, 5, time_zone)
        else:
            role, level = division.manager_role, rng.choice((4, 4, 5))
            unit.lead = _Seat(unit, manager, role, role, level, time_zone)
        manager.reports.append(unit.lead)

        for index, part in enumerate(budgets):
            area = division.areas[index] if unit.depth == 1 else unit.area
            assert area is not None  # below a division's top, every unit is in an area
            child = self.unit(self.team_name(unit, area, index), division, area, unit)
            self.fill(child, part)
        for index in range(contributors):
            if unit.depth == 1 and division.name == "People" and (index == 0 or budgets):
                role, level = PEOPLE_PARTNER, 3 if index == 0 else rng.choice((3, 4))
            elif budgets:
                role, level = self.ic_role(unit), rng.choice((4, 5))
            else:
                role, level = self.ic_role(unit), rng.choices(IC_LEVELS, IC_LEVEL_WEIGHTS)[0]
            unit.members.append(self.member(unit, role, level))
        unit.lead.reports += unit.members

    def pick_admin(self, operations: _Unit) -> None:
        """The administrator: a contributor in an IT team, or else anywhere in Operations."""
        teams = [
            u for u in self.units if u.members and not u.children and self.within(u, operations)
        ]
        it_teams = [u for u in teams if u.area and u.area.name == "IT"]
        seat = (it_teams or teams or [operations])[0].members[0]
        seat.role, seat.title, seat.level, seat.admin = IT_ADMIN, IT_ADMIN, 3, True

    @staticmethod
    def within(unit: _Unit | None, top: _Unit) -> bool:
        while unit is not None and unit is not top:
            unit = unit.parent
        return unit is top

    @staticmethod
    def top_down(top: _Seat) -> list[_Seat]:
        """Seats breadth first: everyone comes after their manager."""
        order, queue = [], deque([top])
        while queue:
            seat = queue.popleft()
            order.append(seat)
            queue.extend(seat.reports)
        return order

    def plan_leavers(self) -> list[_Seat]:
        """People who left during the years of history, in the teams they left from.

        They report to the team's current lead; some were managers once, and their reports
        went to someone else then, so no current person reports to a leaver.
        """
        rng = random.Random(f"cadence-demo:{self.seed}:leavers")
        teams = [u for u in self.units if u.members]
        cumulative = list(accumulate(len(u.members) for u in teams))
        leavers = []
        for _ in range(round(self.size * self.years * ATTRITION)):
            unit = rng.choices(teams, cum_weights=cumulative)[0]
            if unit.division and rng.random() < 0.08:
                role = unit.division.manager_role
                seat = self.member(unit, role, 4)
                seat.title = role
            elif unit.division:
                level = rng.choices(IC_LEVELS, LEAVER_LEVEL_WEIGHTS)[0]
                seat = self.member(unit, self.ic_role(unit), level)
            else:
                seat = self.member(unit, rng.choice(CEO_STAFF), 4)
            leavers.append(seat)
        return leavers


# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i"})


def _slug(text: str) -> str:
    text = text.lower().translate(_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


def _name_everyone(seats: list[_Seat], seed: int) -> None:
    """Names from Faker, in the locales of where people work; unique e-mail addresses."""
    rng = random.Random(f"cadence-demo:{seed}:names")
    locales = sorted({locale for pairs in NAME_LOCALES.values() for locale, _ in pairs})
    faker = Faker(locales)
    faker.seed_instance(seed)
    used = {"ceo", "hr", "admin"}
    taken: dict[str, int] = {}
    for seat in seats:
        locale = _weighted(rng, NAME_LOCALES.get(seat.time_zone, NAME_LOCALES[HQ]))
        fake = faker[locale]
        first, last = fake.first_name(), fake.last_name()
        seat.name = f"{first} {last}"
        local = f"{_slug(first) or 'someone'}.{_slug(last) or 'demo'}"
        number = taken.get(local, 1)
        candidate = local if number == 1 else f"{local}{number}"
        while candidate in used:
            number += 1
            candidate = f"{local}{number}"
        taken[local] = number
        used.add(candidate)
        seat.email = f"{candidate}@{DOMAIN}"


def _date_everyone(current: list[_Seat], leavers: list[_Seat], years: int, seed: int) -> None:
    """Days ago that people started and left; hiring speeds up as the company grows."""
    rng = random.Random(f"cadence-demo:{seed}:dates")
    window = round(years * 365.25)
    founded = window + 365 * rng.randint(4, 7)

    def recent():  # more recent is likelier: the company grows
        share = rng.random() if rng.random() < 0.5 else rng.random() ** 0.5
        return max(7, int(window * (1 - share)))

    for seat in current:
        if seat.manager is None:
            seat.start_ago = founded
            continue
        senior = 0.8 if seat.unit.depth == 1 and seat is seat.unit.lead else 0.5
        before = rng.random() < (senior if seat.reports else 0.3)
        seat.start_ago = window + rng.randint(1, founded - window) if before else recent()
    for seat in leavers:
        seat.leave_ago = max(1, recent() - 6)
        seat.start_ago = min(founded, seat.leave_ago + rng.randint(60, 4 * 365))


# --- Writing --------------------------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def flush_demo() -> None:
    """Delete people, teams, roles and HR roles, and what hangs off them (each app's demo
    module, loaded here, registers the steps its rows need)."""
    autodiscover_modules("demo")
    for step in FLUSH_STEPS:
        step()
    HRRole.objects.all().delete()
    Person.objects.all().delete()
    Team.objects.update(parent=None)  # parent protects its children
    Team.objects.all().delete()
    Role.objects.all().delete()
    if apps.is_installed("django.contrib.sessions"):
        from django.contrib.sessions.models import Session

        Session.objects.all().delete()  # they would sign in as whoever gets the same id


def build_demo(
    people: int = 300, years: int = 3, seed: int = 1, *, flush: bool = False, history=True
) -> DemoOrg:
    """Write the demo organisation (and every app's history) in one transaction."""
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo organisation needs at least {MIN_PEOPLE} people.")
    if years < 1:
        raise ValueError("The demo organisation needs at least one year of history.")
    started = time.perf_counter()
    root, current, leavers = _Planner(people, years, seed).plan()
    assert root.lead is not None  # the chief executive
    _name_everyone(current + leavers, seed)
    hr = next(s for s in current if s.role == PEOPLE_PARTNER)
    admin = next(s for s in current if s.admin)
    root.lead.email, hr.email, admin.email = f"ceo@{DOMAIN}", f"hr@{DOMAIN}", f"admin@{DOMAIN}"
    _date_everyone(current, leavers, years, seed)

    # Load the apps' demo modules first: their flush steps must run before people go.
    autodiscover_modules("demo")
    with written_at_once():
        if flush:
            flush_demo()
        org = _write(root, current, leavers, hr, years, seed)
        if history:
            for builder in in_app_order(HISTORY_BUILDERS):
                builder(org)
    _refresh_statistics()
    org.counts["seconds"] = round(time.perf_counter() - started, 1)
    return org


@contextmanager
def written_at_once() -> Iterator[None]:
    """The demo's one transaction, its foreign keys checked once at the end: on PostgreSQL by
    `foreign_keys_checked_at_end`; on SQLite, when the build starts outside a transaction (as
    the command does), by turning the keys off before the transaction begins (they cannot be
    turned off inside one) and checking every table's at its end (`PRAGMA foreign_key_check`,
    a fraction of a second), instead of looking up each row's keys as it goes in (a sixth of
    the time SQLite takes to insert the rows). Inside a transaction (tests) they stay on."""
    off = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    try:
        with transaction.atomic(), foreign_keys_checked_at_end():
            yield
            if off:
                connection.check_constraints()  # IntegrityError: the whole build rolls back
    finally:
        if off:
            connection.enable_constraint_checking()


@contextmanager
def foreign_keys_checked_at_end() -> Iterator[None]:
    """On PostgreSQL, inside the demo's transaction: take the foreign keys off while the
    organisation is written, and put them back (checked) at the end. PostgreSQL checks a
    deferred foreign key row by row at commit, about 3 of the 10 minutes of a 100,000-person
    demo; adding one back checks every row in one join. The same definitions return, so the
    schema is unchanged; anything that fails rolls the whole transaction back, drops included.
    SQLite's keys cannot be switched off inside a transaction: `written_at_once` does it before
    the transaction starts."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace"
        )
        keys = cursor.fetchall()
        # Checks still pending from earlier in the transaction run now: a table with pending
        # checks cannot lose its keys.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """For apps' history builders: INSERT rows of values ready for the database, tuples in
    `fields` order (much faster than hundreds of thousands of model instances for
    `bulk_create`). PostgreSQL takes them with COPY, several times faster than INSERTs."""
    if not rows:
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        values = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _refresh_statistics() -> None:
    """After a bulk load the query planner's statistics describe the empty tables: refresh
    them, as autovacuum would only later (a stale count of people makes PostgreSQL hash-join
    every person to read one person's conversations)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


def _write(root, current, leavers, hr_seat, years, seed) -> DemoOrg:
    today = timezone.localdate()
    units, queue = [], deque([root])
    while queue:
        unit = queue.popleft()
        units.append(unit)
        queue.extend(unit.children)
    first_team = _next_id(Team)
    for number, unit in enumerate(units):
        unit.pk = first_team + number
        unit.path = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
    first_person = _next_id(Person)
    for number, seat in enumerate(current + leavers):
        seat.pk = first_person + number
        if seat.manager:  # managers come first: their chain is known
            seat.chain = f"{seat.manager.chain}{seat.manager.pk}/"

    names = sorted({seat.role for seat in current + leavers})
    roles = Role.objects.in_bulk(names, field_name="name")
    roles.update(
        {r.name: r for r in Role.objects.bulk_create(Role(name=n) for n in names if n not in roles)}
    )

    teams = [
        Team(
            pk=unit.pk,
            name=unit.name,
            parent_id=unit.parent.pk if unit.parent else None,
            lead_id=unit.lead.pk,
            path=unit.path,
        )
        for unit in units
    ]
    password = make_password(PASSWORD)

    def person(seat: _Seat) -> Person:
        return Person(
            pk=seat.pk,
            email=seat.email,
            name=seat.name,
            job_title=seat.title,
            role_id=roles[seat.role].pk,
            level=seat.level,
            team_id=seat.unit.pk,
            manager_id=seat.manager.pk if seat.manager else None,
            chain=seat.chain,
            start_date=today - timedelta(days=seat.start_ago),
            leave_date=None if seat.leave_ago is None else today - timedelta(days=seat.leave_ago),
            time_zone=seat.time_zone,
            password=password,
            is_staff=seat.admin,
            is_superuser=seat.admin,
        )

    people = [person(seat) for seat in current + leavers]
    # Foreign keys are checked at commit, so teams may name leads that are written next.
    Team.objects.bulk_create(teams, batch_size=1000)
    Person.objects.bulk_create(people, batch_size=1000)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Team, Person]):
            cursor.execute(sql)

    by_id = {p.pk: p for p in people}
    team_by_id = {t.pk: t for t in teams}
    HRRole.objects.bulk_create(_hr_roles(root, hr_seat, by_id, team_by_id))

    now = people[: len(current)]
    reports = {seat.pk: [by_id[r.pk] for r in seat.reports] for seat in current if seat.reports}
    org = DemoOrg(
        seed=seed,
        years=years,
        today=today,
        history_start=today - timedelta(days=round(years * 365.25)),
        people=people,
        current=now,
        leavers=people[len(current) :],
        teams=teams,
        roles=roles,
        managers=[by_id[pk] for pk in reports],
        reports=reports,
        ceo=by_id[root.lead.pk],
        hr=by_id[hr_seat.pk],
        admin=next(p for p in now if p.is_staff),
        rng=random.Random(f"cadence-demo:{seed}:history"),
    )
    org.counts.update(
        people=len(people),
        current=len(now),
        leavers=len(org.leavers),
        teams=len(teams),
        managers=len(org.managers),
    )
    return org


def _hr_roles(root: _Unit, hr_seat: _Seat, by_id, team_by_id) -> list[HRRole]:
    """HR for the whole organisation: hr@ first, the head of People, People operations' head
    and senior staff.

    Other people partners each look after one division.
    """
    people_division = next(u for u in root.children if _division(u).name == "People")
    assert people_division.lead is not None
    others = [u for u in root.children if u is not people_division]
    roles = [HRRole(person=by_id[hr_seat.pk]), HRRole(person=by_id[people_division.lead.pk])]
    partners = [s for s in people_division.members if s.role == PEOPLE_PARTNER and s is not hr_seat]
    for number, seat in enumerate(partners):
        scope = team_by_id[others[number % len(others)].pk]
        roles.append(HRRole(person=by_id[seat.pk], scope=scope))
    for unit in people_division.children:
        if unit.area is not None and unit.area.name == "People operations":
            assert unit.lead is not None
            roles += [HRRole(person=by_id[s.pk]) for s in [unit.lead, *unit.members]]
    return roles
