"""`manage.py grant_hr EMAIL [--team TEAM] [--no-manage-people] [--revoke]`: HR roles from the
server, where the first HR of an installation is granted (nobody grants one to themselves in
the admin). Announced by e-mail to the person and to organisation-wide HR, as in the admin.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from access import grants
from people.models import Person, Team


class Command(BaseCommand):
    help = "Grant, change or revoke someone's HR role (announced by e-mail)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument(
            "--team",
            help="HR for this team and below (its id or exact name); the whole organisation "
            "when left out.",
        )
        parser.add_argument(
            "--no-manage-people",
            action="store_true",
            help="May see, but not add or edit people and teams.",
        )
        parser.add_argument("--revoke", action="store_true", help="End the person's HR role.")

    def handle(
        self,
        *args: Any,
        email: str,
        team: str | None,
        no_manage_people: bool,
        revoke: bool,
        **options: Any,
    ) -> None:
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"Nobody has the e-mail address {email}.")
        if revoke:
            if not grants.revoke_hr(person):
                raise CommandError(f"{person.email} has no HR role.")
            self.stdout.write(f"{person.email} no longer has an HR role (announced by e-mail).")
            return
        scope = self.team(team) if team else None
        grants.grant_hr(person, scope=scope, can_manage_people=not no_manage_people)
        where = f"the team {scope.name} and below" if scope else "the whole organisation"
        self.stdout.write(f"{person.email} is HR for {where} (announced by e-mail).")

    def team(self, value: str) -> Team:
        is_id = value.isascii() and value.isdigit() and len(value) < 10
        teams = Team.objects.filter(pk=int(value)) if is_id else Team.objects.none()
        if not teams:
            teams = Team.objects.filter(name=value)
        if len(teams) > 1:
            raise CommandError(f"Several teams are called {value}: give the team's id.")
        if not teams:
            raise CommandError(f"There is no team {value}.")
        return teams[0]
