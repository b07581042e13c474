"""The forms of the Roles and Tokens tabs. They only parse: the rules of a grant are
`access.grants`' (through `organisation.roles`)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from access.models import HRRole
from access.rules import visible
from organisation.forms import TeamField
from people.forms import chosen_among, someone_here
from people.models import Person, Team
from people.picker import PeopleField, PickerFormMixin


class RoleForm(forms.Form):
    """An HR role's scope and whether it may manage people."""

    scope = TeamField(
        label=_("HR for"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("A team includes the teams below it."),
    )
    can_manage_people = forms.BooleanField(
        label=_("May manage people"),
        required=False,
        initial=True,
        help_text=HRRole._meta.get_field("can_manage_people").help_text,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = cast(forms.ModelChoiceField, self.fields["scope"])
        scope.queryset = Team.objects.only("name", "path").order_by("path")
        # Django's documented way to label a model choice per form: replace the method.
        scope.label_from_instance = lambda t: "— " * t.depth + t.name  # type: ignore[method-assign,assignment]


class GrantForm(PickerFormMixin, RoleForm):
    """Whom to give an HR role, chosen with the people picker among the people working here
    whom the administrator may see (the directory: no read right comes with the page)."""

    person = someone_here(label=_("Person"))

    field_order = ["person", "scope", "can_manage_people"]

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen_among(self, "person", viewer)


class TokenFilterForm(PickerFormMixin, forms.Form):
    """The Tokens tab's filter: one person's tokens."""

    person = PeopleField(label=_("Whose"), required=False, include_self=True)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PeopleField, self.fields["person"])
        # Anyone the administrator may see, people who left included: their tokens are listed.
        field.people = visible(viewer, Person)
