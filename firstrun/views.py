"""The first run's pages: claiming a fresh installation with the set-up code (`/setup/`), the
administrator's guide (`/setup/<step>/`, `/setup/finish/`: each step skippable and open again
from the list of steps until the guide is finished), and the checklist's buttons on Home."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access.viewer import Viewer, viewer_of
from accounts.throttle import client_of
from cadence.refusals import Refused, show_refusal
from firstrun import checklist, codes, services
from firstrun.checklist import State
from firstrun.forms import ClaimForm, FirstHRForm
from firstrun.models import FirstRun
from organisation import current
from organisation import services as settings_services
from organisation.forms import GeneralForm, ModulesForm, module_rows
from organisation.rules import may

# --- Claiming the installation -----------------------------------------------------------------


@never_cache
def claim(request: HttpRequest) -> HttpResponse:
    """The first administrator's account, with the set-up code printed on the server. Gone
    (404) once anyone administers the installation."""
    if codes.administrator_exists():
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.claim(
                data["code"],
                data["name"],
                data["email"],
                data["password1"],
                client=client_of(request),
            )
        except services.AlreadyClaimed as gone:
            raise Http404 from gone
        except Refused as refused:
            show_refusal(form, refused)
        else:
            login(request, person, backend="accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to Cadence: you administer it now."))
            return redirect("setup:step", checklist.STEPS[0].key)
    status = 400 if form.errors else 200
    return render(request, "firstrun/claim.html", {"form": form}, status=status)


# --- The guide ----------------------------------------------------------------------------------

GuideView = Callable[..., HttpResponse]


def guide_page(view: GuideView) -> Callable[..., HttpResponse]:
    """For administrators until the organisation is set up; then Home (what is left is on the
    checklist there). The view gets the viewer and the state of the steps."""

    @login_required
    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        viewer = viewer_of(request)
        if not viewer.is_admin:
            raise PermissionDenied
        state = checklist.load()
        if state is None:  # an installation not claimed with a code (set up on the server)
            FirstRun.objects.get_or_create(pk=1)
            state = checklist.load()
            assert state is not None
        if state.set_up:
            messages.info(request, _("Cadence is set up: what is left is on Home."))
            return redirect("home")
        return view(request, viewer, state, *args, **kwargs)

    return page


def _following(state: State, key: str) -> str:
    """The address of the step after `key`, or of the guide's end."""
    keys = [step.key for step in state.steps()]
    position = keys.index(key)
    if position + 1 < len(keys):
        return reverse("setup:step", args=[keys[position + 1]])
    return reverse("setup:finish")


def _context(viewer: Viewer, state: State, current_key: str, items: list | None = None) -> dict:
    items = checklist.items(viewer, state) if items is None else items
    return {
        "items": items,
        "current_key": current_key,
        "done": sum(item.done for item in items),
        "total": len(items),
        "hr_name": state.hr_name,
    }


Saved = tuple[BaseForm, bool]  # a step's form, and whether it was saved


def _organisation(request: HttpRequest, viewer: Viewer) -> Saved:
    """The organisation's name, language, time zone and week start (the settings' own form and
    service)."""
    form = GeneralForm(request.POST or None, instance=current.row())
    saved = request.method == "POST" and settings_services.save_general(viewer, form) is not None
    return form, saved


def _first_hr(request: HttpRequest, viewer: Viewer) -> Saved:
    form = FirstHRForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, False
    data = form.cleaned_data
    try:
        person = services.name_first_hr(viewer, data["name"], data["email"])
    except Refused as refused:
        show_refusal(form, refused)
        return form, False
    messages.success(
        request,
        _("%(name)s is HR for the whole organisation, and has been told by e-mail how to sign in.")
        % {"name": person.name},
    )
    return form, True


def _modules(request: HttpRequest, viewer: Viewer) -> Saved:
    """The modules (the settings' own form and service); saving them, changed or not, is the
    step's choice made."""
    form = ModulesForm(request.POST or None, off=frozenset(current.row().modules_off or ()))
    saved = request.method == "POST" and settings_services.save_modules(viewer, form) is not None
    if saved:
        services.confirm(viewer, "modules")
    return form, saved


@guide_page
def step(request: HttpRequest, viewer: Viewer, state: State, key: str) -> HttpResponse:
    """One step: a form for the administrator's own (the organisation, the first HR person
    while there is none, the modules), what HR does and where for the others."""
    if key not in {step.key for step in state.steps()}:
        raise Http404
    following = _following(state, key)
    form: BaseForm | None = None
    handler = {"organisation": _organisation, "hr": _first_hr, "modules": _modules}.get(key)
    if handler is not None and not (key == "hr" and state.has_hr):
        form, saved = handler(request, viewer)
        if saved:
            return redirect(following)
    items = checklist.items(viewer, state)
    item = next(item for item in items if item.key == key)
    context = {
        **_context(viewer, state, key, items),
        "item": item,
        "step": item.step,
        "form": form,
        "following": following,
        "theirs": may(viewer, item.step.part),
    }
    if form is not None and key == "modules":
        context["rows"] = module_rows(form)
    status = 400 if form is not None and form.errors else 200
    return render(request, "firstrun/step.html", context, status=status)


@guide_page
def finish(request: HttpRequest, viewer: Viewer, state: State) -> HttpResponse:
    """What is done and what is left; finishing marks the organisation as set up."""
    if request.method == "POST":
        services.finish(viewer)
        messages.success(
            request,
            _("Cadence is set up. The “Getting started” list on Home shows what is left."),
        )
        return redirect("home")
    return render(request, "firstrun/finish.html", _context(viewer, state, "finish"))


# --- The checklist's buttons ----------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponse:
    """To the page the button was on (a step of the guide, Home), never elsewhere."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("home")


@login_required
@require_POST
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """Tick a step whose choice leaves no trace of its own (its part's administrators)."""
    services.confirm(viewer_of(request), key)
    return _back(request)


@login_required
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    """Put the checklist away, once every step is done."""
    if not services.dismiss(viewer_of(request)):
        messages.error(request, _("The list can be put away once every step is done."))
    return redirect("home")
