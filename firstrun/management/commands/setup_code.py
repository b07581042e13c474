"""`manage.py setup_code [--if-needed]`: print a new set-up code for claiming a fresh
installation at /setup/ (`firstrun.codes`); `make run` calls it on every start."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from firstrun import codes


class Command(BaseCommand):
    help = (
        "Print a set-up code: with it, the first administrator creates their account at "
        "/setup/. Each new code replaces the one before; it works once, for a day."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Print nothing, and succeed, when someone administers the installation already.",
        )

    def handle(self, *args: Any, if_needed: bool, **options: Any) -> None:
        code = codes.make_code()
        if code is None:
            if if_needed:
                return
            raise CommandError(
                "This installation has an administrator already: no set-up code is needed. "
                "Sign in, or add administrators in the admin."
            )
        address = settings.SITE_URL.rstrip("/") + reverse("setup:claim")
        self.stdout.write(
            self.style.SUCCESS(f"Set-up code: {code}")
            + f"\nOpen {address} and enter it to create the first administrator's account. "
            f"It works once, for {codes.CODE_HOURS} hours; a new one replaces it."
        )
