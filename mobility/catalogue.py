"""The kinds of personal data internal mobility holds (`access.catalogue`): a person's wish to
move and their interests in openings; and supply and demand, which counts people by the step
their development plan aims for. Who sees each is `mobility.rules`' answer: the wish, the
person and whom they chose (HR in scope; also their manager if they said so) while they say
they are open to a move; an interest, the person, the opening's hiring manager and HR in scope.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, DataKind, Export, register, register_aggregate
from mobility.models import Interest, MobilityPreference, Opening
from plans.models import Plan


def _preference(person) -> MobilityPreference:
    return MobilityPreference(person=person, open_to_move=True)


def _interest(person) -> Interest:
    return Interest(person=person, opening=Opening(hiring_manager=person))


register(
    DataKind(
        "mobility.preference",
        _("Whether you are open to a move"),
        MobilityPreference,
        subject="person",
        module="talent",
        description=_(
            "Whether you are open to a move inside the organisation, what interests you and "
            "whom you let see it: nobody else, and only while you say you are open."
        ),
        export=Export(
            ("open_to_move", "audience", "tracks", "roles", "teams", "note", "updated_at")
        ),
        example=_preference,
    ),
    DataKind(
        "mobility.interests",
        _("Your interest in internal openings"),
        Interest,
        subject="person",
        module="talent",
        export=Export(("opening__title", "note", "created_at")),
        example=_interest,
    ),
)

register_aggregate(
    Aggregate(
        "mobility.supply_and_demand",
        _("Supply and demand of internal moves"),
        _(
            "The step your development plan aims for counts in how many people aim for each "
            "step, only in groups of at least 5 and never under your name. HR reads it, against "
            "the open openings."
        ),
        counted=lambda person_id: [Plan.objects.filter(Q(person=person_id), ~Q(target_track=""))],
        module="talent",
    )
)
