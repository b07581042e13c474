"""One conversation's page, and everything done on it.

The page is for the two participants only: anyone else gets a 404, whatever their role (the
chain and HR see the rhythm on other pages, never what was said). Every change is made by
`conversations.services` (as in the API), which re-reads the conversation's state under a row
lock, so a sign-off that lands at the same moment cannot let an edit into a closed record; the
views check permission first, parse the form, and show the service's refusals as its errors.

Sections change in place with htmx (the view answers with that section only, or with the form
and its errors and status 400); without JavaScript, a form posts and the view redirects back to
the section's anchor, or re-renders the page with the errors (status 400).

What may be done after both signed off (the record is locked):
- remarks: appended to the shared notes, dated and attributed (`Note.is_remark`);
- action items may still be ticked off: finishing an action is not editing the record;
- private notes may still be written and removed: they are the writer's own, not part of the
  shared record.
Everything else (talking points, notes, new action items, preparation, time, skip) refuses
with 403.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, Value
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.rules import allowed_or_404, can, get_visible_or_404, shown, who_asked
from access.viewer import Viewer, viewer_of
from access.who import WhoSees, who_sees
from cadence.context_processors import waiting_counts
from cadence.ids import parse_id
from cadence.prepared import ById
from cadence.refusals import form_saved
from cadence.shortcuts import require
from conversations import scheduling, services
from conversations.agenda import automatic_agenda, pair_actions
from conversations.forms import (
    ActionItemForm,
    AgendaItemForm,
    NoteForm,
    PrepareForm,
    PrivateNoteForm,
    RescheduleForm,
    SkipForm,
    matched_answers,
)
from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    Note,
    PrivateNote,
)
from conversations.prompts import GROW, sections_of
from conversations.rules import private_notes_of

PAGE = "conversations/conversation/detail.html"
ACTION_ROW = "conversations/conversation/_action.html"


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- Loading and checking -------------------------------------------------------------------


# A conversation with its two people (the employee's team too: who can see the conversation
# names HR covering it), and what the two wrote on it: each query's SQL prepared once per
# process and run with the conversation's id (`cadence.prepared.ById`): building them cost
# 1-4 ms each, running them a tenth of a millisecond.
CONVERSATION = ById(
    lambda pk: Conversation.objects.select_related(
        "employee__team", "manager", "skipped_by"
    ).filter(pk=pk)
)


def _written(pk: int) -> QuerySet[AgendaItem]:
    """The conversation's talking points, then its notes, in one query: their rows have the
    same columns (id, conversation, author, text, a flag, created_at), so the notes come back
    as talking points with `is_note` set (`_as_note` makes them notes again)."""
    items = AgendaItem.objects.filter(conversation_id=pk).annotate(is_note=Value(False))
    notes = Note.objects.filter(conversation_id=pk).annotate(is_note=Value(True))
    return (
        items.select_related("author")
        .order_by()
        .union(notes.select_related("author").order_by(), all=True)
        .order_by("is_note", "created_at", "id")  # each in its own order (their Meta's)
    )


WRITTEN = ById(_written)
_ITEM_COLUMNS = [field.attname for field in AgendaItem._meta.concrete_fields]
_NOTE_COLUMNS = [field.attname for field in Note._meta.concrete_fields]
assert [n.replace("discussed", "is_remark") for n in _ITEM_COLUMNS] == _NOTE_COLUMNS, (
    "talking points and notes are read as rows of the same columns (`_written`)"
)
assert AgendaItem._meta.ordering == Note._meta.ordering == ["created_at", "pk"]


def _as_note(row: AgendaItem) -> Note:
    note = Note.from_db(row._state.db, _NOTE_COLUMNS, [getattr(row, n) for n in _ITEM_COLUMNS])
    note.author = row.author
    return note


def visible_conversation(request, conversation_id: int) -> tuple[Viewer, Conversation]:
    """The conversation, for its two participants; a 404 for everyone else."""
    viewer = viewer_of(request)
    found = CONVERSATION.run(conversation_id)
    conversation = allowed_or_404(viewer, Conversation, found[0] if found else None)
    return viewer, conversation


def _of(conversation: Conversation, items: list) -> list:
    """`items` of the conversation (read by its id), each knowing it, as its related manager
    gives them."""
    for item in items:
        type(item).conversation.field.set_cached_value(item, conversation)
    return items


# --- The page ---------------------------------------------------------------------------------


class Page:
    """What the conversation's page shows one viewer. Each part is loaded when a template first
    asks for it, so an htmx answer with one section loads only that section; the whole page
    costs the same number of queries however much the two have written."""

    def __init__(self, request, conversation: Conversation, viewer: Viewer, **forms):
        self.request = request
        self.conversation = conversation
        self.viewer = viewer
        assert viewer.person is not None  # only the two participants see the page
        self.me = viewer.person
        self.forms = forms
        self.focus = forms.pop("focus", None)
        self.is_employee = self.me.pk == conversation.employee_id
        self.is_manager = self.me.pk == conversation.manager_id
        self.other = conversation.partner_of(self.me.pk)
        # Due dates are in the employee's calendar.
        self.today = conversation.employee.local_today()

    # What the viewer may do -----------------------------------------------------------------

    @cached_property
    def may(self) -> dict:
        viewer, conversation = self.viewer, self.conversation
        contribute = can(viewer, "contribute", conversation)
        return {
            "contribute": contribute,
            "remark": can(viewer, "remark", conversation),
            "prepare": can(viewer, "prepare", conversation),
            "coach": can(viewer, "coach", conversation),
            "reschedule": can(viewer, "reschedule", conversation),
            "skip": can(viewer, "skip", conversation),
            "sign": contribute and not conversation.signed_by(self.me.pk),
        }

    @cached_property
    def too_early(self) -> str:
        """Why the viewer cannot sign off yet (the conversation has not taken place), or ""."""
        if not self.may["sign"] or self.conversation.has_taken_place():
            return ""
        return scheduling.TooEarly(self.conversation).message()

    # The state of the conversation ----------------------------------------------------------

    @property
    def is_overdue(self) -> bool:
        return self.conversation.is_overdue(self.today)

    @property
    def signed_off_at(self):
        """When the record was closed: the later of the two sign-offs."""
        conversation = self.conversation
        if not conversation.is_locked:
            return None
        return max(conversation.employee_signed_at, conversation.manager_signed_at)

    @property
    def signatures(self) -> list[dict]:
        conversation = self.conversation
        return [
            {"person": conversation.employee, "at": conversation.employee_signed_at},
            {"person": conversation.manager, "at": conversation.manager_signed_at},
        ]

    @property
    def show_other_time(self) -> bool:
        return bool(self.conversation.starts_at) and self.other.time_zone != self.me.time_zone

    # The guide and the employee's preparation -------------------------------------------------

    @cached_property
    def _guide(self) -> tuple[list[dict], list]:
        sections = sections_of(self.conversation)
        prompts = [prompt for section in sections for prompt in section.prompts]
        matched, unmatched = matched_answers(self.conversation, prompts)
        answers = iter(matched)
        guide = [
            {
                "title": section.title,
                "prompts": [{"prompt": p, "answer": next(answers)} for p in section.prompts],
            }
            for section in sections
        ]
        return guide, unmatched

    @property
    def guide(self) -> list[dict]:
        """The template's sections, each prompt with the employee's answer (if any)."""
        return self._guide[0]

    @property
    def other_answers(self) -> list:
        """Answers to prompts the guide no longer shows (kept, and shown, not lost)."""
        return self._guide[1]

    @property
    def grow(self):
        """The GROW questions: for the manager only, never in the employee's page."""
        return GROW if self.may["coach"] else ()

    # What the two have written ---------------------------------------------------------------

    # Each part records what it shows for the access log (`access.rules.shown`) as it loads.

    @cached_property
    def _written(self) -> tuple[list[AgendaItem], list[Note]]:
        """The talking points and the notes, read together (`WRITTEN`)."""
        conversation = self.conversation
        rows = WRITTEN.run(conversation.pk)
        items = [row for row in rows if not row.is_note]  # type: ignore[attr-defined]
        notes = [_as_note(row) for row in rows if row.is_note]  # type: ignore[attr-defined]
        return _of(conversation, items), _of(conversation, notes)

    @cached_property
    def agenda_items(self) -> list[AgendaItem]:
        return self._shown(self._written[0])

    @cached_property
    def _notes(self) -> list[Note]:
        return self._shown(self._written[1])

    @property
    def notes(self) -> list[Note]:
        return [note for note in self._notes if not note.is_remark]

    @property
    def remarks(self) -> list[Note]:
        return [note for note in self._notes if note.is_remark]

    @cached_property
    def private_notes(self) -> list[PrivateNote]:
        # Through the rules, the only reader of private notes: the viewer's own, nobody else's.
        return self._shown(list(private_notes_of(self.viewer, self.conversation)))

    @cached_property
    def actions(self) -> list[ActionItem]:
        if self.conversation.is_open:
            # With the open ones carried over, which its agenda shows (one query for both).
            return self._shown(pair_actions(self.conversation, self.viewer).here)
        return self._shown(list(self.conversation.action_items.select_related("owner")))

    def _shown(self, items: list) -> list:
        shown(self.viewer, items)
        return items

    @cached_property
    def automatic(self):
        """The agenda's automatic sections (goals, open action items carried over, …)."""
        return automatic_agenda(self.conversation, self.viewer)

    @property
    def stylesheets(self) -> list[str]:
        """The automatic sections' own styles, each once."""
        return list(dict.fromkeys(s.stylesheet for s in self.automatic if s.stylesheet))

    # Forms -------------------------------------------------------------------------------------

    def _form(self, name, make, field="text"):
        form = self.forms.get(name)
        if form is None:
            form = self.forms[name] = make()
        if self.focus == name and field in form.fields:
            form.fields[field].widget.attrs["autofocus"] = True
        return form

    @property
    def agenda_form(self):
        return self._form("agenda_form", AgendaItemForm)

    @property
    def note_form(self):
        remark = self.conversation.is_locked
        return self._form("note_form", lambda: NoteForm(remark=remark))

    @property
    def private_form(self):
        return self._form("private_form", PrivateNoteForm)

    @property
    def action_form(self):
        return self._form(
            "action_form",
            lambda: ActionItemForm(conversation=self.conversation, today=self.today),
        )

    @cached_property
    def _who(self) -> tuple[WhoSees, WhoSees]:
        conversation, reader = self.conversation, self.viewer.person
        said, dates = who_asked([(conversation, "view"), (conversation, "rhythm")])
        return who_sees([said], reader), who_sees([dates], reader)

    @property
    def who(self) -> WhoSees:
        """Who may read what is said here: from the rules."""
        return self._who[0]

    @property
    def rhythm_who(self) -> WhoSees:
        """Who sees only its dates and status (not the two, who read it all)."""
        said = {line.role for line in self._who[0].lines}
        dates = self._who[1]
        return WhoSees([line for line in dates.lines if line.role not in said], dates.reader)

    @property
    def time_form(self):
        return self._form(
            "time_form",
            lambda: RescheduleForm(conversation=self.conversation, today=self.today),
            field="day",
        )

    def context(self) -> dict:
        return {
            "page": self,
            "conversation": self.conversation,
            "may": self.may,
            "me": self.me,
            "today": self.today,
            # Action rows post back to this page.
            "origin_id": self.conversation.pk,
        }


def render_page(request, page: Page, status: int = 200):
    # The navigation's counts first (the page shows them anyway): they tell whether the viewer
    # manages anyone, which the agenda's kept SQL is keyed by (`cadence.waiting.kept_rows`).
    waiting_counts(request)
    return render(request, PAGE, page.context(), status=status)


def section_response(request, page: Page, section: str, anchor: str, *, ok: bool):
    """After a change: with htmx, the section alone (with the form's errors and status 400 when
    it failed); without, back to the page at the section, or the page with the errors."""
    if is_htmx(request):
        return render(request, f"{PAGE}#{section}", page.context(), status=200 if ok else 400)
    if ok:
        return redirect(f"{page.conversation.get_absolute_url()}#{anchor}")
    return render_page(request, page, status=400)


# --- The page itself -----------------------------------------------------------------------


@login_required
@require_safe
def detail(request, conversation_id):
    viewer, conversation = visible_conversation(request, conversation_id)
    return render_page(request, Page(request, conversation, viewer))


# --- Preparation ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def prepare(request, conversation_id):
    """The employee answers the template's prompts (all optional); the manager reads them on the
    page. With htmx the form takes the place of the guide on the page; without, a page."""
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "prepare", conversation))
    htmx = is_htmx(request)
    if request.method == "POST":
        form = PrepareForm(request.POST, conversation=conversation)
        if form.is_valid():
            services.prepare(viewer, conversation, form.answers())
            if htmx:
                page = Page(request, conversation, viewer)
                return render(request, f"{PAGE}#preparation", page.context())
            messages.success(request, _("Your preparation is saved."))
            return redirect(f"{conversation.get_absolute_url()}#preparation")
        status = 400
    else:
        if htmx and "cancel" in request.GET:
            page = Page(request, conversation, viewer)
            return render(request, f"{PAGE}#preparation", page.context())
        form = PrepareForm(conversation=conversation)
        status = 200
    context = {"conversation": conversation, "form": form, "inline": htmx}
    if htmx:
        template = "conversations/conversation/prepare.html#prepare_form"
    else:
        template = "conversations/conversation/prepare.html"
    return render(request, template, context, status=status)


# --- The agenda --------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, conversation_id):
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "contribute", conversation))
    form = AgendaItemForm(request.POST)
    ok = form_saved(form, lambda data: services.add_agenda_item(viewer, conversation, data["text"]))
    if ok:
        page = Page(request, conversation, viewer, focus="agenda_form")
    else:
        page = Page(request, conversation, viewer, agenda_form=form, focus="agenda_form")
    return section_response(request, page, "talking_points", "agenda", ok=ok)


@login_required
@require_POST
def agenda_item(request, conversation_id, item_id):
    """action=toggle: discussed or not (either participant); action=delete: its author."""
    viewer, conversation = visible_conversation(request, conversation_id)
    item = get_visible_or_404(
        viewer,
        AgendaItem,
        item_id,
        queryset=AgendaItem.objects.select_related("conversation").filter(
            conversation=conversation
        ),
    )
    action = request.POST.get("action")
    require(can(viewer, "contribute", conversation))
    if action == "toggle":
        services.toggle_agenda_item(viewer, item)
    elif action == "delete":
        services.delete_agenda_item(viewer, item)
    else:
        return HttpResponseBadRequest(_("Choose what to do with the talking point."))
    page = Page(request, conversation, viewer)
    return section_response(request, page, "talking_points", "agenda", ok=True)


# --- Shared notes and remarks -------------------------------------------------------------------


@login_required
@require_POST
def note_add(request, conversation_id):
    """A shared note; once both signed off, a remark appended to the record."""
    viewer, conversation = visible_conversation(request, conversation_id)
    remark = conversation.is_locked
    require(can(viewer, "remark" if remark else "contribute", conversation))
    form = NoteForm(request.POST, remark=remark)
    ok = form_saved(form, lambda data: services.add_note(viewer, conversation, data["text"]))
    if ok:
        page = Page(request, conversation, viewer, focus="note_form")
    else:
        page = Page(request, conversation, viewer, note_form=form, focus="note_form")
    return section_response(request, page, "notes", "notes", ok=ok)


@login_required
@require_POST
def note_delete(request, conversation_id, note_id):
    """Its author removes a shared note, until both signed off. Remarks stay."""
    viewer, conversation = visible_conversation(request, conversation_id)
    note = get_visible_or_404(
        viewer,
        Note,
        note_id,
        queryset=Note.objects.select_related("conversation").filter(conversation=conversation),
    )
    services.delete_note(viewer, note)
    page = Page(request, conversation, viewer)
    return section_response(request, page, "notes", "notes", ok=True)


# --- Private notes --------------------------------------------------------------------------------


@login_required
@require_POST
def private_note_add(request, conversation_id):
    """A note only its writer will ever see. Also after sign-off: it is not part of the shared
    record."""
    viewer, conversation = visible_conversation(request, conversation_id)
    form = PrivateNoteForm(request.POST)
    ok = form_saved(
        form, lambda data: services.add_private_note(viewer, conversation, data["text"])
    )
    if ok:
        page = Page(request, conversation, viewer, focus="private_form")
    else:
        page = Page(request, conversation, viewer, private_form=form, focus="private_form")
    return section_response(request, page, "private_notes", "private-notes", ok=ok)


@login_required
@require_POST
def private_note_delete(request, conversation_id, note_id):
    """Its writer removes it; for anyone else it does not exist (404)."""
    viewer, conversation = visible_conversation(request, conversation_id)
    note = get_visible_or_404(viewer, PrivateNote, note_id)
    if note.conversation_id != conversation.pk:
        raise Http404
    services.delete_private_note(viewer, note)
    page = Page(request, conversation, viewer)
    return section_response(request, page, "private_notes", "private-notes", ok=True)


# --- Action items ---------------------------------------------------------------------------------


@login_required
@require_POST
def action_add(request, conversation_id):
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "contribute", conversation))
    today = conversation.employee.local_today()
    form = ActionItemForm(request.POST, conversation=conversation, today=today)
    ok = form_saved(
        form,
        lambda data: services.add_action_item(
            viewer,
            conversation,
            text=data["text"],
            owner_id=data["who"],
            due_date=data["due_date"],
        ),
        {"owner_id": "who"},
    )
    if ok:
        page = Page(request, conversation, viewer, focus="action_form")
    else:
        page = Page(request, conversation, viewer, action_form=form, focus="action_form")
    return section_response(request, page, "actions", "actions", ok=ok)


@login_required
@require_POST
def action_toggle(request, action_id):
    """Done or not done, by either of the pair; also after sign-off (finishing an action is
    not editing the record). `origin` is the conversation whose page the click came from (an
    action carried over is ticked off on a later conversation's page)."""
    viewer = viewer_of(request)
    item = get_visible_or_404(
        viewer,
        ActionItem,
        action_id,
        "complete",
        queryset=ActionItem.objects.select_related("conversation", "owner"),
    )
    services.toggle_action_item(viewer, item)
    origin = request.POST.get("origin", "")
    origin_id = parse_id(origin) or item.conversation_id
    if is_htmx(request):
        context = {
            "item": item,
            "origin_id": origin_id,
            "today": item.conversation.employee.local_today(),
        }
        return render(request, ACTION_ROW, context)
    return redirect(reverse("conversations:detail", args=[origin_id]) + "#actions")


# --- Sign-off, skip, time ---------------------------------------------------------------------


@login_required
@require_POST
def sign_off(request, conversation_id):
    """One participant signs off, once the conversation can have taken place: the manager's
    sign-off marks it held; when both have signed, the record is closed (and the next
    conversation of the rhythm is scheduled)."""
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "contribute", conversation))
    if conversation.signed_by(viewer.person.pk):
        messages.info(request, _("You have already signed off."))
    else:
        try:
            current = services.sign_off(viewer, conversation)
        except scheduling.TooEarly as error:
            # Refused: the page again, with the reason (status 400, nothing changed).
            messages.error(request, error.message())
            return render_page(request, Page(request, conversation, viewer), status=400)
        if current.is_locked:
            text = _("You have both signed off: the record is closed. Remarks can be appended.")
            upcoming = (
                Conversation.objects.of_pair(current.employee_id, current.manager_id)
                .open()
                .filter(kind=current.kind)
                .order_by("due_date", "pk")
                .first()
                if current.is_rhythm
                else None
            )
            if upcoming is not None:
                text += " " + _("The next one is due on %(date)s.") % {
                    "date": date_format(upcoming.due_date, "DATE_FORMAT")
                }
            messages.success(request, text)
        elif viewer.person.pk == conversation.employee_id:
            messages.success(
                request,
                _(
                    "You have signed off. The conversation counts as held once %(name)s signs "
                    "off too; then the record closes."
                )
                % {"name": conversation.manager.name},
            )
        else:
            messages.success(
                request,
                _("You have signed off. The record closes when %(name)s signs off too.")
                % {"name": conversation.employee.name},
            )
    return redirect(f"{conversation.get_absolute_url()}#sign-off")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def skip(request, conversation_id):
    """Skip an open conversation, with a reason both will see."""
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "skip", conversation))
    form = SkipForm(request.POST or None)
    if request.method == "POST":
        if form_saved(form, lambda data: services.skip(viewer, conversation, data["reason"])):
            messages.success(request, _("The conversation is skipped."))
            return redirect(conversation)
        status = 400
    else:
        status = 200
    context = {"conversation": conversation, "form": form}
    return render(request, "conversations/conversation/skip.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reschedule(request, conversation_id):
    """Set or clear the meeting time: a date and a time in the viewer's time zone."""
    viewer, conversation = visible_conversation(request, conversation_id)
    require(can(viewer, "reschedule", conversation))
    today = conversation.employee.local_today()
    if request.method == "POST":
        data = request.POST
        if "clear" in data:
            data = data.copy()
            data["day"], data["time"] = "", ""
        form = RescheduleForm(data, conversation=conversation, today=today)
        write = lambda cleaned: services.reschedule(viewer, conversation, cleaned["starts_at"])  # noqa: E731
        if form_saved(form, write, {"starts_at": "day"}):
            if conversation.starts_at:
                messages.success(request, _("The meeting time is saved."))
            else:
                messages.success(request, _("The meeting time is cleared."))
            return redirect(conversation)
        status = 400
    else:
        form = RescheduleForm(conversation=conversation, today=today)
        status = 200
    context = {"conversation": conversation, "form": form}
    return render(request, "conversations/conversation/reschedule.html", context, status=status)
