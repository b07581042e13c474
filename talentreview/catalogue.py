"""The kinds of personal data the talentreview module holds (`access.catalogue`): that a
talent review included someone (they always know it, and who can see their placement), where
it placed them and why, its history, and their response. Who sees each is
`talentreview.rules`' answer: HR covering the person and their management chain; the person
themselves once the review is finalised, where the organisation lets people see their own."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from talentreview.models import Placement, PlacementChange, Response, TalentReview
from talentreview.rules import KNOW


def _placement(person) -> Placement:
    return Placement(person=person)


def _change(person) -> PlacementChange:
    return PlacementChange(placement=Placement(person=person))


def _response(person) -> Response:
    return Response(placement=Placement(person=person))


def _review_of(placement: Placement) -> TalentReview:
    return placement.review


register(
    DataKind(
        "talentreview.included",
        _("Talent reviews that included you"),
        Placement,
        subject="person",
        action=KNOW,
        module="talent",
        description=_(
            "That a talent review placed you on its grid, and when: whoever can see your "
            "placement is listed with the next entry."
        ),
        export=Export(("review__name", "review__status", "review__finalised_at")),
        example=_placement,
    ),
    DataKind(
        "talentreview.placements",
        _("Your placements in talent reviews"),
        Placement,
        subject="person",
        module="talent",
        description=_(
            "Where a talent review placed you for performance and potential, and why. You see "
            "it once the review is finalised, if your organisation lets people see their own."
        ),
        export=Export(
            (
                "review__name",
                "performance",
                "potential",
                "rationale",
            )
        ),
        example=_placement,
    ),
    DataKind(
        "talentreview.history",
        _("Changes to your talent review placements"),
        PlacementChange,
        subject="placement__person",
        module="talent",
        export=Export(
            (
                "changed_by__name",
                "changed_at",
                "in_meeting",
                "performance_before",
                "potential_before",
                "rationale_before",
                "performance_after",
                "potential_after",
                "rationale_after",
            )
        ),
        example=_change,
    ),
    DataKind(
        "talentreview.responses",
        _("Your responses to your talent review placements"),
        Response,
        subject="placement__person",
        module="talent",
        export=Export(("text", "written_at", "updated_at")),
        example=_response,
    ),
)
