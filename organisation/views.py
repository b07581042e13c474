"""The settings pages (Administration): each tab for those who administer its part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.viewer import viewer_of
from cadence.refusals import form_saved
from feedback import services as feedback_services
from feedback.forms import FeedbackSettingsForm
from feedback.models import FeedbackSettings
from feedback.rules import edits_feedback_settings
from organisation import current, scope, services
from organisation.forms import (
    GeneralForm,
    ModulesForm,
    PilotForm,
    RetentionForm,
    TalentSettingsForm,
    module_rows,
)
from organisation.models import PilotTeam
from organisation.rules import ADMIN, HR, may
from organisation.tabs import tabs_for
from people.models import Team
from surveys import services as survey_services
from surveys.forms import SurveySettingsForm
from surveys.models import SurveySettings
from surveys.rules import edits_survey_settings
from trust.models import TrustSettings


def settings_page(request, template: str, tab: str, context: dict):
    """A settings tab's page: `template` with the viewer's tabs, `tab` marked as the one open
    (every tab's view ends here, those of `views_roles` and `views_tokens` too)."""
    viewer = viewer_of(request)
    return render(
        request,
        template,
        {"tabs": tabs_for(viewer), "current_tab": tab, **context},
    )


@login_required
def index(request):
    """The first settings tab the viewer administers."""
    tabs = tabs_for(viewer_of(request))
    if not tabs:
        raise PermissionDenied
    return redirect(tabs[0][0])


@login_required
def general(request):
    viewer = viewer_of(request)
    if not may(viewer, ADMIN):
        raise PermissionDenied
    form = GeneralForm(request.POST or None, instance=current.row())
    if request.method == "POST" and services.save_general(viewer, form) is not None:
        messages.success(request, _("The organisation's settings are saved."))
        return redirect("organisation:general")
    return settings_page(
        request, "organisation/general.html", "organisation:general", {"form": form}
    )


@login_required
def modules(request):
    viewer = viewer_of(request)
    if not may(viewer, ADMIN):
        raise PermissionDenied
    off = frozenset(current.row().modules_off or ())
    form = ModulesForm(request.POST or None, off=off)
    if request.method == "POST" and services.save_modules(viewer, form) is not None:
        messages.success(request, _("The modules are saved."))
        return redirect("organisation:modules")
    context = {"form": form, "rows": module_rows(form)}
    return settings_page(request, "organisation/modules.html", "organisation:modules", context)


# The privacy tab's four forms post to it; this field says which one did (none: retention).
ANONYMITY = "anonymity"
SURVEYS = "surveys"
TALENT = "talent"


@login_required
def privacy(request):
    """Retention periods and whether people see their own talent review placement
    (organisation-wide HR), the 360 anonymity threshold and the survey thresholds (those of them
    who may manage people, as on the feedback settings: `feedback.services`), each its own
    form, saved and audited by its own service."""
    viewer = viewer_of(request)
    if not may(viewer, HR):
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    anonymity_posted = posted is not None and posted.get("part") == ANONYMITY
    surveys_posted = posted is not None and posted.get("part") == SURVEYS
    talent_posted = posted is not None and posted.get("part") == TALENT
    edits_threshold = edits_feedback_settings(viewer)
    edits_surveys = edits_survey_settings(viewer)
    if (anonymity_posted and not edits_threshold) or (surveys_posted and not edits_surveys):
        raise PermissionDenied
    survey_settings = SurveySettings.load()
    survey_thresholds = (survey_settings.anonymity_threshold, survey_settings.comment_threshold)
    survey_form = SurveySettingsForm(
        posted if surveys_posted else None, instance=survey_settings, prefix="surveys"
    )
    if surveys_posted:
        if form_saved(
            survey_form,
            lambda data: survey_services.save_survey_settings(
                viewer,
                anonymity_threshold=data["anonymity_threshold"],
                comment_threshold=data["comment_threshold"],
            ),
        ):
            messages.success(request, _("The survey thresholds are saved."))
            return redirect("organisation:privacy")
        posted = None  # the other forms show as stored
    retention_posted = posted is not None and not (anonymity_posted or talent_posted)
    form = RetentionForm(posted if retention_posted else None, instance=TrustSettings.load())
    talent = TalentSettingsForm(posted if talent_posted else None, instance=current.row())
    settings = FeedbackSettings.load()
    threshold = settings.anonymity_threshold  # as stored (a form with errors changes its copy)
    anonymity = FeedbackSettingsForm(posted if anonymity_posted else None, instance=settings)
    if anonymity_posted:
        if form_saved(
            anonymity,
            lambda data: feedback_services.save_feedback_settings(
                viewer, anonymity_threshold=data["anonymity_threshold"]
            ),
        ):
            messages.success(request, _("The anonymity threshold is saved."))
            return redirect("organisation:privacy")
    elif talent_posted:
        if services.save_talent_settings(viewer, talent) is not None:
            messages.success(request, _("The talent review setting is saved."))
            return redirect("organisation:privacy")
    elif retention_posted and services.save_retention(viewer, form) is not None:
        messages.success(request, _("The retention periods are saved."))
        return redirect("organisation:privacy")
    return settings_page(
        request,
        "organisation/privacy.html",
        "organisation:privacy",
        {
            "form": form,
            "anonymity_form": anonymity if edits_threshold else None,
            "talent_form": talent,
            "threshold": threshold,
            "reviews_on": current.settings().is_on("reviews"),
            "survey_form": survey_form if edits_surveys else None,
            "survey_thresholds": survey_thresholds,
        },
    )


def _pilot_saved(change: services.PilotChange) -> str:
    if not change.joined and not change.left:
        return _("The pilot is saved.")
    return _(
        "The pilot is saved: %(joined)s joined Cadence (their rhythm starts today), %(left)s "
        "left it (everything of theirs is kept)."
    ) % {
        "joined": ngettext("%(count)s person", "%(count)s people", change.joined)
        % {"count": change.joined},
        "left": ngettext("%(count)s person", "%(count)s people", change.left)
        % {"count": change.left},
    }


@login_required
def pilot(request):
    """The pilot scope (organisation-wide HR): on or off, and its teams, each with who leads
    it and how many people work in it; and how many people Cadence runs for."""
    viewer = viewer_of(request)
    if not may(viewer, HR):
        raise PermissionDenied
    since = dict(PilotTeam.objects.values_list("team_id", "since"))
    org = current.settings()
    teams = Team.objects.select_related("lead").only("name", "path", "lead__name").order_by("path")
    form = PilotForm(
        request.POST or None, initial={"pilot": org.pilot, "teams": list(since)}, teams=teams
    )
    if request.method == "POST":
        change = services.save_pilot(viewer, form)
        if change is not None:
            messages.success(request, _pilot_saved(change))
            return redirect("organisation:pilot")
    people = scope.headcount()
    rows = []
    for box in form["teams"]:
        team = box.data["value"].instance
        count = people.within([team.path])
        rows.append({"box": box, "team": team, "people": count, "since": since.get(team.pk)})
    pilot_paths = [row["team"].path for row in rows if row["since"] is not None]
    context = {
        "form": form,
        "rows": rows,
        "pilot": org.pilot,
        "pilot_teams": [row for row in rows if row["since"] is not None],
        "everyone": people.total,
        "in_scope": people.within(pilot_paths) if org.pilot else people.total,
        "without_team": people.without_team,
    }
    return settings_page(request, "organisation/pilot.html", "organisation:pilot", context)
