"""The kinds of personal data the succession module holds (`access.catalogue`): that a person
is named as a candidate in a key position's succession plan, and the history of that
candidacy. Who sees them is `succession.rules`' answer: HR whose scope covers the position or
the candidate, the leads of the position's part and the candidate's management chain; never the
candidate, whom My data tells that they are named and who can see it, not what is said (their
export holds when they were named, nothing of the plan's content)."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from people.models import Team
from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate


def _position(person) -> KeyPosition:
    # An example: a key position in the person's team (or a team of no one's: HR for all).
    return KeyPosition(team=person.team if person.team_id else Team(path="/"), title="")


def _candidacy(person) -> SuccessionCandidate:
    return SuccessionCandidate(person=person, position=_position(person))


def _change(person) -> CandidacyChange:
    return CandidacyChange(person=person, position=_position(person))


register(
    DataKind(
        "succession.candidacy",
        _("You are named in a succession plan"),
        SuccessionCandidate,
        subject="person",
        module="talent",
        description=_(
            "Someone who could step into a key position: HR and the leads who plan its "
            "succession, and your management chain, see what they wrote (your readiness, "
            "notes). You see that you are named, and who can see it."
        ),
        export=Export(("recorded_at",)),
        example=_candidacy,
    ),
    DataKind(
        "succession.history",
        _("The history of your candidacies in succession plans"),
        CandidacyChange,
        subject="person",
        module="talent",
        description=_("When you were named, changed or taken out: seen as the candidacy is."),
        export=Export(("kind", "at")),
        example=_change,
    ),
)
