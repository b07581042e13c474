"""What erasure (`trust.erasure`) does to the surveys module's data.

A person's invitations go: that they were asked and whether they answered served only the
round (its participation is counted when it closes). Their answers cannot be found to erase:
nothing links a response, a comment or a sealed response to whoever gave it. Surveys,
questions and figures are the organisation's.

After a round: the note of an action plan and a reply to a comment are replaced when their
author is erased (their own words); an action's text is kept: the team's work, written for the
team, and its owner stays a link to the anonymised person.
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
    SurveyAction,
    SurveyActionPlan,
    SurveyCommentReply,
)
from trust.erasure import Delete, Replace, keep, register

ANONYMOUS = "anonymous answers: nothing links them to whoever gave them, so none is anyone's"

register(Delete(Invitation, lambda pk: Q(person=pk)))
keep(Survey, ("name",), "the organisation's surveys")
keep(Question, ("key", "text", "options"), "the organisation's survey questions")
keep(Round, ("released", "released_comments", "sizes"), "the keys of the groups a round reports")
keep(Figure, ("group", "counts"), "figures of groups of at least the round's threshold")
keep(Response, ("groups", "answers"), ANONYMOUS)
keep(Comment, ("groups", "text"), ANONYMOUS)
keep(SealedResponse, ("sealed",), ANONYMOUS + "; sealed until the round closes")
register(
    Replace(SurveyActionPlan, ("note",), lambda pk: Q(created_by=pk), blank=True),
    Replace(SurveyCommentReply, ("text",), lambda pk: Q(author=pk)),
)
keep(SurveyActionPlan, ("group",), "the key of the team group a plan is about")
keep(SurveyAction, ("text",), "a team's action after a survey round: the team's work")
