"""The audit log in the JSON API, for organisation-wide HR and administrators (everyone else:
403): the entries newest first, filtered as on the audit page, each in the stored values and
in words (`trust.readable`), keyset paged."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from access.viewer import viewer_of
from cadence.api_kit import Id, Page, PersonRef
from trust import actions
from trust.queries import Filters, entries
from trust.readable import Row, readable
from trust.rules import reads_audit_log

router = Router(tags=["audit"])

FORBIDDEN = {
    "403": {
        "description": "Only organisation-wide HR and administrators read the audit log.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
}


class ChangeOut(Schema):
    field: str = Field(description="The field, as a key (`manager`, `leave_date`, `status`, …)")
    label: str = Field(description="The field in words, in your language")
    before: Any = Field(
        None,
        description="As stored: people and teams by id, dates as YYYY-MM-DD; null when "
        "hidden (`hidden`) or for a value that is not a change (`single`)",
    )
    after: Any = Field(None, description="As stored, as `before`")
    before_text: str = Field(description="`before` in words")
    after_text: str = Field(description="`after` in words")
    single: bool = Field(
        description="A value rather than a change: what something new was made with (a person "
        "added, a role granted) or what else the entry holds (an import's file name)"
    )
    hidden: bool = Field(
        description="Not shown: erased with its person, or an employment detail (role, level, "
        "dates) that only HR reads"
    )


class AuditEntryOut(Schema):
    id: int
    at: datetime
    action: str = Field(description="What was done, as a stable key (e.g. `person.changed`)")
    action_label: str = Field(description="What was done, in words, in your language")
    actor: PersonRef | None = Field(description="Who did it; null: Cadence, on the server")
    subject: PersonRef | None = Field(description="Whom it is about; null: nobody in particular")
    target: str = Field(description="The object changed, as `app.model:id`, or empty")
    target_label: str = Field(description="The team or 360 cycle changed, by name, or empty")
    redacted: bool = Field(description="Its values were erased with the person it is about")
    changes: list[ChangeOut]


class ReadablePage(Page):
    """`Page`, with the page's entries put in words for the caller once it is cut (a few
    queries for the names, however long the page)."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        rows = readable(page[self.items_attribute], viewer_of(request))
        page[self.items_attribute] = [_out(row) for row in rows]
        return page


def _person(pk: int | None, name: str) -> dict[str, Any] | None:
    return {"id": pk, "name": name} if pk is not None else None


def _out(row: Row) -> dict[str, Any]:
    entry = row.entry
    return {
        "id": entry.pk,
        "at": entry.at,
        "action": entry.action,
        "action_label": row.action,
        "actor": _person(entry.actor_id, row.actor),
        "subject": _person(entry.subject_id, row.subject),
        "target": entry.target,
        "target_label": row.target,
        "redacted": entry.redacted,
        "changes": [
            {
                "field": change.field,
                "label": change.label,
                "before": change.raw_before,
                "after": change.raw_after,
                "before_text": change.before,
                "after_text": change.after,
                "single": change.single,
                "hidden": change.hidden,
            }
            for change in row.changes
        ],
    }


DESCRIPTION = (
    "Every change made with authority, newest first, for organisation-wide HR and "
    "administrators: of one `action`, by `actor` (a person's id), about `subject`, from `since` "
    "up to `until` (days in your time zone, both included). The actions: "
    + ", ".join(f"`{key}`" for key in actions.ACTIONS)
    + "."
)


@router.get(
    "/audit",
    response=list[AuditEntryOut],
    summary="The audit log",
    description=DESCRIPTION,
    openapi_extra={"responses": FORBIDDEN},
)
@paginate(ReadablePage)
def list_audit_entries(
    request: HttpRequest,
    action: str = "",
    actor: Id | None = None,
    subject: Id | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Any:
    """The audit log, filtered (`DESCRIPTION`)."""
    viewer = viewer_of(request)
    if not reads_audit_log(viewer):
        raise HttpError(403, gettext("Only organisation-wide HR and administrators read it."))
    errors = []
    if action and action not in actions.ACTIONS:
        errors.append(("action", gettext("Not an action of the audit log.")))
    if since and until and until < since:
        errors.append(("until", gettext("This day is before the first one.")))
    if errors:
        raise ValidationError(
            [{"loc": ["query", name], "msg": msg, "type": "value_error"} for name, msg in errors]
        )
    filters = Filters(action=action, actor=actor, subject=subject, since=since, until=until)
    return entries(viewer, filters)
