"""Print the benchmark personas of the database in DATABASE_URL as JSON (run by bench/run.py)."""

import json
import os
from dataclasses import asdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadence.settings")
django.setup()

from bench.pages import choose_personas  # noqa: E402

print(json.dumps([asdict(p) for p in choose_personas()]))
