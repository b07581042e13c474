"""Import people from CSV (placeholder until the importer lands)."""

from django.http import HttpResponse


def import_people(request):
    return HttpResponse("")


def import_template(request):
    return HttpResponse("")
