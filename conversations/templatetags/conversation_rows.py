"""The conversations' lists rendered in Python, byte for byte what the templates' loops gave
(`conversations/tests/test_team_rows.py` compares them): My team's rows (`team_rows`) and the
conversations coming up (`coming_up_rows`). A manager's dozen reports, each with a cell per kind
of conversation and what is beside them, made some 15,000 variable lookups: My team's loop took
most of the page's time to render (17-25 ms at 10,000 people); the fifty conversations coming
up, each through three included templates, most of the Conversations page's."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace
from typing import Any

from django import template
from django.template.defaultfilters import floatformat, urlencode
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from cadence.rows import Words
from cadence.rows import csrf as _csrf
from cadence.rows import value as _v
from growth.templatetags.growth import person_assessments

register = template.Library()


class _Words(Words):
    """What the conversations' rows say again and again (`cadence.rows.Words`), with each
    kind of conversation's name and their messages translated once per page."""

    @cached_property
    def said(self) -> SimpleNamespace:
        """The rows' messages without a number in them, translated once per page."""
        return SimpleNamespace(
            prepared=gettext("prepared"),
            not_prepared=gettext("not prepared yet"),
            off=gettext("off"),
            schedule=gettext("Schedule"),
            for_name=gettext("for %(name)s"),
            last_held=gettext("last held %(day)s"),
            not_held=gettext("not held yet"),
            one_on_one=gettext("One-on-one %(day)s"),
            plan=gettext("Plan a one-on-one"),
            with_name=gettext("with %(name)s"),
            rhythm=gettext("Rhythm"),
            of_name=gettext("of %(name)s"),
            open_actions=gettext("Open actions"),
            rhythm_kept=gettext("Rhythm kept"),
            on_course=gettext("Goals on course"),
            nothing_due=gettext("nothing due yet"),
            on_time=gettext("%(on_time)s of %(counted)s on time"),
            today=gettext("today"),
            your_manager=gettext("with %(name)s, your manager"),
            prepare=gettext("Prepare"),
            name_prepared=gettext("%(name)s prepared"),
        )

    def detail(self, conversation: Any) -> str:
        """`{{ conversation.get_absolute_url }}` (`Conversation.get_absolute_url`'s URL)."""
        return self.url("conversations:detail", conversation.pk)

    def kind(self, conversation: Any) -> str:
        key = ("kind", conversation.kind)
        if key not in self.found:
            self.found[key] = conversation.get_kind_display()
        return self.found[key]


def _link(url: str, words: str, hidden: str, classes: str = "") -> str:
    """A link whose words a screen reader hears with more after them (`hidden`: whose, for
    whom), as the templates wrote it."""
    attribute = f' class="{classes}"' if classes else ""
    return f'<a{attribute} href="{url}">{words}<span class="visually-hidden"> {hidden}</span></a>'


def _url(name: str, *args: Any) -> str:
    return conditional_escape(reverse(name, args=args or None))


def _avatar(person: Any, size: str = "sm") -> str:
    """cadence/avatar.html with `size` ("sm", "xs")."""
    hue = str(round(float(person.avatar_hue) / 30.0 * 1))
    return (
        f'<span class="avatar avatar-{size} hue-{hue}" aria-hidden="true">'
        f"{_v(person.initials)}</span>\n"
    )


def _assessments(w: _Words, context: Any, person: Any) -> str:
    """growth's `{% person_assessments person compact=True %}` (its template, compact)."""
    shows = person_assessments(context, person, compact=True)
    name = _v(person.name)
    if shows.get("open_id"):
        url = w.url("growth:assessment", shows["open_id"])
        if shows.get("mine"):
            words = gettext("My open assessment")
        else:
            words = (
                gettext("Open assessment")
                + '<span class="visually-hidden"> '
                + gettext("of %(name)s") % {"name": name}
                + "</span>"
            )
        return f' · <a href="{url}">{words}</a>\n\n'
    if shows.get("may_start"):
        start, of_name = gettext("Start an assessment"), gettext("of %(name)s") % {"name": name}
        return (
            f' · <form method="post" action="{w.path("growth:assessment_start")}" '
            f'class="inline-form">{_csrf(shows.get("csrf_token"))}<input type="hidden" '
            f'name="person" value="{_v(person.pk)}"><button type="submit" class="link-button">'
            f"{start}"
            f'<span class="visually-hidden"> {of_name}</span>'
            "</button></form>\n\n"
        )
    if shows.get("mine"):
        mine = gettext("My assessments")
        return f' · <a href="{w.path("growth:index")}#assessments-h">{mine}</a>\n\n'
    return "\n"


def _due(w: _Words, overdue_days: int, due_in: int | None) -> str:
    """conversations/lists/_due.html."""
    if overdue_days:
        words = ngettext(
            "overdue by %(counter)s day", "overdue by %(counter)s days", overdue_days
        ) % {"counter": _v(overdue_days)}
        return f'<span class="badge danger">{words}</span>\n'
    if due_in == 0:
        return f'<span class="badge warn">{w.said.today}</span>\n'
    if due_in is not None and due_in <= 7:
        words = ngettext("in %(counter)s day", "in %(counter)s days", due_in) % {
            "counter": _v(due_in)
        }
        return f'<span class="badge">{words}</span>\n'
    return "\n"


def _adherence(w: _Words, adherence: Any) -> str:
    """conversations/lists/_adherence.html."""
    if not adherence.counted:
        return f'<span class="muted">{w.said.nothing_due}</span>\n'
    percent = _v(adherence.percent)
    words = w.said.on_time % {
        "on_time": _v(floatformat(adherence.on_time, "g")),
        "counted": _v(floatformat(adherence.counted, "g")),
    }
    return (
        f'<span class="rate"><strong>{percent}%</strong> <progress max="100" value="{percent}" '
        f'aria-hidden="true"></progress> <span class="muted">{words}</span></span>\n'
    )


def _cell(w: _Words, cell: Any, labels: dict[Any, str], name: str) -> str:
    label = labels.get(cell.kind, "")
    state = " is-overdue" if cell.overdue else " is-warn" if cell.unprepared else ""
    out = [f'\n        <td data-label="{label}" class="cell{state}">\n          ']
    following = cell.next
    if following:
        due = following.due_date
        out.append(
            f'\n            <a class="next" href="{w.detail(following)}">'
            f'<time datetime="{_v(w.date(due, "Y-m-d"))}">'
            f'{_v(w.date(due, "DATE_FORMAT"))}</time><span class="visually-hidden"> '
            f"{_v(w.kind(following))}, {name}</span></a>\n            "
            f"{_due(w, cell.overdue_days, cell.due_in)}\n            "
        )
        if following.prepared_at:
            out.append(f'<span class="badge ok">{w.said.prepared}</span>')
        elif cell.unprepared:
            out.append(f'<span class="badge warn">{w.said.not_prepared}</span>')
        out.append("\n          ")
    elif cell.off:
        out.append(f'\n            <span class="muted">{w.said.off}</span>\n          ')
    else:
        for_name = w.said.for_name % {"name": name}
        link = _link(_v(cell.schedule_url), w.said.schedule, for_name, "button small")
        out.append(f"\n            {link}\n          ")
    out.append('\n          <span class="last">')
    if cell.last_held:
        day = _v(w.date(cell.last_held, "DATE_FORMAT"))
        out.append(w.said.last_held % {"day": day})
    else:
        out.append(w.said.not_held)
    out.append("</span>\n        </td>\n        ")
    return "".join(out)


def _review(w: _Words, review: Any) -> str:
    """The 360 review's item beside a report (its `<li>`'s inside)."""
    participant_id = review.participant.pk
    if review.to_release:
        words = gettext("360 report ready to release")
        shown = (
            f'<a class="beside-warn" href="{w.url("feedback:report", participant_id)}">'
            f"{words}</a>\n                "
        )
    elif review.my_review_id:
        words = gettext("360: your review is waiting")
        shown = (
            f'<a class="beside-warn" href="{w.url("feedback:answer", review.my_review_id)}">'
            f"{words}</a>\n                "
        )
    elif review.to_approve:
        words = ngettext(
            "360: approve %(counter)s reviewer", "360: approve %(counter)s reviewers", review.peers
        ) % {"counter": _v(review.peers)}
        shown = (
            f'<a class="beside-warn" href="{w.url("feedback:approve", participant_id)}">'
            f"{words}</a>\n                "
        )
    elif review.not_nominated:
        words = gettext("360: no reviewers proposed yet")
        shown = f"<span>{words}</span>\n                "
    elif review.nominating:
        words = ngettext(
            "360: %(counter)s reviewer approved",
            "360: %(counter)s reviewers approved",
            review.peers,
        ) % {"counter": _v(review.peers)}
        shown = f'<span class="muted">{words}</span>\n                '
    elif review.reviewing:
        day = _v(w.date(review.cycle.answers_due, "MONTH_DAY_FORMAT"))
        words = gettext("360: reviews open until %(day)s") % {"day": day}
        shown = f'<span class="muted">{words}</span>\n                '
    else:
        shown = ""
    if review.nominating and review.too_few_peers:
        needed = review.cycle.min_peers
        words = ngettext(
            "(fewer than the %(counter)s peer needed)",
            "(fewer than the %(counter)s peers needed)",
            needed,
        ) % {"counter": _v(needed)}
        shown += f' <span class="muted">{words}</span>'
    return shown


def _row(w: _Words, context: Any, row: Any, labels: dict[Any, str], colspan: str, on: Any) -> str:
    person = row.person
    pk, name = _v(person.pk), _v(person.name)
    overdue = ' class="has-overdue"' if row.overdue_count else ""
    out = [
        f"\n      <tr{overdue}>\n"
        f'        <th scope="row" class="person" id="report-{pk}">\n'
        '          <span class="person-cell">\n'
        f"            {_avatar(person)}\n"
        "            <span>\n"
        f'              <a href="{w.url("people:person", person.pk)}">{name}</a>\n              '
    ]
    if person.job_title:
        out.append(f'<span class="muted small block">{_v(person.job_title)}</span>')
    out.append(
        '\n            </span>\n          </span>\n          <span class="row-links small">'
        "\n            "
    )
    one_on_one = row.next_one_on_one
    if one_on_one:
        day = _v(w.date(one_on_one.due_date, "MONTH_DAY_FORMAT"))
        words = w.said.one_on_one % {"day": day}
        out.append(f'<a href="{w.detail(one_on_one)}">{words}</a>\n            ')
    else:
        with_name = w.said.with_name % {"name": name}
        out.append(_link(f"{w.path('conversations:create')}?with={pk}", w.said.plan, with_name))
    rhythm, of_name = w.said.rhythm, w.said.of_name % {"name": name}
    out.append(
        f"\n            · {_link(w.url('conversations:pair_rhythm', person.pk), rhythm, of_name)}"
        f"{_assessments(w, context, person)}\n          </span>\n        </th>\n        "
    )
    out.extend(_cell(w, cell, labels, name) for cell in row.cells)
    open_actions = w.said.open_actions
    out.append(f'\n        <td data-label="{open_actions}">')
    if row.open_actions:
        actions_url = row.actions_url
        if actions_url:
            out.append(f'<a href="{_v(actions_url)}">{_v(row.open_actions)}</a>')
        else:
            out.append(_v(row.open_actions))
    else:
        out.append('<span class="muted">0</span>')
    rhythm_kept = w.said.rhythm_kept
    out.append(
        f'</td>\n        <td data-label="{rhythm_kept}">{_adherence(w, row.adherence)}'
        "</td>\n      </tr>\n      \n"
        f'      <tr class="beside-row{" has-overdue" if row.overdue_count else ""}">\n'
        f'        <td colspan="{colspan}" headers="report-{pk}">\n'
        '          <div class="beside">\n            <ul class="beside-list">\n              '
    )
    if on.get("goals"):
        count = row.attention.count
        if count:
            words = ngettext(
                "%(counter)s goal needs attention", "%(counter)s goals need attention", count
            ) % {"counter": _v(count)}
            out.append(
                f'<li><a class="beside-warn" href="{w.path("goals:team")}?owner='
                f'{_v(urlencode(person.name))}">{words}</a></li>'
            )
        else:
            on_course = w.said.on_course
            out.append(f'<li><span class="muted">{on_course}</span></li>')
    out.append("\n              ")
    if on.get("feedback"):
        to_me = row.asks.to_me
        if to_me:
            words = ngettext(
                "Asked you for feedback", "Asked you for feedback %(counter)s times", len(to_me)
            ) % {"counter": _v(len(to_me))}
            out.append(
                f'<li><a class="beside-warn" href="{w.url("feedback:ask_answer", to_me[0].pk)}">'
                f"{words}</a></li>"
            )
        out.append("\n              ")
        from_me = row.asks.from_me
        if from_me:
            words = ngettext(
                "Your feedback request is open",
                "%(counter)s of your feedback requests are open",
                from_me,
            ) % {"counter": _v(from_me)}
            out.append(f'<li><a href="{w.path("feedback:requests")}">{words}</a></li>')
    out.append("\n              ")
    review = row.review
    if review and on.get("reviews"):
        out.append(f"<li>\n                {_review(w, review)}\n              </li>")
    out.append("\n            </ul>\n            ")
    if row.nudges:
        out.append('\n            <div class="nudges">\n              ')
        csrf = None
        for nudge in row.nudges:
            out.append("\n              ")
            if nudge.sent_today:
                out.append(
                    '<span class="muted nudge-sent"><span aria-hidden="true">✓ </span>'
                    f"{_v(nudge.sent_label)}</span>\n              "
                )
            else:
                if csrf is None:
                    csrf = _csrf(context.get("csrf_token"))
                out.append(
                    f'<form method="post" action="{_v(nudge.url)}" class="nudge">{csrf}'
                    f'<button type="submit" class="button small">{_v(nudge.label)}</button></form>'
                )
            out.append("\n              ")
        out.append("\n            </div>\n            ")
    out.append("\n          </div>\n        </td>\n      </tr>\n      ")
    return "".join(out)


@register.simple_tag(takes_context=True)
def team_rows(context: Any, rows: list[Any], kinds: list[Any], modules_on: dict) -> SafeString:
    """My team's table body: two `<tr>` per report (their conversations, then what is beside
    them), as the template's loop showed them; every value escaped as a template escapes it."""
    w = _Words()
    labels = {kind: _v(kind.label) for kind in kinds}
    colspan = _v(len(kinds) + 3)
    html = "".join(_row(w, context, row, labels, colspan, modules_on) for row in rows)
    return mark_safe(html)  # noqa: S308 - every value escaped above


def _coming_up(w: _Words, row: Any) -> str:
    """conversations/lists/_coming_up.html."""
    c, other = row.conversation, row.other
    label, name = _v(c.label), _v(other.name)
    whom = (w.said.your_manager if row.mine else w.said.with_name) % {"name": name}
    if c.starts_at:
        starts = c.starts_at  # in the viewer's time zone, as the template's filters show it
        if timezone.is_aware(starts):
            starts = timezone.localtime(starts)
        when = f"{_v(w.date(starts, 'MONTH_DAY_FORMAT'))}, {_v(time_filter(starts, 'TIME_FORMAT'))}"
    else:
        when = _v(w.date(c.due_date, "DATE_FORMAT"))
    if row.mine:
        if c.prepared_at:
            prepared = w.said.prepared
            prep = f'\n              <span class="badge ok">{prepared}</span>\n              '
        else:
            prep = (
                "\n              "
                f'<a class="button small" href="{w.url("conversations:prepare", c.pk)}">'
                f'{w.said.prepare}<span class="visually-hidden">: {label}</span></a>'
            )
        prep += "\n            "
    elif c.prepared_at:
        words = w.said.name_prepared % {"name": _v(other.get_short_name())}
        prep = f'<span class="badge ok">{words}</span>\n            '
    elif row.due_in <= 7:
        prep = f'<span class="muted small">{w.said.not_prepared}</span>'
    else:
        prep = ""
    return (
        f'\n        <li class="conv-item{" is-overdue" if row.overdue else ""}">\n'
        f"          {_avatar(person=other)}\n"
        '          <div class="conv-main">\n'
        f'            <a class="conv-title" href="{w.detail(c)}">{label}</a>\n'
        f'            <span class="muted">{whom}</span>\n'
        "          </div>\n"
        '          <div class="conv-when">\n'
        f'            <time datetime="{_v(w.date(c.due_date, "Y-m-d"))}">{when}</time>\n'
        f"            {_due(w, row.overdue_days, row.due_in)}\n"
        "          </div>\n"
        '          <div class="conv-prep">\n'
        f"            {prep}\n"
        "          </div>\n"
        "        </li>\n\n"
    )


@register.simple_tag
def coming_up_rows(rows: list[Any]) -> SafeString:
    """The Conversations page's `<li>` per conversation coming up, as the loop including
    conversations/lists/_coming_up.html showed them."""
    w = _Words()
    return mark_safe("".join(_coming_up(w, row) for row in rows))  # noqa: S308 - escaped above


def _action(w: _Words, item: Any, origin_id: Any, today: Any, csrf: str) -> str:
    """conversations/conversation/_action.html: one action item, ticked off from the page of
    the conversation `origin_id`."""
    done = item.is_done
    text = _v(item.text)
    url = w.url("conversations:action_toggle", item.pk)
    title = gettext("Done: mark as not done") if done else gettext("Mark as done")
    done_words = gettext("Done")
    owner = item.owner
    if done:
        day = _v(w.date(item.done_at, "MONTH_DAY_FORMAT"))
        words = gettext("done %(date)s") % {"date": day}
        when = f'<span class="muted">· {words}</span>\n    '
    elif item.due_date:
        day = _v(w.date(item.due_date, "MONTH_DAY_FORMAT"))
        words = gettext("due %(date)s") % {"date": day}
        late = "cv-late" if item.due_date < today else "muted"
        when = f'<span class="{late}">· {words}</span>'
    else:
        when = ""
    if item.conversation_id != origin_id:
        source = item.conversation
        words = gettext('from <a href="%(url)s">%(label)s of %(date)s</a>') % {
            "url": _v(source.get_absolute_url()),
            "label": _v(source.label),
            "date": _v(w.date(source.due_date, "DATE_FORMAT")),
        }
        source_words = f'<span class="muted">· {words}</span>'
    else:
        source_words = ""
    return (
        f'\n<li class="cv-action{" is-done" if done else ""}" id="action-{_v(item.pk)}">\n'
        f'  <form class="cv-inline" method="post" action="{url}"\n'
        f'        hx-post="{url}" hx-target="closest .cv-action" hx-swap="outerHTML">\n'
        f'    {csrf}<input type="hidden" name="origin" value="{_v(origin_id)}">\n'
        f'    <button type="submit" class="cv-tick" aria-pressed="{"true" if done else "false"}"'
        f' title="{title}"><span class="visually-hidden">{done_words}: {text}</span></button>\n'
        "  </form>\n"
        f'  <span class="cv-action-text">{text}</span>\n'
        '  <span class="cv-action-meta">\n'
        f'    <span class="person-cell">{_avatar(owner, "xs")}{_v(owner.get_short_name())}</span>\n'
        f"    {when}\n"
        f"    {source_words}\n"
        "  </span>\n"
        "</li>\n"
    )


@register.simple_tag(takes_context=True)
def action_rows(context: Any, items: list[Any]) -> SafeString:
    """A conversation's action items, as the loop including conversations/conversation/
    _action.html showed them (`origin_id` and `today` from the context): on a conversation's
    page, its own and those carried over on its agenda."""
    w = _Words()
    csrf = _csrf(context.get("csrf_token")) if items else ""
    origin_id, today = context.get("origin_id"), context.get("today")
    html = "".join(_action(w, item, origin_id, today, csrf) for item in items)
    return mark_safe(html)  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def action_row(context: Any, item: Any) -> SafeString:
    """One action item (`action_rows`): htmx's answer to ticking it off."""
    return action_rows(context, [item])
