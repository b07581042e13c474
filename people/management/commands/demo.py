"""Build the demo organisation: `manage.py demo --people 300 --years 3 --seed 1`."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from people.demo import DOMAIN, MIN_PEOPLE, PASSWORD, build_demo
from people.models import Person


class Command(BaseCommand):
    help = (
        "Build a realistic demo organisation: the same one for the same seed and size. "
        "Everyone's password is “demo”."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=int,
            default=300,
            help="Headcount today (leavers come on top). Default: 300.",
        )
        parser.add_argument("--years", type=int, default=3, help="Years of history. Default: 3.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed. Default: 1.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people.",
        )
        parser.add_argument(
            "--if-demo",
            action="store_true",
            help="Do nothing unless demo mode is on (DEMO=1): `make run` with DEMO=0 starts "
            "empty, for the first-run guide.",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete existing people, teams, roles and HR roles (and their data) first.",
        )

    def handle(self, *args, people, years, seed, if_empty, if_demo, flush, **options):
        if if_demo and not settings.DEMO:
            self.stdout.write("Demo mode is off (DEMO=0): no demo built.")
            return
        if people < MIN_PEOPLE:
            raise CommandError(f"--people must be at least {MIN_PEOPLE}.")
        if years < 1:
            raise CommandError("--years must be at least 1.")
        try:
            # The 360 answers are sealed with a key derived from it: find out now, not after
            # minutes of building half an organisation.
            settings.SECRET_KEY  # noqa: B018
        except ImproperlyConfigured as error:
            raise CommandError(f"{error} Set SECRET_KEY (or DEBUG=1 for a trial).") from error
        existing = Person.objects.count()
        if existing and if_empty:
            self.stdout.write(f"The database has people already ({existing}): no demo built.")
            return
        if existing and not flush:
            raise CommandError(
                f"The database has people already ({existing}). Add --flush to delete them, "
                "their teams and everything attached to them first, or --if-empty to leave "
                "the database alone."
            )

        org = build_demo(people, years, seed, flush=flush)

        counts = dict(org.counts)
        seconds = counts.pop("seconds")
        parts = [
            f"{counts.pop('people'):,} people ({counts.pop('current'):,} current, "
            f"{counts.pop('leavers'):,} leavers)",
            f"{counts.pop('teams'):,} teams",
            f"{counts.pop('managers'):,} managers",
            *(f"{number:,} {label}" for label, number in counts.items()),
        ]
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation built in {seconds} s: {', '.join(parts)}.")
        )
        self.stdout.write(
            f"Everyone's password is “{PASSWORD}”; try hr@{DOMAIN} (HR), "
            f"admin@{DOMAIN} (administrator) or ceo@{DOMAIN}."
        )
