"""The demo names its organisation and counts as set up; what was chosen in the app is kept."""

import pytest
from django.urls import reverse

from organisation import current
from people.demo import COMPANY, build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_is_named_and_set_up_so_nobody_is_sent_to_the_first_run_guide(client):
    org = build_demo(people=60, years=1, seed=2)
    settings = current.settings()
    assert settings.display_name == COMPANY and settings.set_up
    assert not settings.pilot and not settings.modules_off
    client.force_login(org.admin)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"· {COMPANY}</title>" in home.text


def test_a_name_chosen_in_the_app_survives_a_rebuild():
    build_demo(people=60, years=1, seed=2)
    row = current.row()
    row.name = "Bakkerij Jansen"
    row.save()
    build_demo(people=60, years=1, seed=2, flush=True)
    assert current.settings().display_name == "Bakkerij Jansen"


def test_pages_and_emails_carry_the_organisations_name_once_it_is_named(client):
    from django.template.loader import render_to_string

    from people.tests.factories import add_people

    (person,) = add_people(1)
    client.force_login(person)
    assert "· Cadence</title>" in client.get(reverse("home")).text
    row = current.row()
    row.name = "Bakkerij Jansen"
    row.save()
    assert "· Bakkerij Jansen</title>" in client.get(reverse("home")).text
    body = render_to_string("people/email/manager_changed.txt", {"person": person})
    assert body.rstrip().endswith("-- \nBakkerij Jansen")
