"""Rhythm settings (the organisation's default, a team's, a pair's) and HR's templates.

Rhythms are organisation information: everyone signed in may read the default and a team's;
a pair's is seen by the people who see that person's rhythm. Changes are made by
`conversations.services` (checked against `conversations.rules`) and, once saved, the open
conversations follow the new rhythm at once.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access.rules import get_visible_or_404, shown, visible
from access.viewer import viewer_of
from cadence.ids import id_in
from conversations import services
from conversations.forms_settings import (
    LINE_MAX_LENGTH,
    TEMPLATE_MAX_LENGTH,
    RhythmForm,
    TemplateForm,
)
from conversations.models import (
    RHYTHM_KIND_VALUES,
    Conversation,
    ConversationTemplate,
    Kind,
    RhythmRule,
    Status,
    interval_label,
)
from conversations.prompts import default_text, parse
from conversations.rules import (
    edits_default_rhythm,
    edits_pair_rhythm,
    edits_team_rhythm,
    manages_templates,
    sees_rhythm_of,
)
from conversations.scheduling import Rules
from organisation import scope
from people.models import Person, Team, ids_in

KIND_VALUES = RHYTHM_KIND_VALUES
PAIR_RULES_PAGE_SIZE = 50

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


# --- Explaining where a rhythm comes from -----------------------------------------------------


def inherited_for(rules: Rules, team_path: str, kind: str, names: dict) -> tuple[int, str]:
    """What applies to a kind below `team_path` when no rule is set lower down: the nearest
    team's rule along the path, else the organisation's default; with a description."""
    for team_id in reversed(ids_in(team_path or "/")):
        months = rules.by_team.get(team_id, {}).get(kind)
        if months is not None:
            return months, _("from %(team)s") % {"team": names.get(team_id, "?")}
    return rules.default[kind], _("the organisation's default")


def inherit_choice(months: int, source: str) -> str:
    return _("Inherit: %(interval)s (%(source)s)") % {
        "interval": interval_label(months),
        "source": source,
    }


def cells_of(labels: dict) -> list:
    """A rule table's cells, one per kind: the interval's label, or None (inherits)."""
    return [labels.get(kind) for kind in KIND_VALUES]


def team_names(paths) -> dict:
    ids = {pk for path in paths for pk in ids_in(path or "/")}
    return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


# --- The organisation's default -------------------------------------------------------------


@login_required
@GET_POST
def rhythms(request):
    """The organisation's default per kind (organisation-wide HR edits it), the teams and pairs
    that differ, and the shortcuts to the rhythms the viewer may change."""
    viewer = viewer_of(request)
    me = viewer.person
    team_id = id_in(request.GET, "team")
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is not None:
            return redirect("conversations:team_rhythm", team.pk)
    can_edit = edits_default_rhythm(viewer)
    rules = Rules.load()
    form = RhythmForm(
        request.POST if request.method == "POST" else None,
        current={kind: rules.default[kind] for kind in KIND_VALUES},
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            changed = services.save_rhythm(viewer, form.intervals())
            if changed:
                messages.success(
                    request,
                    _("The organisation's rhythm is saved; open conversations follow it."),
                )
            return redirect("conversations:rhythms")
        status = 400

    team_rules = defaultdict(dict)
    for rule in RhythmRule.objects.filter(team__isnull=False).select_related("team"):
        team_rules[rule.team][rule.kind] = interval_label(rule.interval_months)
    # People with a rhythm of their own whom the viewer may see, a page at a time.
    ruled = visible(viewer, RhythmRule.objects.filter(employee__isnull=False))
    people = (
        Person.objects.filter(pk__in=ruled.values("employee_id"))
        .filter(scope.in_scope_q())  # during a pilot, those inside it
        .order_by("name", "pk")
    )
    pair_page = Paginator(people.only("pk", "name"), PAIR_RULES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = defaultdict(dict)
    for rule in ruled.filter(employee__in=[p.pk for p in pair_page.object_list]):
        labels[rule.employee_id][rule.kind] = interval_label(rule.interval_months)
    pair_page.object_list = [
        {"person": p, "cells": cells_of(labels[p.pk])} for p in pair_page.object_list
    ]
    context = {
        "form": form,
        "can_edit": can_edit,
        "defaults": [
            {"kind": Kind(kind), "label": interval_label(rules.default[kind])}
            for kind in KIND_VALUES
        ],
        "kinds": [Kind(kind) for kind in KIND_VALUES],
        "team_rows": sorted(
            ({"team": t, "cells": cells_of(k)} for t, k in team_rules.items()),
            key=lambda row: (row["team"].name.casefold(), row["team"].pk),
        ),
        "page": pair_page,
        "querystring": "",
        "teams": Team.objects.order_by("name", "pk").only("name"),
        "led": list(Team.objects.filter(lead=me).order_by("name", "pk")),
        "reports": list(
            Person.objects.current().filter(scope.in_scope_q(), manager=me).only("pk", "name")
        ),
    }
    return render(request, "conversations/settings/rhythms.html", context, status=status)


# --- A team's rhythm -------------------------------------------------------------------------


@login_required
@GET_POST
def team_rhythm(request, team_id):
    viewer = viewer_of(request)
    team = get_visible_or_404(viewer, Team, team_id)
    can_edit = edits_team_rhythm(viewer, team)
    rules = Rules.load()
    names = team_names([team.path])
    parent_path = team.path[: team.path.rstrip("/").rfind("/") + 1]
    own = rules.by_team.get(team.pk, {})
    inherited = {kind: inherited_for(rules, parent_path, kind, names) for kind in KIND_VALUES}
    form = RhythmForm(
        request.POST if request.method == "POST" else None,
        current=own,
        inherited={kind: inherit_choice(*inherited[kind]) for kind in KIND_VALUES},
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            changed = services.save_rhythm(viewer, form.intervals(), team=team)
            if changed:
                messages.success(
                    request,
                    _("The rhythm of %(team)s is saved; open conversations follow it.")
                    % {"team": team.name},
                )
            return redirect("conversations:team_rhythm", team.pk)
        status = 400
    rows = []
    for kind in KIND_VALUES:
        months, source = inherited[kind]
        rows.append(
            {
                "kind": Kind(kind),
                "field": form[kind],
                "own": interval_label(own[kind]) if kind in own else None,
                "inherited": interval_label(months),
                "source": source,
            }
        )
    below = (
        RhythmRule.objects.filter(team__path__startswith=team.path)
        .exclude(team=team)
        .select_related("team")
        .order_by("team__path", "kind")
    )
    sub_teams = defaultdict(dict)
    for rule in below:
        sub_teams[rule.team][rule.kind] = interval_label(rule.interval_months)
    context = {
        "team": team,
        "ancestors": [(pk, names.get(pk, "")) for pk in ids_in(team.path)[:-1]],
        "form": form,
        "rows": rows,
        "can_edit": can_edit,
        "members": Person.objects.current().filter(team__path__startswith=team.path).count(),
        "sub_teams": [{"team": t, "cells": cells_of(k)} for t, k in sub_teams.items()],
        "kinds": [Kind(kind) for kind in KIND_VALUES],
    }
    return render(request, "conversations/settings/team_rhythm.html", context, status=status)


# --- A pair's rhythm -------------------------------------------------------------------------


@login_required
@GET_POST
def pair_rhythm(request, person_id):
    viewer = viewer_of(request)
    me = viewer.person
    person = get_visible_or_404(
        viewer, Person, person_id, queryset=Person.objects.select_related("team", "manager")
    )
    if not sees_rhythm_of(viewer, person):
        raise Http404
    can_edit = edits_pair_rhythm(viewer, person)
    rules = Rules.load()
    team_path = person.team.path if person.team_id else "/"
    names = team_names([team_path])
    own = rules.by_employee.get(person.pk, {})
    inherited = {kind: inherited_for(rules, team_path, kind, names) for kind in KIND_VALUES}
    form = RhythmForm(
        request.POST if request.method == "POST" else None,
        current=own,
        inherited={kind: inherit_choice(*inherited[kind]) for kind in KIND_VALUES},
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            changed = services.save_rhythm(viewer, form.intervals(), employee=person)
            if changed:
                messages.success(
                    request,
                    _("The rhythm for %(name)s is saved; open conversations follow it.")
                    % {"name": person.name},
                )
            return redirect("conversations:pair_rhythm", person.pk)
        status = 400

    # The pair's dates: the next open one and the last held one per kind (never content).
    nexts, held = {}, {}
    if person.manager_id:
        pair = visible(
            viewer,
            Conversation.objects.rhythm().filter(employee=person, manager_id=person.manager_id),
            "rhythm",
        )
        for conversation in pair.filter(status__in=[Status.SCHEDULED, Status.HELD]).order_by(
            "due_date", "pk"
        ):
            if conversation.status == Status.SCHEDULED:
                nexts.setdefault(conversation.kind, conversation)
            elif conversation.held_on and conversation.held_on > held.get(
                conversation.kind, conversation.held_on.min
            ):
                held[conversation.kind] = conversation.held_on
    shown(viewer, nexts.values(), "rhythm")  # their dates (the last held ones are dates only)
    participant = me.pk in (person.pk, person.manager_id)
    today = person.local_today()
    rows = []
    for kind in KIND_VALUES:
        months, source = inherited[kind]
        effective = own.get(kind, months)
        conversation = nexts.get(kind)
        rows.append(
            {
                "kind": Kind(kind),
                "field": form[kind],
                "effective": interval_label(effective),
                "off": effective == 0,
                "own": kind in own,
                "source": source,
                "next": conversation,
                "overdue": conversation is not None and conversation.is_overdue(today),
                "link": participant and conversation is not None,
                "last_held": held.get(kind),
            }
        )
    context = {
        "person": person,
        "form": form,
        "rows": rows,
        "can_edit": can_edit,
        "is_self": person.pk == me.pk,
        "is_manager": person.manager_id == me.pk,
    }
    return render(request, "conversations/settings/pair_rhythm.html", context, status=status)


# --- Templates -------------------------------------------------------------------------------


def _require_template_manager(request):
    if not manages_templates(viewer_of(request)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD"])
def templates(request):
    _require_template_manager(request)
    stored = {t.kind: t for t in ConversationTemplate.objects.select_related("updated_by")}
    cards = []
    for kind in Kind:
        template = stored.get(kind.value)
        text = template.text if template else default_text(kind)
        cards.append({"kind": kind, "template": template, "sections": parse(text)})
    return render(request, "conversations/settings/templates.html", {"cards": cards})


@login_required
@GET_POST
def template_edit(request, kind):
    _require_template_manager(request)
    if kind not in Kind.values:
        raise Http404
    kind = Kind(kind)
    template = ConversationTemplate.objects.filter(kind=kind).first()
    if request.method == "POST" and "reset" in request.POST:
        if services.reset_template(viewer_of(request), kind):
            messages.success(
                request,
                _("%(kind)s is back to our default prompts for new conversations.")
                % {"kind": kind.label},
            )
        return redirect("conversations:templates")
    text = template.text if template else default_text(kind)
    form = TemplateForm(request.POST if request.method == "POST" else None, initial={"text": text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_template(viewer_of(request), kind, form.cleaned_data["text"])
            messages.success(
                request,
                _(
                    "The %(kind)s prompts are saved. New conversations use them; those "
                    "already planned keep theirs."
                )
                % {"kind": kind.label},
            )
            return redirect("conversations:templates")
        status = 400
        preview_text = form.data.get("text", "")
    else:
        preview_text = text
    context = {
        "kind": kind,
        "template": template,
        "form": form,
        "sections": parse(preview_text)[:50],
        "max_length": TEMPLATE_MAX_LENGTH,
        "line_max_length": LINE_MAX_LENGTH,
        "back": reverse("conversations:templates"),
    }
    return render(request, "conversations/settings/template_edit.html", context, status=status)
