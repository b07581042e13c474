"""Who may see and do what with notifications: its rules, registered with `access`.

A notification is its recipient's alone: only they see it and mark it read or unread. Nobody
else, HR and administrators included, may know it exists. So are a person's e-mail preferences
(the kinds of e-mail they turned off): theirs alone to read and change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from access import relations, who
from access.rules import QuerySetT, Rules, register
from access.who import Group
from notifications.models import EmailOptOut, Notification

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, MARK = "view", "mark"


@register
class NotificationRules(Rules[Notification]):
    model = Notification
    actions = (VIEW, MARK)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "recipient"))

    def can(self, viewer: Viewer, action: str, obj: Notification) -> bool:
        return relations.is_self(viewer, obj.recipient_id)

    def who(self, obj: Notification, action: str = VIEW) -> list[Group]:
        return relations.the_person(obj.recipient, who.RECIPIENT)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("recipient")

    def who_can(self, obj: Notification, action: str = VIEW) -> str:
        return _("Only %(name)s, to whom it is addressed") % {"name": obj.recipient.name}


@register
class EmailOptOutRules(Rules[EmailOptOut]):
    """The kinds of e-mail a person turned off: theirs alone."""

    model = EmailOptOut
    actions = (VIEW,)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "person"))

    def can(self, viewer: Viewer, action: str, obj: EmailOptOut) -> bool:
        return relations.is_self(viewer, obj.person_id)

    def who(self, obj: EmailOptOut, action: str = VIEW) -> list[Group]:
        return relations.the_person(obj.person)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person")

    def who_can(self, obj: EmailOptOut, action: str = VIEW) -> str:
        return _("Only %(name)s") % {"name": obj.person.name}
