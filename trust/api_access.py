"""The access log in the JSON API: who looked at your data, newest first, paged like every list
(`cadence.api_kit.Page`), with the page's filters. Read only: nobody changes an entry."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from access.viewer import viewer_of
from cadence.api_kit import Id, Page, PersonRef, signed_in
from trust import who_looked

router = Router(tags=["my data"])

ChannelValue = Literal["page", "api", "export"]


class AccessLogEntryOut(Schema):
    id: int
    at: datetime
    viewer: PersonRef | None = Field(description="Who looked; null once they are gone")
    viewer_role: str = Field(description='Who they are to you, in words ("your manager")')
    kind: str = Field(description="The kind of data, as a key (e.g. `goals.team`)")
    kind_label: str = Field(description="The kind of data, in words, in your language")
    item: int | None = Field(description="The id of the item shown; null for a list")
    count: int = Field(description="How many items: 1, or the length of the list")
    channel: ChannelValue = Field(description="How: a page, the API or an export")
    path: str = Field(description="Where: the page or API path")

    @staticmethod
    def resolve_viewer_role(entry, context) -> str:
        person = signed_in(viewer_of(context["request"]))
        return who_looked.role_of(entry, person)

    @staticmethod
    def resolve_kind_label(entry) -> str:
        return str(who_looked.kind_label(entry.kind))


@router.get(
    "/me/access-log",
    response=list[AccessLogEntryOut],
    summary="Who looked at your data",
)
@paginate(Page)
def list_access_log(
    request,
    kind: str = "",
    viewer: Id | None = None,
    channel: ChannelValue | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Every time someone other than you was shown your data that not everyone can see: newest
    first. `kind`: one kind of data (a key of `GET /me/data`); `viewer`: one person's id;
    `channel`: page, api or export; `since`/`until`: from this time, and before this one."""
    me = signed_in(viewer_of(request))
    entries = who_looked.entries_about(me)
    return who_looked.filtered(
        entries, kind=kind, viewer=viewer, channel=channel or "", since=since, until=until
    )
