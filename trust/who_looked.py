"""Reading one's own access log ("who looked at my data"), for My data's page and the API: the
entries about a person, newest first, filtered by kind, by who looked, by how and by period,
with each viewer's name and their role towards the person, in one query per page.

The role is worked out from the relations of today, simply: the person's manager, someone
higher in their management chain, someone who reports to them, HR (and for which part of the
organisation), or a colleague.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from access import catalogue
from access.models import HRRole
from access.who import hr_in_words
from cadence import widgets as in_python
from cadence.kept import Kept
from cadence.prepared import ById
from people.models import Person
from trust.models import AccessLogEntry, TrustSettings

ORDER = ("-at", "-pk")

PERIODS: dict[str, tuple[StrOrPromise, timedelta | None]] = {
    "": (gettext_lazy("Any time"), None),
    "week": (gettext_lazy("The last 7 days"), timedelta(days=7)),
    "month": (gettext_lazy("The last 30 days"), timedelta(days=30)),
    "year": (gettext_lazy("The last 12 months"), timedelta(days=365)),
}


def logged_kinds() -> list[catalogue.DataKind]:
    """The kinds an entry can be of: every registered kind not public for all its objects (the
    log itself aside: nobody but its person reads it)."""
    return [
        kind
        for kind in catalogue.registered()
        if kind.public is not True and kind.model is not AccessLogEntry
    ]


def kind_label(key: str) -> StrOrPromise:
    """The words for a kind; a kind no longer registered (a module removed) shows its key."""
    try:
        return catalogue.get(key).label
    except KeyError:
        return key


def entries_about(person: Person | int) -> QuerySet[AccessLogEntry]:
    """The entries about the person (or their id), newest first, with who looked and whether
    they are HR (and where), read in the same query."""
    hr = HRRole.objects.filter(person=OuterRef("viewer_id"))
    return (
        AccessLogEntry.objects.filter(subject=person)
        .select_related("viewer")
        .annotate(
            viewer_is_hr=Exists(hr),
            viewer_hr_scope=Subquery(hr.values("scope__name")[:1]),
        )
        .order_by(*ORDER)
    )


def filtered(
    entries: QuerySet[AccessLogEntry],
    *,
    kind: str = "",
    viewer: int | None = None,
    channel: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AccessLogEntry]:
    if kind:
        entries = entries.filter(kind=kind)
    if viewer is not None:
        entries = entries.filter(viewer_id=viewer)
    if channel:
        entries = entries.filter(channel=channel)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries


def viewers_of(person: Person | int) -> QuerySet[Person]:
    """Everyone who looked at the person's data (within the retention period), by name."""
    who = AccessLogEntry.objects.filter(subject=person).values("viewer_id")
    return Person.objects.filter(pk__in=who).only("pk", "name").order_by("name", "pk")


# The page as it opens (no filter, the newest entries) and the people to filter by, their SQL
# prepared once per process and run with the person's id (`cadence.prepared.ById`): building
# and compiling the entries' query (who looked, their HR role and its scope) cost more than
# running it. Only SQL is kept, never rows: an entry written a moment ago shows at once.
FIRST_PAGE_ROWS = 31  # a page (`views_access_log.PAGE_SIZE`) and one more: is there an older?
_VIEWERS = ById(viewers_of)
_FIRST_PAGE = ById(lambda pk: entries_about(pk)[:FIRST_PAGE_ROWS])


# How many months entries are kept, as the page says: read once per process for a few seconds
# (`cadence.kept`), at once again after the settings are saved in this process.
LOG_MONTHS = Kept(lambda: TrustSettings.load().access_log_months, changed_by=(TrustSettings,))


def kept_viewers_of(person: Person) -> list[Person]:
    """`viewers_of(person)`, its SQL kept."""
    return _VIEWERS.run(person.pk)


def kept_first_page(person: Person) -> list[AccessLogEntry]:
    """The first `FIRST_PAGE_ROWS` of `entries_about(person)`, its SQL kept."""
    return _FIRST_PAGE.run(person.pk)


def role_of(entry: AccessLogEntry, person: Person) -> str:
    """Who the viewer of `entry` is to `person`, in words ("your manager")."""
    viewer = entry.viewer
    if viewer is None:
        return _("no longer in Cadence")
    if viewer.pk == person.manager_id:
        return _("your manager")
    if viewer.pk in person.chain_ids:
        return _("in your management chain")
    if getattr(entry, "viewer_is_hr", False):
        # As "who can see" names them: "HR for Engineering", "HR for the whole organisation".
        return hr_in_words(getattr(entry, "viewer_hr_scope", None))
    if viewer.manager_id == person.pk:
        return _("reports to you")
    if viewer.chain.startswith(person.subtree_prefix):
        return _("in your team below you")
    return _("a colleague")


@dataclass
class Row:
    """One entry as the page and the API show it."""

    entry: AccessLogEntry
    role: str

    @property
    def kind_label(self) -> StrOrPromise:
        return kind_label(self.entry.kind)


def rows_of(entries: list[AccessLogEntry], person: Person) -> list[Row]:
    return [Row(entry, role_of(entry, person)) for entry in entries]


class FilterForm(forms.Form):
    """The page's filters; a value it does not know is left out (and said so on the field)."""

    # Select boxes that write their HTML in Python, as their templates would
    # (`cadence.widgets`): the kinds' and the people's options went through an include each.
    kind = forms.ChoiceField(label=gettext_lazy("What"), required=False, widget=in_python.Select)
    who = forms.TypedChoiceField(
        label=gettext_lazy("Who"), required=False, coerce=int, widget=in_python.Select
    )
    how = forms.ChoiceField(
        label=gettext_lazy("How"),
        required=False,
        choices=[("", gettext_lazy("Any way")), *AccessLogEntry.Channel.choices],
        widget=in_python.Select,
    )
    period = forms.ChoiceField(
        label=gettext_lazy("When"),
        required=False,
        choices=[(key, label) for key, (label, _span) in PERIODS.items()],
        widget=in_python.Select,
    )

    def __init__(self, *args: Any, viewers: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(kind.key, kind.label) for kind in logged_kinds()]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", gettext_lazy("Any kind of data")),
            *kinds,
        ]
        people = [(person.pk, person.name) for person in viewers]
        anyone = [("", gettext_lazy("Anyone"))]
        cast(forms.ChoiceField, self.fields["who"]).choices = [*anyone, *people]

    def filters(self) -> dict[str, Any]:
        """The valid filters, for `filtered`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        span = PERIODS.get(data.get("period") or "", ("", None))[1]
        who = data.get("who")
        return {
            "kind": data.get("kind") or "",
            "viewer": who if isinstance(who, int) else None,
            "channel": data.get("how") or "",
            "since": timezone.now() - span if span is not None else None,
        }
