"""The conversations rules are registered for every protected model; the generic test
(`access/tests/test_rules_agree.py`) checks that each one's SQL filter and object check agree,
on the objects of `conversations/tests/population.py`."""

from access import rules
from conversations.models import (
    ActionItem,
    AgendaItem,
    Conversation,
    ConversationTemplate,
    Note,
    PrivateNote,
    RhythmRule,
)


def test_every_protected_conversations_model_is_registered():
    models = {rule.model for rule in rules.registered()}
    protected = {
        Conversation,
        AgendaItem,
        Note,
        ActionItem,
        PrivateNote,
        RhythmRule,
        ConversationTemplate,
    }
    assert protected <= models


def test_the_conversations_modules_are_checked_for_visibility_pieces():
    from access.tests.test_rule_modules_only import app_modules_outside_rules

    checked = {path.parts[-2:] for path in app_modules_outside_rules()}
    assert ("conversations", "views_settings.py") in checked
    assert ("conversations", "api.py") in checked
