"""My data: what Cadence holds about me, who can see it, who looked, what changed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from access.viewer import viewer_of
from trust.data import my_data as data_of
from trust.tabs import TABS


def tabs_context(current: str) -> dict:
    return {"tabs": TABS, "current_tab": current}


@login_required
def my_data(request):
    """Every kind of data about me, who can see it (from the rules), what nobody can see, and
    the reports that count me."""
    context = {**tabs_context("trust:my_data"), "data": data_of(viewer_of(request))}
    return render(request, "trust/my_data.html", context)
