"""Reading a chart as its readers do, for the charts' tests: through the page (its block) and
through the CSV (its rows, as dicts by column header)."""

import csv
import io

from django.urls import reverse


def block(client, page, kind, **params):
    """The chart's block on `page` ("team", "organisation" or "hr"), read as the client."""
    response = client.get(reverse(f"insights:{page}"), params)
    assert response.status_code == 200, response.status_code
    return next(b for b in response.context["insights"].blocks if b.kind == kind)


def csv_rows(client, page, kind, **params):
    """The chart's CSV on `page`, as dicts by column header (every value a string)."""
    response = client.get(reverse(f"insights:{page}_csv", args=[kind]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def html_of(client, page, **params):
    response = client.get(reverse(f"insights:{page}"), params)
    assert response.status_code == 200
    return response.content.decode()
