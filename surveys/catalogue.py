"""The kinds of personal data Surveys holds (`access.catalogue`): that a person was asked in
a round and whether they answered, which only they see. Their answers are not theirs to find
any more: stored without a name, they count in the results (an aggregate) and nothing leads
back to them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, DataKind, Export, register, register_aggregate
from surveys.models import Invitation


def _invitation(person: Any) -> Invitation:
    return Invitation(person=person)


register(
    DataKind(
        "surveys.invitations",
        _("Survey invitations"),
        Invitation,
        subject="person",
        module="surveys",
        description=_(
            "That you were asked in a survey round and whether you answered, without a time. "
            "Nobody else learns who has or has not answered; reminders go out by themselves."
        ),
        export=Export(
            ("round__survey__name", "round__opens_on", "round__closes_on", "answered"),
        ),
        example=_invitation,
        same_audience=True,  # the person alone
    ),
)

register_aggregate(
    Aggregate(
        "surveys.results",
        _("Survey results"),
        _(
            "Your answers count, without your name, in the results of the groups you belong "
            "to (your team and the teams above it, your time at the organisation), shown only "
            "where enough people answered. HR and the leads of those teams read them."
        ),
        counted=lambda person_id: [Invitation.objects.filter(person=person_id, answered=True)],
        module="surveys",
    ),
)
