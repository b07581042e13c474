"""Directory, person pages, the team tree, and HR's people and team editing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from access.rules import can, get_visible_or_404, read, shown, visible, who_sees
from access.viewer import viewer_of
from accounts import invitations
from accounts.email_change import email_change_pending_message
from cadence.ids import parse_id
from cadence.keyset import page_of_request
from cadence.refusals import Refused, show_refusal
from organisation import scope
from people import picker, search, services
from people.forms import LeaveForm, PersonForm, SearchForm, TeamForm
from people.models import Person, Team, current_q, ids_in
from people.rules import (
    VIEW_EMPLOYMENT,
    can_edit_person,
    can_edit_team,
    can_import_people,
    can_invite,
    can_manage_people,
)
from trust.rules import reads_audit_log
from webhooks.rules import manages_team

PAGE_SIZE = 50
COUNT_UP_TO = 1000  # the directory counts matches up to here, and says "more than" beyond


PICKER_EXCLUDED_MAX = 50  # people already chosen, left out of the suggestions


@login_required
@require_safe
@never_cache
def picker_suggestions(request):
    """Suggestions for the people picker (people/picker.py): people working here today whom
    the viewer may see (`access.rules.visible`), matching what is typed, with name, job title
    and initials; at most `picker.SUGGESTIONS`, in one query. `exclude` leaves out the people
    already chosen; the viewer is left out unless `self=1`; `scope=pilot` suggests only people
    inside the pilot scope (a module's picker). Forms check what is chosen again."""
    viewer = viewer_of(request)
    query = request.GET.get("q", "")[:100]
    people = visible(viewer, Person).filter(current_q(), is_active=True)
    if request.GET.get("scope") == "pilot":
        people = people.filter(scope.in_scope_q())
    excluded = [parse_id(value) for value in request.GET.getlist("exclude")[:PICKER_EXCLUDED_MAX]]
    if request.GET.get("self") != "1" and viewer.person is not None:
        excluded.append(viewer.person.pk)
    people = people.exclude(pk__in=[pk for pk in excluded if pk is not None])
    context = {
        "people": picker.suggestions(people, query),
        "query_too_short": len("".join(search.words_of(query))) < picker.SEARCH_MIN,
    }
    return render(request, "people/picker_options.html", context)


@login_required
def directory(request):
    """Everyone the viewer may see, found by `people.search`, fifty at a time in name order.

    Paged by position (after / before the name and id of a row), never by counting or
    skipping every earlier row, and counted up to COUNT_UP_TO only: the page costs the same
    in an organisation of a hundred or of a hundred thousand."""
    viewer = viewer_of(request)
    form = SearchForm(request.GET or None)
    people = visible(viewer, Person).select_related("team", "manager")
    include_left = False
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            people = search.matching(people, q)
        if form.cleaned_data["team"]:
            people = people.filter(team__path__startswith=form.cleaned_data["team"].path)
        include_left = form.cleaned_data["include_left"] and viewer.is_hr
    if not include_left:
        people = people.filter(current_q())
    page, querystring = page_of_request(
        request, people, ("name", "pk"), size=PAGE_SIZE, count_up_to=COUNT_UP_TO
    )
    shown(viewer, page.object_list)  # people who left, for HR (a colleague's entry is public)
    context = {
        "form": form,
        "page": page,
        "querystring": querystring,
        "can_manage": can_manage_people(viewer),
        "can_import": can_import_people(viewer),
        "is_hr": viewer.is_hr,
        "reads_audit_log": reads_audit_log(viewer),
    }
    template = "people/directory.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template += "#results"
    return render(request, template, context)


def _visible_person_or_404(viewer, person_id, action: str = "view") -> Person:
    """404 for whoever may not see the person, 403 for whoever may see but not `action`."""
    queryset = Person.objects.select_related("team", "role", "manager__manager")
    return get_visible_or_404(viewer, Person, person_id, action, queryset=queryset)


@login_required
def person_detail(request, person_id):
    viewer = viewer_of(request)
    person = _visible_person_or_404(viewer, person_id)
    reports = visible(viewer, Person).filter(manager=person).select_related("team")
    if not viewer.is_hr:
        reports = reports.filter(current_q())
    reports = list(reports.order_by("name"))
    shown(viewer, reports)  # reports who left, for HR
    show_employment = can(viewer, VIEW_EMPLOYMENT, person)
    if show_employment:
        read(viewer, person, VIEW_EMPLOYMENT)
    context = {
        "person": person,
        "manager": person.manager,
        "skip_level": person.manager.manager if person.manager_id else None,
        "reports": reports,
        "show_employment": show_employment,
        "can_edit": can_edit_person(viewer, person),
        "is_me": person.pk == viewer.person.pk,
        "who": who_sees(person, viewer.person, VIEW_EMPLOYMENT) if show_employment else None,
        "can_invite": can_invite(viewer, person),
    }
    if context["can_invite"]:
        context["last_invitation"] = invitations.last_invitation(person)
        context["invitation_days"] = settings.INVITATION_DAYS
    return render(request, "people/person_detail.html", context)


@login_required
@require_POST
def person_invite(request, person_id):
    """HR who may manage the person, or an administrator, e-mails them a link to choose a
    password (accounts.invitations)."""
    viewer = viewer_of(request)
    person = _visible_person_or_404(viewer, person_id)
    try:
        invitations.send_invitation(viewer, person)  # PermissionDenied for anyone else
    except invitations.OutsidePilot as outside:
        messages.error(request, str(outside))
        return redirect(person)
    messages.success(
        request,
        _("An invitation is on its way to %(email)s: its link to choose a password works once.")
        % {"email": person.email},
    )
    return redirect(person)


def _form_status(request) -> int:
    """A form sent back with its errors answers 400, as Cadence's other forms do (htmx swaps
    it in; a script sees the refusal); the empty form 200."""
    return 400 if request.method == "POST" else 200


@login_required
def person_create(request):
    viewer = viewer_of(request)
    if not can_manage_people(viewer):
        raise PermissionDenied
    form = PersonForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.add_person(viewer, services.PersonData.of(form.cleaned_data))
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": person.name})
            return redirect(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": None},
        status=_form_status(request),
    )


@login_required
def person_edit(request, person_id):
    viewer = viewer_of(request)
    person = _visible_person_or_404(viewer, person_id, "change")
    read(viewer, person, VIEW_EMPLOYMENT)  # the form shows them: whoever may change may see
    form = PersonForm(request.POST or None, instance=person, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.edit_person(viewer, person, services.PersonData.of(form.cleaned_data))
        except Refused as refused:
            show_refusal(form, refused)
        else:
            person = edited.person
            messages.success(request, _("Changes to %(name)s are saved.") % {"name": person.name})
            if edited.email_change is not None:
                messages.info(request, email_change_pending_message(edited.email_change))
            return redirect(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person},
        status=_form_status(request),
    )


@login_required
def person_leave(request, person_id):
    """Mark someone as left: their data stays, they can no longer sign in after that day."""
    viewer = viewer_of(request)
    person = _visible_person_or_404(viewer, person_id, "change")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.mark_leaving(viewer, person, form.cleaned_data["leave_date"])
        except Refused as refused:
            show_refusal(form, refused)
        else:
            _said_leaving(request, person)
            return redirect(person)
    return render(
        request,
        "people/person_leave.html",
        {"form": form, "person": person},
        status=_form_status(request),
    )


def _said_leaving(request, person: Person) -> None:
    assert person.leave_date is not None
    messages.success(
        request,
        _("%(name)s is marked as leaving on %(date)s.")
        % {"name": person.name, "date": date_format(person.leave_date)},
    )
    open_reports = Person.objects.current().filter(manager=person).count()
    if open_reports:
        messages.warning(
            request,
            ngettext(
                "%(count)s person still reports to %(name)s: give them a new manager.",
                "%(count)s people still report to %(name)s: give them a new manager.",
                open_reports,
            )
            % {"count": open_reports, "name": person.name},
        )


TREE_LEVELS = 3  # the tree page shows the top levels; each team's page shows what is below
MAX_MATCHES = 100


def _count_of(rows) -> Coalesce:
    """How many `rows` (a queryset on OuterRef), as a subquery."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


@login_required
def team_tree(request):
    viewer = viewer_of(request)
    # NUL is no character of a team's name (and PostgreSQL refuses it in a query).
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    # Sizes counted per team shown, by index (a join and GROUP BY over every member of every
    # team would read the whole organisation to show a few dozen rows).
    members = Person.objects.filter(current_q(), team=OuterRef("pk"))
    children = Team.objects.filter(parent=OuterRef("pk"))
    teams = (
        visible(viewer, Team)
        .select_related("lead")
        .annotate(size=_count_of(members), subteams=_count_of(children))
        .order_by("path")
    )
    if q:
        teams = list(teams.filter(name__icontains=q)[:MAX_MATCHES])
        above = {pk for team in teams for pk in ids_in(team.path)[:-1]}
        names = dict(Team.objects.filter(pk__in=above).values_list("pk", "name"))
        rows = [
            {"team": t, "depth": 0, "trail": [names[pk] for pk in ids_in(t.path)[:-1]]}
            for t in teams
        ]
    else:
        # The top levels by their parents' ids (the parent index), not by joining every team
        # to its parent and grandparent.
        level = Team.objects.filter(parent__isnull=True).values("pk")
        top = Q(parent__isnull=True)
        for _level in range(1, TREE_LEVELS):
            top |= Q(parent__in=level)
            level = Team.objects.filter(parent__in=level).values("pk")
        rows = [
            {"team": t, "depth": t.depth, "hidden": t.depth == TREE_LEVELS - 1 and t.subteams}
            for t in teams.filter(top)
        ]
    context = {
        "rows": rows,
        "q": q,
        "more": q and len(rows) == MAX_MATCHES,
        "can_add": can_edit_team(viewer, None),
    }
    return render(request, "people/team_tree.html", context)


@login_required
def team_detail(request, team_id):
    viewer = viewer_of(request)
    team = get_visible_or_404(
        viewer, Team, team_id, queryset=Team.objects.select_related("lead", "parent")
    )
    ancestors = sorted(
        Team.objects.filter(pk__in=ids_in(team.path)[:-1]), key=lambda t: len(t.path)
    )
    members = (
        visible(viewer, Person)
        .filter(team=team)
        .filter(current_q())
        .select_related("manager")
        .order_by("name")
    )
    subteams = team.children.annotate(
        size=Count("members", filter=current_q("members__"))
    ).order_by("name")
    context = {
        "team": team,
        "ancestors": ancestors,
        "members": members,
        "subteams": subteams,
        "can_edit": can_edit_team(viewer, team),
        "can_add_subteam": can_edit_team(viewer, None),
        # Its Slack or Teams channel (webhooks), for its leads and HR covering it.
        "chat_channel": manages_team(viewer, team),
    }
    return render(request, "people/team_detail.html", context)


@login_required
def team_create(request):
    viewer = viewer_of(request)
    if not can_edit_team(viewer, None):
        raise PermissionDenied
    form = TeamForm(
        request.POST or None, initial={"parent": request.GET.get("parent")}, viewer=viewer
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = services.add_team(viewer, services.TeamData.of(form.cleaned_data))
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The team %(name)s is added.") % {"name": team.name})
            return redirect(team)
    return render(
        request, "people/team_form.html", {"form": form, "team": None}, status=_form_status(request)
    )


@login_required
def team_edit(request, team_id):
    viewer = viewer_of(request)
    team = get_visible_or_404(viewer, Team, team_id, "change")
    form = TeamForm(request.POST or None, instance=team, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.edit_team(viewer, team, services.TeamData.of(form.cleaned_data))
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("Changes to %(name)s are saved.") % {"name": team.name})
            return redirect(team)
    return render(
        request, "people/team_form.html", {"form": form, "team": team}, status=_form_status(request)
    )
