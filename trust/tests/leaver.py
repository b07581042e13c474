"""A leaver with a history in every module, for the erasure tests: Zelda Marchetti, who left
Platform three years ago. Bob was her manager; she managed Yuri; she gave and received
feedback, asked for it, took part in a 360 review and reviewed Yuri as his manager.

Everything she wrote says BY ("periwinkle"); everything others wrote about her says ABOUT
("saffron"); what others wrote about other things says KEPT and must survive her erasure.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import ApiToken, EmailChange, Invitation, LoginFailure
from conftest import make_person
from conversations.models import ActionItem, CalendarFeed, Kind, Status
from conversations.tests.factories import (
    add_agenda_item,
    add_note,
    add_private_note,
    held,
    make_conversation,
)
from feedback.models import RaterGroup, Reply, ReviewAnswer
from feedback.tests.factories import add_participant, give, invite, make_cycle, make_request
from goals.models import Adjustment, record_progress
from goals.tests.factories import make_goal
from notifications import kinds
from notifications.services import notify
from trust import audit
from trust.models import DataExport, ExportStatus

BY = "periwinkle"
ABOUT = "saffron"
KEPT = "marigold"
NAME = "Zelda Marchetti"
EMAIL = "zelda.marchetti@example.com"
OTHER_EMAIL = "zelda.home@example.net"


def build(cast) -> SimpleNamespace:
    today = timezone.localdate()
    zelda = make_person(
        EMAIL,
        NAME,
        team=cast.platform,
        manager=cast.bob,
        job_title="Staff engineer",
        start_date=today - timedelta(days=3000),
        language="nl",
        time_zone="Europe/Amsterdam",
    )
    yuri = make_person("yuri@example.com", "Yuri Report", team=cast.platform, manager=zelda)
    w = SimpleNamespace(zelda=zelda, yuri=yuri)

    # Goals: hers, with a key result, progress and an adjustment; a team goal she updated.
    goal = make_goal(zelda, title=f"{BY} goal", description=f"{BY} why", key_results=[(0, 10, 2)])
    key_result = goal.key_results.get()
    key_result.title = f"{BY} key result"
    key_result.save()
    record_progress(
        goal, author=zelda, key_result=key_result, value=Decimal(4), comment=f"{BY} progress"
    )
    record_progress(
        goal, author=cast.bob, key_result=key_result, value=Decimal(5), comment=f"{ABOUT} nice"
    )
    Adjustment.objects.create(
        objective=goal,
        reason=f"{BY} adjusted",
        changes=[{"field": "Objective", "old": f"{BY} old", "new": f"{BY} goal"}],
        author=zelda,
    )
    team_goal = make_goal(team=cast.platform, title=f"{KEPT} team goal")
    record_progress(team_goal, author=zelda, value=Decimal(30), comment=f"{BY} on the team goal")
    record_progress(
        team_goal, author=cast.bob, value=Decimal(40), comment=f"{KEPT} on the team goal"
    )
    w.goal, w.team_goal = goal, team_goal

    # Conversations: hers with Bob (held, and one skipped), and Yuri's with her.
    long_ago = today - timedelta(days=1200)
    mine = make_conversation(
        zelda,
        cast.bob,
        due=long_ago,
        title=f"{ABOUT} topic",
        created_by=cast.bob,
        preparation=[{"prompt": "What went well?", "answer": f"{BY} prepared"}],
    )
    add_agenda_item(mine, zelda, f"{BY} talking point")
    add_agenda_item(mine, cast.bob, f"{ABOUT} talking point")
    add_note(mine, zelda, f"{BY} note")
    add_note(mine, cast.bob, f"{ABOUT} note")
    add_private_note(mine, zelda, f"{BY} private")
    add_private_note(mine, cast.bob, f"{ABOUT} private")
    ActionItem.objects.create(
        conversation=mine, owner=zelda, created_by=cast.bob, text=f"{ABOUT} action"
    )
    held(mine)
    skipped = make_conversation(
        zelda,
        cast.bob,
        kind=Kind.QUARTERLY,
        due=long_ago - timedelta(days=90),
        status=Status.SKIPPED,
        skip_reason=f"{ABOUT} skipped",
        skipped_by=cast.bob,
    )
    yuris = make_conversation(
        yuri, zelda, due=long_ago, title=f"{BY} topic for Yuri", created_by=zelda
    )
    add_agenda_item(yuris, zelda, f"{BY} point for Yuri")
    add_agenda_item(yuris, yuri, f"{KEPT} point of Yuri")
    add_note(yuris, zelda, f"{BY} note for Yuri")
    add_note(yuris, yuri, f"{KEPT} note of Yuri")
    add_private_note(yuris, zelda, f"{BY} private about Yuri")
    add_private_note(yuris, yuri, f"{KEPT} private of Yuri")
    ActionItem.objects.create(conversation=yuris, owner=yuri, created_by=zelda, text=f"{BY} do")
    ActionItem.objects.create(conversation=yuris, owner=yuri, created_by=yuri, text=f"{KEPT} do")
    held(yuris)
    w.conversation, w.skipped, w.yuris = mine, skipped, yuris

    # Feedback both ways, with replies; requests both ways, declined with reasons.
    given = give(zelda, cast.alice, f"{BY} feedback")
    Reply.objects.create(feedback=given, author=cast.alice, text=f"{ABOUT} thanks")
    received = give(cast.alice, zelda, f"{ABOUT} feedback")
    Reply.objects.create(feedback=received, author=zelda, text=f"{BY} reply")
    theirs = give(cast.alice, cast.dave, f"{KEPT} feedback")
    request = make_request(zelda, [cast.alice], topic=f"{BY} request")
    request.asks.update(status="declined", declined_reason=f"{ABOUT} declined")
    asked = make_request(cast.alice, [zelda, cast.dave], topic=f"{KEPT} request")
    asked.asks.filter(requestee=zelda).update(status="declined", declined_reason=f"{BY} no")
    w.given, w.received, w.theirs, w.request, w.asked = given, received, theirs, request, asked

    # A closed 360 review of her (named and anonymous answers) and of Yuri, whom she reviewed
    # as his manager.
    cycle = make_cycle(
        "Spring 360",
        status="closed",
        questions=(("Communicates clearly", "rating"), ("Keep doing?", "open")),
    )
    rating, open_question = cycle.questions.order_by("position")
    hers = add_participant(cycle, zelda)
    his = add_participant(cycle, yuri)
    invite(his, zelda, RaterGroup.MANAGER, answered=True)
    answers = [
        (hers, RaterGroup.SELF, 4, f"{BY} about myself"),
        (hers, RaterGroup.MANAGER, 3, f"{ABOUT} from Bob"),
        *((hers, RaterGroup.PEER, 3 + n % 2, f"{KEPT} peer {n}") for n in range(3)),
        (his, RaterGroup.MANAGER, 5, f"{BY} about Yuri"),
        (his, RaterGroup.SELF, 4, f"{KEPT} Yuri about himself"),
    ]
    for participant, group, value, comment in answers:
        ReviewAnswer.objects.create(
            participant=participant, question=rating, group=group, rating=value
        )
        ReviewAnswer.objects.create(
            participant=participant, question=open_question, group=group, comment=comment
        )
    w.cycle, w.participant, w.yuri_participant = cycle, hers, his

    # What only served her, and what names her elsewhere.
    ApiToken.issue(zelda, f"{BY} laptop")
    EmailChange.objects.create(
        person=zelda, old_email=EMAIL, new_email=OTHER_EMAIL, takes_effect_at=timezone.now()
    )
    LoginFailure.objects.create(email=EMAIL, client="192.0.2.1")
    LoginFailure.objects.create(email=OTHER_EMAIL, client="192.0.2.1")
    Invitation.objects.create(person=zelda)
    CalendarFeed.issue(zelda)
    DataExport.objects.create(
        person=zelda,
        language="en",
        status=ExportStatus.READY,
        requested_at=timezone.now(),
        content=b"PK an archive of everything about her",
    )
    notify(zelda, kinds.EMAIL_CHANGE, "/accounts/profile/", email=OTHER_EMAIL)
    notify(cast.alice, kinds.FEEDBACK_RECEIVED, given.get_absolute_url(), giver=NAME)
    ask = request.asks.get()
    notify(
        cast.alice,
        kinds.REQUEST_RECEIVED,
        f"/feedback/asks/{ask.pk}/answer/",
        requester=NAME,
        topic=f"{BY} request",
        due_date=request.due_date,
    )
    notify(
        yuri,
        kinds.CONVERSATION_UPCOMING,
        yuris.get_absolute_url(),
        conversation=f"{BY} topic for Yuri",
        conversation_kind=Kind.CHECK_IN,
        other=NAME,
        due_date=yuris.due_date,
    )
    notify(cast.erin, kinds.HR_GRANTED, zelda.get_absolute_url(), person=NAME)
    w.kept_notification = notify(
        cast.alice, kinds.FEEDBACK_RECEIVED, theirs.get_absolute_url(), giver="Dave Peer"
    )
    LogEntry.objects.create(
        user=cast.frank,
        content_type=ContentType.objects.get_for_model(type(zelda)),
        object_id=str(zelda.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Asked to change the e-mail address to {OTHER_EMAIL}.",
    )

    # The audit log's entries about her name her.
    audit.record(
        "person.changed",
        actor=cast.erin,
        subject=zelda,
        changes={"name": ["Zelda M.", NAME], "email": [OTHER_EMAIL, EMAIL]},
    )

    # She left three years ago.
    zelda.leave_date = today - timedelta(days=3 * 365)
    zelda.save(update_fields=["leave_date"])
    return w
