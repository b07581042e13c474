"""The people picker: one form field and widget for choosing one person or several, on every
form where people are chosen (giving and asking for feedback, 360 nominations, a manager).

What is posted is person ids, one value per chosen person under the field's name. The field
checks them against the people the form offers (`PeopleField.people`, a queryset the form
narrows from `access.rules.visible`): an unknown or hidden id is a form error that names nobody.

In the browser (`people/static/people/picker.js`) one types a name and chooses from the
suggestions of `people:picker` (name, job title, initials); the chosen people are chips, each
with a remove button. Without JavaScript the same field still works:

- the chosen people are ticked checkboxes (untick to remove);
- a Search button posts the whole form back: the form shows the matches to tick and refuses
  nothing (`PickerFormMixin.searching`), so nothing typed in any field is lost;
- a name or e-mail address typed in the box (or posted under the field's own name, as older
  links and scripts do) is resolved on the server when it names exactly one person; several
  matches are shown to choose from, with an error saying so.

A picker of a module's form (`in_scope=True`: whom to give feedback, whom to ask) suggests only
people inside the pilot scope (`organisation.scope`), as the people its form offers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from django.forms.widgets import Script
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cadence.ids import parse_id
from people import search
from people.models import Person

SUGGESTIONS = 8  # suggestions in the browser, and matches shown without JavaScript
SEARCH_MIN = 2  # letters before anyone is suggested
TEXT_MAX = 254  # the longest name or e-mail address looked up
PARTS_MAX = 20  # names or addresses in one box
LOOKUPS_MAX = 3  # names typed that are searched for when they name nobody exactly
IDS_MAX = 100  # ids in one post: more is refused, never sent to the database
SEPARATORS = re.compile(r"[,;\n\r]+")
FIELDS = ("pk", "name", "email", "job_title")  # what a chip or a suggestion shows


def suggestions(people: QuerySet[Person], text: str, limit: int = SUGGESTIONS) -> list[Person]:
    """Up to `limit` of `people` whose name, e-mail address, job title or team contains every
    word of `text` (people.search's index), in name order; none for fewer than two letters."""
    text = (text or "").replace("\x00", "")[:100]
    if len("".join(search.words_of(text))) < SEARCH_MIN:
        return []
    found = search.matching(people, text).only(*FIELDS).order_by("name", "pk")
    return list(found[:limit])


def split_typed(text: str, multiple: bool) -> list[str]:
    """The names or addresses typed: one for a single choice; for several, separated by
    commas, semicolons or new lines (and addresses by spaces too: "a@x b@y")."""
    text = (text or "").replace("\x00", "")
    if not multiple:
        return [text.strip()] if text.strip() else []
    parts: dict[str, None] = {}
    for chunk in SEPARATORS.split(text):
        words = chunk.split()
        pieces = words if len(words) > 1 and all("@" in word for word in words) else [chunk]
        for piece in pieces:
            piece = piece.strip().strip("<>\"'").strip()
            if piece:
                parts.setdefault(piece, None)
    return list(parts)


@dataclass
class Picked:
    """What was posted: the ids chosen, the text typed, and whether Search was pressed."""

    ids: list[int] = field(default_factory=list)
    text: str = ""
    searching: bool = False
    bad: bool = False  # a posted value that is neither an id nor typed text


@dataclass
class Shown:
    """What the widget shows: the chosen people (only ones the form offers), the text still in
    the box, and the matches to tick (None: no search was made)."""

    chosen: list[Person] = field(default_factory=list)
    text: str = ""
    matches: list[Person] | None = None


class PeoplePicker(forms.Widget):
    template_name = "people/picker.html"

    class Media:
        js = (Script("people/picker.js", defer=True),)

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiple: bool = False) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.people: QuerySet[Person] = Person.objects.none()
        self.max_people: int | None = None
        self.include_self = False
        self.in_scope = False  # suggests only people inside the pilot scope
        self.shown: Shown | None = None  # set by PeopleField.clean for a bound form

    def __deepcopy__(self, memo: dict[int, Any]) -> PeoplePicker:
        copy = super().__deepcopy__(memo)
        copy.shown = None
        return copy

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Picked:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        picked = Picked()
        typed = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, str):
                value = str(value)
            value = value.strip()
            if not value:
                continue
            pk = parse_id(value)
            if pk is not None:
                if len(picked.ids) >= IDS_MAX:
                    picked.bad = True
                elif pk not in picked.ids:
                    picked.ids.append(pk)
            elif value.isdigit() or len(value) > TEXT_MAX * PARTS_MAX:
                picked.bad = True
            else:
                typed.append(value)
        query = data.get(f"{name}_q") or ""
        if isinstance(query, str) and query.strip():
            typed.append(query.strip())
        picked.text = "\n".join(typed) if self.multiple else (typed[-1] if typed else "")
        picked.searching = f"{name}_search" in data
        return picked

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the box may rightly be empty when people are chosen

    def format_value(self, value: Any) -> None:
        return None

    def shown_for(self, value: Any) -> Shown:
        """What to show for an unbound form's initial value (people or ids) or for posted data
        not yet cleaned."""
        if isinstance(value, Picked):
            chosen = self.load(value.ids)
            matches = suggestions(self.people, value.text) if value.searching else None
            return Shown(chosen, value.text, matches)
        if value is None or value == "":
            return Shown()
        values = value if isinstance(value, list | tuple | QuerySet) else [value]
        people = [v for v in values if isinstance(v, Person)]
        ids = [parse_id(str(v)) for v in values if not isinstance(v, Person)]
        return Shown(people + self.load([pk for pk in ids if pk is not None]))

    def load(self, ids: list[int]) -> list[Person]:
        """The people with these ids among those offered (others are never shown), in order."""
        if not ids:
            return []
        found = {p.pk: p for p in self.people.filter(pk__in=ids).only(*FIELDS)}
        return [found[pk] for pk in ids if pk in found]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        shown = self.shown if self.shown is not None else self.shown_for(value)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = widget_id
        widget.update(
            multiple=self.multiple,
            chosen=shown.chosen if self.multiple else shown.chosen[-1:],
            text=shown.text,
            matches=shown.matches,
            search_url=reverse("people:picker"),
            max_people=self.max_people or (0 if self.multiple else 1),
            include_self=self.include_self,
            in_scope=self.in_scope,
            listbox_id=f"{widget_id}_listbox",
            chips_id=f"{widget_id}_chips",
        )
        return context


class PeopleField(forms.Field):
    """One person (`multiple=False`: the cleaned value is a Person or None) or several (a list),
    chosen among `people`."""

    widget = PeoplePicker
    default_error_messages = {
        "required": _("Choose someone."),
        "invalid": _("Choose people from the suggestions."),
        "unknown": _("Someone chosen cannot be chosen here. Choose again."),
        "ambiguous": _("Several people match “%(text)s”: choose one below."),
        "not_found": _("Nobody found for “%(text)s”: check the spelling, or search."),
        "choose": _("Choose whom you mean by “%(text)s” below."),
        "one": _("Choose one person."),
        "self": _("Choose someone other than yourself."),
    }

    def __init__(
        self,
        *,
        people: QuerySet[Person] | None = None,
        multiple: bool = False,
        max_people: int | None = None,
        me: Person | None = None,
        include_self: bool = False,
        in_scope: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", PeoplePicker(multiple=multiple))
        super().__init__(**kwargs)
        self.multiple = multiple
        self.me = me
        self.picker.multiple = multiple
        self.picker.include_self = include_self
        self.picker.in_scope = in_scope
        self.max_people = max_people
        self.people = people if people is not None else Person.objects.none()

    @property
    def picker(self) -> PeoplePicker:
        return cast(PeoplePicker, self.widget)

    @property
    def people(self) -> QuerySet[Person]:
        return self._people

    @people.setter
    def people(self, queryset: QuerySet[Person]) -> None:
        self._people = queryset
        self.picker.people = queryset

    @property
    def max_people(self) -> int | None:
        return self._max_people

    @max_people.setter
    def max_people(self, value: int | None) -> None:
        self._max_people = value
        self.picker.max_people = value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True

    def clean(self, value: Any) -> Any:
        if not isinstance(value, Picked):  # an initial value (a disabled field): as it is
            initial = self.picker.shown_for(value).chosen
            return initial if self.multiple else (initial[0] if initial else None)
        picked = value
        errors: list[forms.ValidationError] = []
        me = self.me.pk if self.me is not None else None
        ids = picked.ids
        if me is not None and me in ids and not self.picker.include_self:
            errors.append(forms.ValidationError(self.error_messages["self"], code="self"))
            ids = [pk for pk in ids if pk != me]
        chosen = self.picker.load(ids)
        if len(chosen) < len(ids) or picked.bad:
            errors.append(forms.ValidationError(self.error_messages["unknown"], code="unknown"))
        text, matches = picked.text, None
        if picked.searching:
            others = self.people.exclude(pk__in=[p.pk for p in chosen])
            matches = suggestions(others, text)
        elif text:
            found, text, matches, text_errors = self.resolve(text, chosen)
            chosen += found
            errors += text_errors
        if not self.multiple and len(chosen) > 1:
            errors.append(forms.ValidationError(self.error_messages["one"], code="one"))
        self.picker.shown = Shown(chosen, text, matches)
        if picked.searching:
            return chosen if self.multiple else (chosen[-1] if chosen else None)
        if errors:
            raise forms.ValidationError(errors)
        if not chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if self.max_people and len(chosen) > self.max_people:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(count)d person.",
                    "Choose at most %(count)d people.",
                    self.max_people,
                )
                % {"count": self.max_people},
                code="too_many",
            )
        return chosen if self.multiple else (chosen[0] if chosen else None)

    def resolve(
        self, text: str, chosen: list[Person]
    ) -> tuple[list[Person], str, list[Person] | None, list[forms.ValidationError]]:
        """The people named in `text` by e-mail address or full name, in one query; the text
        left for what named nobody or several, the matches to choose from, and the errors."""
        parts = split_typed(text, self.multiple)
        errors: list[forms.ValidationError] = []
        if len(parts) > PARTS_MAX or any(len(part) > TEXT_MAX for part in parts):
            parts = [part[:TEXT_MAX] for part in parts[:PARTS_MAX]]
        me = self.me
        if me is not None and not self.picker.include_self:
            own = {me.email.casefold(), me.name.casefold()}
            if any(part.casefold() in own for part in parts):
                errors.append(forms.ValidationError(self.error_messages["self"], code="self"))
                parts = [part for part in parts if part.casefold() not in own]
        keys = [part.casefold() for part in parts]
        by_key: dict[str, list[Person]] = {key: [] for key in keys}
        if keys:
            rows = (
                self.people.annotate(lower_name=Lower("name"), lower_email=Lower("email"))
                .filter(Q(lower_email__in=keys) | Q(lower_name__in=keys))
                .only(*FIELDS)
                .order_by("name", "pk")[: len(keys) * (SUGGESTIONS + 1)]
            )
            for person in rows:
                for key in {person.lower_email, person.lower_name}:
                    if key in by_key:
                        by_key[key].append(person)
        found: list[Person] = []
        left: list[str] = []
        matches: list[Person] | None = None
        chosen_ids = {p.pk for p in chosen}
        taken = set(chosen_ids)
        looked_up = 0
        for part, key in zip(parts, keys, strict=True):
            people = by_key[key]
            if len(people) == 1:
                if people[0].pk not in taken:
                    found.append(people[0])
                    taken.add(people[0].pk)
                continue
            if not people and looked_up < LOOKUPS_MAX:
                # What the text matches: a match already ticked answers it (the search
                # text left in the box after choosing, without JavaScript).
                looked_up += 1
                people = suggestions(self.people, part)
                if chosen_ids & {p.pk for p in people}:
                    continue
                code = "choose" if people else "not_found"
            else:
                code = "ambiguous" if people else "not_found"
            left.append(part)
            if matches is None and people:
                matches = [p for p in people if p.pk not in taken][:SUGGESTIONS]
            errors.append(
                forms.ValidationError(
                    self.error_messages[code], code=code, params={"text": part[:60]}
                )
            )
        return found, ", ".join(left), matches, errors


class PickerFormMixin:
    """For a form with people pickers: while someone is being looked up (a picker's Search
    button, without JavaScript), the form is not valid and shows no error, so the page comes
    back with everything typed and the matches to choose from."""

    data: Any
    fields: dict[str, forms.Field]
    is_bound: bool
    _errors: ErrorDict | None

    @property
    def searching(self) -> bool:
        if not self.is_bound:
            return False
        names = [name for name, f in self.fields.items() if isinstance(f, PeopleField)]
        return any(f"{name}_search" in self.data for name in names)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin for forms.Form
        if self.searching:
            self._errors = ErrorDict()

    def is_valid(self) -> bool:
        return not self.searching and super().is_valid()  # type: ignore[misc]  # as above
