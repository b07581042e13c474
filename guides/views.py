"""The role guides, read-only, for anyone signed in (`guides.docs`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from guides.docs import GUIDES, read


@login_required
@require_safe
def guide(request: HttpRequest, name: str) -> HttpResponse:
    found = GUIDES.get(name)
    if found is None:
        raise Http404
    context = {
        "guide": found,
        "page": read(found),
        "others": [other for other in GUIDES.values() if other != found],
    }
    return render(request, "guides/guide.html", context)
