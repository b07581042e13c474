"""The notifications in the JSON API: your own, newest first, with the sentence in your language,
and marking them read or unread (the same services as the page); your e-mail preferences, read
and set (`notifications.mail`, the same service as the profile page)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from access.rules import visible
from access.viewer import viewer_of
from cadence.api_kit import Id, Page, Strict, body_of, documents, loaded, written
from notifications import mail, services
from notifications.models import EmailOptOut, Notification
from notifications.rules import MARK

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="What happened, as a key (e.g. `feedback_received`)")
    text: str = Field(description="What happened, in words, in your language")
    link: str = Field(description="The path on this site where it is, or empty")
    created_at: datetime
    read_at: datetime | None


class ReadIn(Strict):
    read: bool = Field(True, description="false marks it unread again")


class MarkAllIn(Strict):
    before: datetime | None = Field(
        None, description="Only those made up to this time (the newest you have seen)"
    )


class MarkedOut(Schema):
    marked: int


class EmailKindOut(Schema):
    kind: str = Field(description="The kind of e-mail, as a key (e.g. `weekly_digest`)")
    label: str = Field(description="What it is about, in your language")
    email: bool = Field(description="Whether Cadence e-mails you about it")


class EmailPreferencesOut(Schema):
    kinds: list[EmailKindOut] = Field(
        description="Every kind of e-mail you may turn off, as your profile page offers them: "
        "of the modules switched on, HR's to HR. Essential e-mail (password resets, "
        "invitations, changes of your address, manager or HR roles, revoked API tokens) is "
        "always sent; what Cadence tells in the app is always told."
    )
    off: list[str] = Field(description="The kinds of `kinds` you turned off")


class EmailPreferencesIn(Strict):
    off: list[str] = Field(
        description="Every kind of e-mail you do not want (the keys of `kinds`); every other "
        "kind of `kinds` is sent, and a kind not offered is left as it is",
        max_length=len(mail.OPTIONAL),
    )


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications")
@paginate(Page)
def list_notifications(request, unread: bool = False):
    """Newest first; `unread=true` for the unread ones only."""
    items = visible(viewer_of(request), Notification).order_by("-created_at", "-pk")
    if unread:
        items = items.filter(read_at__isnull=True)
    return items


@router.post(
    "/notifications/{id:notification_id}/read",
    response=NotificationOut,
    summary="Mark a notification read or unread",
    openapi_extra=documents(ReadIn),
)
def mark_notification(request, notification_id: Id):
    viewer = viewer_of(request)
    notification = loaded(viewer, Notification, notification_id, MARK)
    payload = body_of(request, ReadIn)
    return written(services.mark, viewer, notification, read=payload.read)


@router.post("/notifications/read", response=MarkedOut, summary="Mark all notifications read")
def mark_all_notifications(request, payload: MarkAllIn):
    """Every unread one, or those made up to `before`; answers how many it marked."""
    marked = written(services.mark_all_read, viewer_of(request), before=payload.before)
    return {"marked": marked}


def _email_preferences(viewer) -> dict:
    """What the profile page's form shows (`mail.offered`), and nothing else."""
    off = set(visible(viewer, EmailOptOut).values_list("kind", flat=True))
    offered = mail.offered(viewer)
    return {
        "kinds": [
            {"kind": kind.key, "label": str(kind.label), "email": kind.key not in off}
            for kind in offered
        ],
        "off": [kind.key for kind in offered if kind.key in off],
    }


@router.get(
    "/notifications/email-preferences",
    response=EmailPreferencesOut,
    summary="Your e-mail preferences",
)
def get_email_preferences(request):
    """Which kinds of e-mail Cadence sends you, and which you turned off."""
    return _email_preferences(viewer_of(request))


@router.put(
    "/notifications/email-preferences",
    response=EmailPreferencesOut,
    summary="Set your e-mail preferences",
)
def put_email_preferences(request, payload: EmailPreferencesIn):
    """Name every kind you do not want by e-mail in `off`; the others offered are sent. A kind
    that is not offered to you (`kinds`) is refused (422), as the profile page refuses it."""
    viewer = viewer_of(request)
    offered = [kind.key for kind in mail.offered(viewer)]
    written(services.set_email_preferences, viewer, payload.off, among=offered)
    return _email_preferences(viewer)
