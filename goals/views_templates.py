"""Goal templates (offered by HR, used by everyone) and the organisation's goal settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.rules import get_visible_or_404, visible
from access.viewer import viewer_of
from goals import services
from goals.forms import (
    ADD_ROW,
    MAX_KEY_RESULTS,
    GoalSettingsForm,
    GoalTemplateForm,
    TemplateKeyResultFormSet,
    rows_shown,
    template_rows,
    typed_values,
)
from goals.models import GoalSettings, GoalTemplate
from goals.rules import manages_templates
from people.rules import can_manage_people

PAGE_SIZE = 50


@login_required
def template_list(request):
    viewer = viewer_of(request)
    templates = visible(viewer, GoalTemplate).select_related("role").order_by("title", "pk")
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_manage": manages_templates(viewer), "querystring": ""}
    return render(request, "goals/template_list.html", context)


def template_form(request, template: GoalTemplate | None):
    if not manages_templates(viewer_of(request)):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = GoalTemplateForm(data, instance=template)
    # The stored rows are the initial values only when showing the form: a posted row is kept
    # when it has any value, and left out when emptied.
    rows = template_rows(template) if template and data is None else None
    formset = TemplateKeyResultFormSet(data, prefix="kr", initial=rows)
    rows_shown(formset, len(rows or ()))
    if data is not None and ADD_ROW in data:
        # "Add key result" without JavaScript: the same form, one row more, nothing judged yet.
        typed = [typed_values(row) for row in formset.forms]
        form = GoalTemplateForm(initial=typed_values(form), instance=template)
        formset = rows_shown(TemplateKeyResultFormSet(prefix="kr", initial=typed), len(typed) + 1)
    elif data is not None:
        try:
            saved = services.save_template(viewer_of(request), form, formset)
        except services.GoalError:
            pass  # the errors are on the forms
        else:
            title = {"title": saved.title}
            messages.success(request, _("The template “%(title)s” is saved.") % title)
            return redirect("goals:templates")
    context = {
        "form": form,
        "formset": formset,
        "template": template,
        "max_rows": MAX_KEY_RESULTS,
    }
    return render(request, "goals/template_form.html", context)


@login_required
def template_create(request):
    return template_form(request, None)


@login_required
def template_edit(request, template_id):
    template = get_visible_or_404(viewer_of(request), GoalTemplate, template_id, "change")
    return template_form(request, template)


@login_required
def goal_settings(request):
    viewer = viewer_of(request)
    if not can_manage_people(viewer):
        raise PermissionDenied
    form = GoalSettingsForm(request.POST or None, instance=GoalSettings.load())
    if request.method == "POST":
        try:
            services.save_settings(viewer, form)
        except services.GoalError:
            pass  # the errors are on the form
        else:
            messages.success(request, _("The goal settings are saved."))
            return redirect("goals:settings")
    return render(request, "goals/settings.html", {"form": form})
