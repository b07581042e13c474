"""Provisioning and the CSV import of the same data make the same people, teams and reporting
lines (issue 21's rule): both go through one plan and apply."""

from django.db import transaction

from people import importing
from people.models import Person
from scim.tests.helpers import ENTERPRISE, new_scim, user

CSV = """email,name,job_title,team,manager_email,active
gina@example.com,Gina Top,Director,Design,carol@example.com,yes
hank@example.com,Hank Middle,Lead,Design,gina@example.com,yes
ivy@example.com,Ivy Bottom,Designer,Design,hank@example.com,no
"""


def _organisation():
    people = Person.objects.select_related("team", "manager")
    emails = dict(Person.objects.values_list("pk", "email"))
    return {
        p.email: (
            p.name,
            p.job_title,
            p.team.name if p.team else None,
            p.manager.email if p.manager else None,
            [emails[int(pk)] for pk in p.chain.strip("/").split("/") if pk],
            p.is_active,
        )
        for p in people
    }


def test_scim_and_the_csv_import_make_the_same_organisation(client, cast):
    with transaction.atomic():
        assert importing.import_people(CSV).applied
        from_csv = _organisation()
        transaction.set_rollback(True)
    scim = new_scim(client)
    manager = str(cast.carol.pk)
    for email, name, title, active in [
        ("gina@example.com", "Gina Top", "Director", True),
        ("hank@example.com", "Hank Middle", "Lead", True),
        ("ivy@example.com", "Ivy Bottom", "Designer", False),
    ]:
        extension = {"department": "Design", "manager": {"value": manager}}
        body = user(email, name, title=title, active=active, **{ENTERPRISE: extension})
        response = scim.post("Users", body)
        assert response.status_code == 201, response.content
        manager = response.json()["id"]
    assert _organisation() == from_csv
