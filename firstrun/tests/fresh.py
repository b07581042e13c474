"""A fresh installation for the first run's tests: nobody in it, or only the administrator who
claimed it with a set-up code (signed in)."""

from types import SimpleNamespace

from django.urls import reverse

from firstrun import codes
from people.models import Person

PASSWORD = "a long walk in the park"
CLAIM = reverse("setup:claim")


def claim_data(code, **fields):
    return {
        "code": code,
        "name": "Ada Admin",
        "email": "ada@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }


def claimed(client) -> SimpleNamespace:
    """The installation claimed through the page by Ada, signed in on `client`."""
    code = codes.make_code()
    response = client.post(CLAIM, claim_data(code))
    assert response.status_code == 302, response.content
    return SimpleNamespace(admin=Person.objects.get(email="ada@example.com"), client=client)
