"""Every action the code records has its label in `trust.actions`, and every label's action is
recorded somewhere: the audit log's filters and pages never show a bare key."""

import re
from pathlib import Path

from django.conf import settings

from access.grants import CHANGED, GRANTED, REVOKED
from trust import audit
from trust.actions import ACTIONS

ROOT = Path(settings.BASE_DIR)
# A key handed to `audit.record`, `audit.new_entry` or a module's helper around them.
CALL = re.compile(
    r'(?:record|new_entry|_record_template|_person_entry|_record|_save_recorded)\(\s*"([a-z_]+\.[a-z_]+)"'
    r'|action, changes = "([a-z_]+\.[a-z_]+)"'
    r'|action="([a-z_]+\.[a-z_]+)"'
)
# Actions recorded with a key built in code or named by a constant.
BUILT = {f"hr_role.{kind}" for kind in (GRANTED, CHANGED, REVOKED)} | {
    audit.REDACTED,
    audit.HEAD_RESTORED,
    "conversations.template_changed",  # _record_template's default
    "goals.template_changed",  # goals.services.save_template: added or changed
}


def recorded_actions() -> set[str]:
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "build/")) or "/tests/" in relative:
            continue
        found |= {"".join(groups) for groups in CALL.findall(path.read_text())}
    return found


def test_every_action_recorded_has_a_label():
    assert recorded_actions() - set(ACTIONS) == set()


def test_every_label_is_for_an_action_that_is_recorded():
    assert set(ACTIONS) - recorded_actions() - BUILT == set()


def test_action_keys_are_dotted_and_short_enough_to_store():
    for key in ACTIONS:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", key), key
        assert len(key) <= 40, key
