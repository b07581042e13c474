"""The Webhooks tab of Administration (administrators): the endpoints, each with its events, its
delivery log (the newest first: the event, when, the outcome, the answer's status and the start
of its body; never the payload), a test event, a new secret and removal. A secret is shown once,
on the page that answers the form that made it, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.viewer import Viewer, viewer_of
from cadence import events
from cadence.refusals import Conflict, form_saved
from cadence.shortcuts import require
from organisation.tabs import tabs_for
from webhooks import services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, DeliveryStatus, Endpoint
from webhooks.rules import administers_webhooks
from webhooks.signing import HEADER

TAB = "webhooks:endpoints"
LOG_SIZE = 50
STATUSES = {status.value for status in DeliveryStatus}


def settings_page(request, template: str, tab: str, context: dict):
    """A page of the Webhooks tab, among the viewer's Administration tabs (as
    `organisation.views.settings_page` makes them)."""
    context = {"tabs": tabs_for(viewer_of(request)), "current_tab": tab, **context}
    return render(request, template, context)


def _admin(request) -> Viewer:
    viewer = viewer_of(request)
    require(administers_webhooks(viewer))
    return viewer


def _endpoint(pk: int) -> Endpoint:
    return get_object_or_404(Endpoint, pk=pk)


def _labels(kinds: list[str]) -> list[str]:
    return [str(events.KINDS[kind]) for kind in kinds if kind in events.KINDS]


@login_required
def endpoints(request):
    _admin(request)
    failing = Q(deliveries__status=DeliveryStatus.FAILED)
    rows = Endpoint.objects.annotate(
        failed=Count("deliveries", filter=failing),
        waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        last_sent=Max("deliveries__last_attempt_at"),
    ).order_by("pk")
    listed = [(endpoint, _labels(endpoint.events)) for endpoint in rows]
    return settings_page(request, "webhooks/endpoints.html", TAB, {"endpoints": listed})


def _secret_page(request, endpoint: Endpoint, secret: str, *, new: bool):
    context = {"endpoint": endpoint, "secret": secret, "new": new, "header": HEADER}
    return settings_page(request, "webhooks/secret.html", TAB, context)


@login_required
def endpoint_new(request):
    viewer = _admin(request)
    form = EndpointForm(request.POST or None, initial={"events": list(events.KINDS)})
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.add_endpoint(
            viewer,
            url=data["url"],
            description=data["description"],
            events=data["events"],
            active=data["active"],
        ),
    ):
        endpoint, secret = form.saved
        return _secret_page(request, endpoint, secret, new=True)
    return settings_page(request, "webhooks/endpoint_form.html", TAB, {"form": form})


@login_required
def endpoint(request, endpoint_id):
    viewer = _admin(request)
    found = _endpoint(endpoint_id)
    initial = {
        "url": found.url,
        "description": found.description,
        "events": found.events,
        "active": found.active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            saved = form_saved(
                form,
                lambda data: services.change_endpoint(
                    viewer,
                    found,
                    url=data["url"],
                    description=data["description"],
                    events=data["events"],
                    active=data["active"],
                ),
            )
        except Conflict as conflict:
            messages.warning(request, str(conflict))
            return redirect(TAB)
        if saved:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint", found.pk)
    status = request.GET.get("status", "")
    log = Delivery.objects.filter(endpoint=found).select_related("event")
    if status in STATUSES:
        log = log.filter(status=status)
    context = {
        "endpoint": found,
        "form": form,
        "events": _labels(found.events),
        "log": list(log.order_by("-created_at", "-pk")[:LOG_SIZE]),
        "log_size": LOG_SIZE,
        "status": status if status in STATUSES else "",
        "statuses": DeliveryStatus.choices,
        "kinds": events.KINDS,
    }
    return settings_page(request, "webhooks/endpoint.html", TAB, context)


@login_required
def endpoint_secret(request, endpoint_id):
    """A new secret, once confirmed: shown once, on the answer."""
    viewer = _admin(request)
    found = _endpoint(endpoint_id)
    if request.method == "POST":
        try:
            stored, secret = services.new_secret(viewer, found)
        except Conflict as conflict:
            messages.warning(request, str(conflict))
            return redirect(TAB)
        return _secret_page(request, stored, secret, new=False)
    return settings_page(request, "webhooks/endpoint_secret.html", TAB, {"endpoint": found})


@login_required
def endpoint_delete(request, endpoint_id):
    viewer = _admin(request)
    found = _endpoint(endpoint_id)
    if request.method == "POST":
        services.remove_endpoint(viewer, found)
        messages.success(request, _("The endpoint is removed: nothing more is sent to it."))
        return redirect(TAB)
    return settings_page(request, "webhooks/endpoint_delete.html", TAB, {"endpoint": found})


@login_required
@require_POST
def endpoint_test(request, endpoint_id):
    viewer = _admin(request)
    found = _endpoint(endpoint_id)
    if services.send_test(viewer, found):
        messages.success(request, _("A test event is on its way: its delivery is in the log."))
    else:
        messages.info(request, _("Demo mode: the test event is in the log, and was not sent."))
    return redirect("webhooks:endpoint", found.pk)


@login_required
@require_POST
def delivery_again(request, delivery_id):
    viewer = _admin(request)
    delivery = get_object_or_404(Delivery.objects.filter(endpoint__isnull=False), pk=delivery_id)
    if services.send_again(viewer, delivery):
        messages.success(request, _("The delivery is sent again."))
    else:
        messages.info(request, _("Only a failed delivery can be sent again."))
    return redirect("webhooks:endpoint", delivery.endpoint_id)
