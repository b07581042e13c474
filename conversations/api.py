"""API for conversations: the viewer's conversations, their agenda (talking points), shared
notes and action items, starting a one-on-one and signing off, as on the pages.

Every read goes through the conversations rules (`access.rules.visible`,
`get_visible_or_404`): the content of a conversation is for its two participants, and
anyone else gets 404, as if it did not exist. A participant who may look but not write (the
record is closed, or the conversation was skipped or cancelled) gets 403.

Private notes are never part of the API: no endpoint, no field, no count.

Writes to an existing conversation read their JSON body only after the visibility check, so
that someone who may not know the conversation exists gets 404 whatever they send; the body's
errors then have the same shape as the schema's own (400 for a body that is not JSON, 422
with `{"detail": [{"loc": […], "msg": …}]}` for one that does not fit).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from access.rules import can, visible
from access.viewer import viewer_of
from cadence.api_kit import (
    Id,
    Page,
    PersonRef,
    Strict,
    body_of,
    documents,
    loaded,
    signed_in,
    written,
)
from conversations import scheduling, services
from conversations.models import (
    ActionItem,
    Conversation,
    Kind,
    Status,
)

router = Router(tags=["conversations"])

# Action items of earlier conversations still open, shown with an open conversation's own.
CARRIED_OVER_LIMIT = 50
# The filters' values, inline in the schema: named enums would share the names "Status" and
# "Kind" with the goals API's in the OpenAPI components, and one would hide the other.
if TYPE_CHECKING:  # built from the choices when the app runs; plain strings to the checker
    StatusValue = str
    KindValue = str
else:
    StatusValue = Literal[tuple(Status.values)]
    KindValue = Literal[tuple(Kind.values)]


# --- Schemas ----------------------------------------------------------------------------------


class ConversationOut(Schema):
    id: int
    kind: str
    title: str
    label: str  # the title, or the kind's name
    employee: PersonRef
    manager: PersonRef
    due_date: date
    starts_at: datetime | None
    status: str
    held_on: date | None
    prepared: bool
    signed_by_employee_at: datetime | None = Field(alias="employee_signed_at")
    signed_by_manager_at: datetime | None = Field(alias="manager_signed_at")
    locked: bool = Field(alias="is_locked")
    url: str

    @staticmethod
    def resolve_label(conversation):
        return str(conversation.label)

    @staticmethod
    def resolve_prepared(conversation):
        return conversation.prepared_at is not None

    @staticmethod
    def resolve_url(conversation, context):
        return context["request"].build_absolute_uri(conversation.get_absolute_url())


class PreparationAnswer(Schema):
    prompt: str
    answer: str


class ConversationDetailOut(ConversationOut):
    # The employee's preparation: the API shows a conversation only to its participants, the
    # two people who read the preparation on the page too.
    preparation: list[PreparationAnswer]
    prepared_at: datetime | None
    skip_reason: str
    can_contribute: bool
    sign_off_from: datetime | date = Field(
        description="From when it may be signed off, as it can have taken place: its meeting "
        "time, or without one the day its due window opens"
    )

    @staticmethod
    def resolve_preparation(conversation):
        answers = conversation.preparation if isinstance(conversation.preparation, list) else []
        return [
            {"prompt": str(a.get("prompt", "")), "answer": str(a.get("answer", ""))}
            for a in answers
            if isinstance(a, dict)
        ]

    @staticmethod
    def resolve_can_contribute(conversation, context):
        return can(viewer_of(context["request"]), "contribute", conversation)


class AgendaItemOut(Schema):
    id: int
    text: str
    author: PersonRef
    discussed: bool
    created_at: datetime


class NoteOut(Schema):
    """A shared note. `is_remark`: appended after both signed off."""

    id: int
    text: str
    author: PersonRef
    is_remark: bool
    created_at: datetime


class ActionItemOut(Schema):
    id: int
    conversation_id: int  # where it was agreed; open ones carry over to later conversations
    text: str
    owner: PersonRef
    due_date: date | None
    done: bool = Field(alias="is_done")
    done_at: datetime | None
    created_at: datetime


class ConversationIn(Strict):
    partner_id: Id = Field(description="Your manager or one of your direct reports")
    due_date: date | None = Field(None, description="The day; by default that of `starts_at`")
    starts_at: datetime | None = Field(
        None, description="When you meet; without a time zone, in yours"
    )
    title: str = Field("", description="What it is about")


class TextIn(Strict):
    text: str


class ActionItemIn(Strict):
    text: str
    owner_id: Id | None = Field(None, description="One of the two participants; by default you")
    due_date: date | None = None


class ActionItemPatch(Strict):
    done: bool | None = None
    # Only while the conversation is open to contributions (not signed off by both).
    text: str | None = None
    owner_id: Id | None = None
    due_date: date | None = None


# --- Helpers ----------------------------------------------------------------------------------


def visible_conversation(viewer, conversation_id: int) -> Conversation:
    """The conversation, or 404 for whoever may not know that it exists."""
    queryset = Conversation.objects.select_related("employee", "manager")
    return loaded(viewer, Conversation, conversation_id, queryset=queryset)


def open_conversation(viewer, conversation_id: int) -> Conversation:
    """The conversation when the viewer may add to it, else 404 or 403."""
    conversation = visible_conversation(viewer, conversation_id)
    if not can(viewer, "contribute", conversation):
        raise HttpError(403, services.closed_message(conversation))
    return conversation


# --- Conversations ----------------------------------------------------------------------------


@router.get(
    "/conversations",
    response=list[ConversationOut],
    summary="Your conversations",
)
@paginate(Page)
def list_conversations(
    request,
    status: StatusValue | None = None,
    kind: KindValue | None = None,
    role: Literal["employee", "manager"] | None = None,
    due_after: date | None = None,
    due_before: date | None = None,
):
    """Those you take part in, latest due date first. `role`: only those where you are the
    employee or the manager. `due_after`/`due_before`: due on or after / on or before."""
    viewer = viewer_of(request)
    # The two people of the page's conversations by id, not joined: PostgreSQL estimated a
    # manager's conversations by the average and hashed every person for the join.
    conversations = (
        visible(viewer, Conversation.objects.in_scope())  # as on the page
        .prefetch_related("employee", "manager")
        .order_by("-due_date", "-pk")
    )
    if role == "employee":
        conversations = conversations.filter(employee=viewer.person)
    elif role == "manager":
        conversations = conversations.filter(manager=viewer.person)
    if status is not None:
        conversations = conversations.filter(status=status)
    if kind is not None:
        conversations = conversations.filter(kind=kind)
    if due_after is not None:
        conversations = conversations.filter(due_date__gte=due_after)
    if due_before is not None:
        conversations = conversations.filter(due_date__lte=due_before)
    return conversations


@router.get(
    "/conversations/{id:conversation_id}",
    response=ConversationDetailOut,
    summary="One conversation",
)
def get_conversation(request, conversation_id: Id):
    return visible_conversation(viewer_of(request), conversation_id)


@router.post("/conversations", response={201: ConversationDetailOut}, summary="Start a one-on-one")
def create_conversation(request, payload: ConversationIn):
    """With your manager or one of your direct reports, on a day (`due_date`) or at a time
    (`starts_at`)."""
    viewer = viewer_of(request)
    me = signed_in(viewer)
    starts_at = payload.starts_at
    if starts_at is not None and timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=me.local_zone)
    conversation = written(
        services.start_one_on_one,
        viewer,
        partner_id=payload.partner_id,
        day=payload.due_date,
        starts_at=starts_at,
        title=payload.title,
    )
    return Answer(201, visible_conversation(viewer, conversation.pk))


@router.post(
    "/conversations/{id:conversation_id}/sign-off",
    response=ConversationDetailOut,
    summary="Sign off a conversation",
)
def sign_off_conversation(request, conversation_id: Id):
    """Once the conversation can have taken place (`sign_off_from`; before, 409). The
    manager's sign-off marks it held, on the meeting's date or the day they sign; the
    employee's records their agreement. Once both have signed, the record is closed (later
    notes are appended as remarks); once held, the next one of its kind is scheduled."""
    viewer = viewer_of(request)
    conversation = open_conversation(viewer, conversation_id)
    try:
        written(services.sign_off, viewer, conversation)
    except scheduling.TooEarly as error:
        raise HttpError(409, error.message()) from error
    return visible_conversation(viewer, conversation.pk)


# --- Agenda -----------------------------------------------------------------------------------


@router.get(
    "/conversations/{id:conversation_id}/agenda",
    response=list[AgendaItemOut],
    summary="A conversation's talking points",
)
@paginate(Page)
def list_agenda_items(request, conversation_id: Id):
    conversation = visible_conversation(viewer_of(request), conversation_id)
    return conversation.agenda_items.select_related("author").order_by("created_at", "pk")


@router.post(
    "/conversations/{id:conversation_id}/agenda",
    response={201: AgendaItemOut},
    summary="Add a talking point",
    openapi_extra=documents(TextIn),
)
def create_agenda_item(request, conversation_id: Id):
    viewer = viewer_of(request)
    conversation = open_conversation(viewer, conversation_id)
    payload = body_of(request, TextIn)
    return Answer(201, written(services.add_agenda_item, viewer, conversation, payload.text))


# --- Shared notes -----------------------------------------------------------------------------


@router.get(
    "/conversations/{id:conversation_id}/notes",
    response=list[NoteOut],
    summary="A conversation's shared notes",
)
@paginate(Page)
def list_notes(request, conversation_id: Id):
    """The notes both participants read, with the remarks appended after sign-off."""
    conversation = visible_conversation(viewer_of(request), conversation_id)
    return conversation.notes.select_related("author").order_by("created_at", "pk")


@router.post(
    "/conversations/{id:conversation_id}/notes",
    response={201: NoteOut},
    summary="Write a shared note",
    openapi_extra=documents(TextIn),
)
def create_note(request, conversation_id: Id):
    """Both participants read it. Once both have signed off, it is appended to the closed
    record as a dated remark."""
    viewer = viewer_of(request)
    conversation = visible_conversation(viewer, conversation_id)
    if not can(viewer, "remark" if conversation.is_locked else "contribute", conversation):
        raise HttpError(403, services.closed_message(conversation))
    payload = body_of(request, TextIn)
    return Answer(201, written(services.add_note, viewer, conversation, payload.text))


# --- Action items -----------------------------------------------------------------------------


@router.get(
    "/conversations/{id:conversation_id}/actions",
    response=list[ActionItemOut],
    summary="A conversation's action items",
)
@paginate(Page)
def list_action_items(request, conversation_id: Id):
    """Those agreed in this conversation and, while it is open, the pair's items from other
    conversations that are not done yet (they carry over until done)."""
    conversation = visible_conversation(viewer_of(request), conversation_id)
    condition = Q(conversation=conversation)
    if conversation.is_open:
        carried = (
            ActionItem.objects.of_pair(conversation.employee_id, conversation.manager_id)
            .open()
            .exclude(conversation=conversation)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:CARRIED_OVER_LIMIT]
        )
        condition |= Q(pk__in=list(carried))
    return ActionItem.objects.filter(condition).select_related("owner").order_by("created_at", "pk")


@router.post(
    "/conversations/{id:conversation_id}/actions",
    response={201: ActionItemOut},
    summary="Add an action item",
    openapi_extra=documents(ActionItemIn),
)
def create_action_item(request, conversation_id: Id):
    viewer = viewer_of(request)
    conversation = open_conversation(viewer, conversation_id)
    payload = body_of(request, ActionItemIn)
    item = written(
        services.add_action_item,
        viewer,
        conversation,
        text=payload.text,
        owner_id=payload.owner_id,
        due_date=payload.due_date,
    )
    return Answer(201, ActionItem.objects.select_related("owner").get(pk=item.pk))


@router.patch(
    "/conversations/actions/{id:action_id}",
    response=ActionItemOut,
    summary="Change an action item or mark it done",
    openapi_extra=documents(ActionItemPatch),
)
def update_action_item(request, action_id: Id):
    """`done` true or false, by either participant, also after sign-off (items carry over until
    done). Its text, owner and due date change only until both have signed off."""
    viewer = viewer_of(request)
    queryset = ActionItem.objects.select_related("conversation", "owner")
    item = loaded(viewer, ActionItem, action_id, queryset=queryset)
    payload = body_of(request, ActionItemPatch)
    given = payload.model_dump(exclude_unset=True)
    changes: services.ActionChanges = {}
    if isinstance(given.get("done"), bool):
        changes["done"] = given["done"]
    if "text" in given:
        changes["text"] = payload.text or ""
    if "owner_id" in given:
        changes["owner_id"] = payload.owner_id
    if "due_date" in given:
        changes["due_date"] = payload.due_date
    written(services.change_action_item, viewer, item, changes)
    return ActionItem.objects.select_related("owner").get(pk=item.pk)
