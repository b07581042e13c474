"""Authorization-matrix entries for surveys: merged into
`cadence/tests/test_authorization_matrix.py`.

Alice is asked in a pulse of Engineering (open); only she opens her invitation. A closed round
of Engineering's pulse is read by Erin (HR for everyone) and by Carol, who leads Engineering;
Bob leads Platform, inside it, and reads his part; Alice, Dave and Frank read nothing of it.
Only HR makes and stops surveys.

After that round, Bob's action plan for Platform (not shared) is read and changed by Bob, by
Carol (who leads Engineering, above it) and by Erin (HR); Alice, in Platform, reads it only
once shared; Dave and Frank never. A plan is made by whoever reads Platform's figures (Bob,
Carol, Erin); a comment of Platform's is replied to by its readers. Alice owns the plan's
action: she marks it done, and reads the plan once she owns one of its actions (the API's
plan is the one with her action; the page's, without it, is hidden from her).
"""

from cadence.tests.matrix import (
    API,
    CREATED,
    DENIED,
    HIDDEN,
    INVALID,
    LOGIN,
    OK,
    PAGE,
    REDIRECT,
    Route,
)


def engineering_survey(cast):
    from django.utils import timezone

    from surveys import rounds
    from surveys.models import Survey
    from surveys.tests.factories import make_survey

    found = Survey.objects.filter(name="Engineering pulse").first()
    if found is None:
        found = make_survey(name="Engineering pulse", team=cast.engineering)
        rounds.open_round(found, timezone.localdate())
    return found


def survey_id(cast):
    return engineering_survey(cast).pk


def alice_invitation_id(cast):
    from surveys.models import Invitation

    return Invitation.objects.get(round__survey=engineering_survey(cast), person=cast.alice).pk


def closed_round(cast):
    """A closed round of Engineering's pulse in which Platform is released on its own (five
    more people in Platform, four more right in Engineering), with a comment each."""
    from datetime import timedelta

    from django.utils import timezone

    from conftest import make_person
    from surveys import rounds
    from surveys.models import Invitation, RoundStatus

    survey = engineering_survey(cast)
    found = survey.rounds.filter(status=RoundStatus.CLOSED).first()
    if found is not None:
        return found
    for i in range(5):
        make_person(f"matrix-p{i}@example.com", f"Matrix P {i}", team=cast.platform)
    for i in range(4):
        make_person(f"matrix-e{i}@example.com", f"Matrix E {i}", team=cast.engineering)
    found = rounds.open_round(survey, timezone.localdate() - timedelta(days=30))
    by_key = {q.key: q.pk for q in found.questions.all()}
    for invitation in Invitation.objects.filter(round=found).select_related("person__team"):
        rounds.submit(
            invitation,
            {
                by_key["engagement-energy"]: 3,
                by_key["safety-mistakes"]: 3,
                by_key["enps"]: 8,
                by_key["comment"]: f"From {invitation.person.team.name}",
            },
        )
    rounds.close_round(found)
    return found


def plan_id(cast, shared=False):
    from surveys.models import SurveyActionPlan

    found = closed_round(cast)
    plan = SurveyActionPlan.objects.filter(round=found, shared_with_team=shared).first()
    if plan is None:
        plan = SurveyActionPlan.objects.create(
            survey=found.survey,
            round=found,
            group=f"t:{cast.platform.pk}",
            team=cast.platform,
            created_by=cast.bob,
            shared_with_team=shared,
        )
        plan.focus.set(found.questions.filter(key="engagement-energy"))
    return plan.pk


def action_id(cast):
    from django.utils import timezone

    from surveys.models import SurveyAction

    action, _created = SurveyAction.objects.get_or_create(
        plan_id=plan_id(cast),
        defaults={"text": "Pair weekly", "owner": cast.alice, "due_date": timezone.localdate()},
    )
    return action.pk


def plan_with_alices_action_id(cast):
    from surveys.models import SurveyAction

    return SurveyAction.objects.get(pk=action_id(cast)).plan_id


def platform_comment_id(cast):
    from surveys.models import Comment

    found = closed_round(cast)
    return str(next(c.pk for c in Comment.objects.filter(round=found) if "Platform" in c.text))


def new_plan_survey_id(cast):
    return closed_round(cast).survey_id


def new_plan_body(cast, kwargs):
    found = closed_round(cast)
    energy = found.questions.get(key="engagement-energy")
    return {"round": found.number, "group": f"t:{cast.platform.pk}", "focus": [energy.pk]}


def new_action_body(cast, kwargs):
    from django.utils import timezone

    return {"text": "Pair weekly", "owner_id": cast.alice.pk, "due_date": str(timezone.localdate())}


SURVEY = {"survey_id": survey_id}
PLAN = {"plan_id": plan_id}
PLAN_READERS = {
    "anonymous": LOGIN,
    "signed_in": HIDDEN,
    "manager": OK,
    "leader": OK,
    "hr": OK,
}
PLAN_CHANGERS = {**PLAN_READERS, "manager": REDIRECT, "leader": REDIRECT, "hr": REDIRECT}
PLAN_MAKERS = {"anonymous": LOGIN, "signed_in": HIDDEN}
READERS = {
    "anonymous": LOGIN,
    "signed_in": HIDDEN,
    "manager": OK,
    "leader": OK,
    "hr": OK,
}

ROUTES = {
    "surveys:index": Route(PAGE),
    "surveys:new": Route({"anonymous": LOGIN, "signed_in": DENIED, "hr": OK}),
    "surveys:answer": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": OK},
        kwargs={"invitation_id": alice_invitation_id},
    ),
    "surveys:survey": Route(READERS, kwargs=SURVEY),
    "surveys:export": Route(READERS, kwargs=SURVEY),
    "surveys:end": Route(
        {
            "anonymous": LOGIN,
            "signed_in": HIDDEN,
            "manager": DENIED,
            "leader": DENIED,
            "hr": REDIRECT,
        },
        method="post",
        kwargs=SURVEY,
    ),
    # The plan for Platform after the closed round: the query string is added by the page; the
    # matrix asks without it, which is a 404 for everyone signed in.
    "surveys:plan_new": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN}, kwargs={"survey_id": new_plan_survey_id}
    ),
    "surveys:plan": Route(PLAN_READERS, kwargs=PLAN),
    "surveys:plan_action": Route(
        {**PLAN_READERS, "manager": OK, "leader": OK, "hr": OK}, method="post", kwargs=PLAN
    ),
    "surveys:plan_share": Route(PLAN_CHANGERS, method="post", kwargs=PLAN),
    # Alice owns the action: she marks it done too.
    "surveys:action_done": Route(
        {**PLAN_CHANGERS, "employee": REDIRECT}, method="post", kwargs={"action_id": action_id}
    ),
    "surveys:reply": Route(PLAN_CHANGERS, method="post", kwargs={"comment": platform_comment_id}),
    "api:list_my_rounds": Route(API),
    # Alice answers her own invitation: an empty body is invalid for her, 404 for the rest.
    "api:answer_round": Route(
        {"anonymous": LOGIN, "signed_in": HIDDEN, "employee": INVALID},
        method="post",
        kwargs={"invitation_id": alice_invitation_id},
        body={"answers": {}},
    ),
    "api:list_surveys": Route(API),
    "api:get_results": Route(READERS, kwargs=SURVEY),
    "api:list_survey_plans": Route(API),
    # The owner of one of its actions reads the plan.
    "api:get_survey_plan": Route(
        {**PLAN_READERS, "employee": OK}, kwargs={"plan_id": plan_with_alices_action_id}
    ),
    "api:create_survey_plan": Route(
        {**PLAN_MAKERS, "manager": CREATED, "leader": CREATED, "hr": CREATED},
        method="post",
        kwargs={"survey_id": new_plan_survey_id},
        body=new_plan_body,
    ),
    "api:create_survey_action": Route(
        {**PLAN_MAKERS, "manager": CREATED, "leader": CREATED, "hr": CREATED},
        method="post",
        kwargs=PLAN,
        body=new_action_body,
    ),
    "api:update_survey_action": Route(
        {**PLAN_READERS, "employee": OK},
        method="patch",
        kwargs={"action_id": action_id},
        body={"done": True},
    ),
    "api:share_survey_plan": Route(PLAN_READERS, method="post", kwargs=PLAN),
    "api:list_survey_comments": Route(READERS, kwargs={"survey_id": new_plan_survey_id}),
    "api:reply_to_survey_comment": Route(
        {**PLAN_MAKERS, "manager": CREATED, "leader": CREATED, "hr": CREATED},
        method="post",
        kwargs={"comment": platform_comment_id},
        body={"text": "Thank you for saying so"},
    ),
    "api:list_replies_to_my_groups": Route(API),
}
