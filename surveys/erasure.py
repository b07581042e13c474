"""What erasure (`trust.erasure`) does to the surveys module's data.

A person's invitations go: that they were asked and whether they answered served only the
round (its participation is counted when it closes). Their answers cannot be found to erase:
nothing links a response, a comment or a sealed response to whoever gave it. Surveys,
questions and figures are the organisation's.
"""

from __future__ import annotations

from django.db.models import Q

from surveys.models import (
    Comment,
    Figure,
    Invitation,
    Question,
    Response,
    Round,
    SealedResponse,
    Survey,
)
from trust.erasure import Delete, keep, register

ANONYMOUS = "anonymous answers: nothing links them to whoever gave them, so none is anyone's"

register(Delete(Invitation, lambda pk: Q(person=pk)))
keep(Survey, ("name",), "the organisation's surveys")
keep(Question, ("key", "text", "options"), "the organisation's survey questions")
keep(Round, ("released", "released_comments", "sizes"), "the keys of the groups a round reports")
keep(Figure, ("group", "counts"), "figures of groups of at least the round's threshold")
keep(Response, ("groups", "answers"), ANONYMOUS)
keep(Comment, ("groups", "text"), ANONYMOUS)
keep(SealedResponse, ("sealed",), ANONYMOUS + "; sealed until the round closes")
