"""A team's chat channel (mounted at /people/teams/<id>/chat/, from the team's page): set up,
changed, tested and removed by the team's leads and HR covering it (`webhooks.rules`); everyone
else who may see the team gets 403. Its address is never shown again, only its host and last
characters; its recent deliveries are listed with their outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from cadence.refusals import form_saved
from cadence.shortcuts import require
from people.models import Team
from webhooks import services
from webhooks.forms import ChannelForm
from webhooks.models import ChatKind, Delivery, TeamChannel
from webhooks.rules import manages_team

LOG_SIZE = 20


def _team(request, team_id):
    viewer = viewer_of(request)
    team = get_visible_or_404(viewer, Team, team_id)
    require(manages_team(viewer, team))
    channel = visible(viewer, TeamChannel.objects.filter(team=team)).select_related("team").first()
    return viewer, team, channel


@login_required
def channel(request, team_id):
    viewer, team, found = _team(request, team_id)
    initial = (
        {"kind": found.kind, "praise": found.praise, "digest": found.digest}
        if found
        else {"kind": ChatKind.SLACK, "praise": True, "digest": True}
    )
    form = ChannelForm(request.POST or None, initial=initial, has_address=found is not None)
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.save_channel(
            viewer,
            team,
            kind=data["kind"],
            url=data["url"],
            praise=data["praise"],
            digest_on=data["digest"],
        ),
    ):
        messages.success(request, _("The team's chat channel is saved."))
        return redirect("team_chat:channel", team.pk)
    log = []
    if found is not None:
        log = list(
            Delivery.objects.filter(channel=found)
            .select_related("event")
            .order_by("-created_at", "-pk")[:LOG_SIZE]
        )
    context = {"team": team, "channel": found, "form": form, "log": log}
    return render(request, "webhooks/channel.html", context)


@login_required
@require_POST
def channel_test(request, team_id):
    viewer, team, found = _team(request, team_id)
    if found is None:
        return redirect("team_chat:channel", team.pk)
    if services.post_test_message(viewer, found):
        messages.success(request, _("A test message is on its way to the channel."))
    else:
        messages.info(request, _("Demo mode: the test message is in the log, and was not sent."))
    return redirect("team_chat:channel", team.pk)


@login_required
def channel_delete(request, team_id):
    viewer, team, found = _team(request, team_id)
    if found is None:
        return redirect("team_chat:channel", team.pk)
    if request.method == "POST":
        services.remove_channel(viewer, found)
        messages.success(request, _("Cadence no longer posts to the team's channel."))
        return redirect(team.get_absolute_url())
    return render(request, "webhooks/channel_delete.html", {"team": team, "channel": found})
