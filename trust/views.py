"""My data: what Cadence holds about me, who can see it, who looked, what changed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from trust.tabs import TABS


def tabs_context(current: str) -> dict:
    return {"tabs": TABS, "current_tab": current}


@login_required
def my_data(request):
    return render(request, "trust/my_data.html", tabs_context("trust:my_data"))
