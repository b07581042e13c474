"""The kinds of notification and their sentences, put in words when read, in the reader's
language: a notification stores `kind` and `params` only.

Params named `*_date` hold ISO dates and are shown in the reader's date format; `conversation`
is a conversation's topic, or empty for its kind's name (`conversation_kind`), translated.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

FEEDBACK_RECEIVED = "feedback_received"
REQUEST_RECEIVED = "request_received"
REQUEST_REMINDER = "request_reminder"
REVIEW_REMINDER = "review_reminder"
OWN_REVIEW_REMINDER = "own_review_reminder"
REPORT_RELEASED = "report_released"
MANAGER_CHANGED = "manager_changed"
MANAGER_REMOVED = "manager_removed"
HR_GRANTED = "hr_granted"
HR_CHANGED = "hr_changed"
HR_REVOKED = "hr_revoked"
CONVERSATION_UPCOMING = "conversation_upcoming"
CONVERSATION_OVERDUE = "conversation_overdue"
ACTION_DUE = "action_due"
EMAIL_CHANGE = "email_change"
TOKEN_REVOKED = "token_revoked"  # noqa: S105 - a kind of notification, not a secret
TOKENS_REVOKED = "tokens_revoked"
ASSESSMENT_STARTED = "assessment_started"
SELF_ASSESSMENT_SHARED = "self_assessment_shared"
LEVELS_AGREED = "levels_agreed"
SURVEY_OPEN = "survey_open"
SURVEY_REMINDER = "survey_reminder"
MOBILITY_INTEREST = "mobility_interest"

SENTENCES: dict[str, StrOrPromise] = {
    SURVEY_OPEN: gettext_lazy("“%(survey)s” is open for your answers until %(close_date)s."),
    SURVEY_REMINDER: gettext_lazy(
        "“%(survey)s” closes on %(close_date)s; a minute of your time is welcome."
    ),
    FEEDBACK_RECEIVED: gettext_lazy("%(giver)s gave you feedback."),
    REQUEST_RECEIVED: gettext_lazy(
        "%(requester)s asked you for feedback on “%(topic)s”, by %(due_date)s."
    ),
    REQUEST_REMINDER: gettext_lazy(
        "Reminder: %(requester)s is waiting for your feedback on “%(topic)s”, due %(due_date)s."
    ),
    REVIEW_REMINDER: gettext_lazy(
        "Reminder: your 360 review of %(reviewed)s (%(cycle)s) is due %(due_date)s."
    ),
    OWN_REVIEW_REMINDER: gettext_lazy(
        "Reminder: your own 360 review (%(cycle)s) is due %(due_date)s."
    ),
    REPORT_RELEASED: gettext_lazy("Your 360 report for %(cycle)s is released: read it."),
    MANAGER_CHANGED: gettext_lazy("Your manager in Cadence is now %(manager)s."),
    MANAGER_REMOVED: gettext_lazy("You no longer have a manager in Cadence."),
    HR_GRANTED: gettext_lazy("%(person)s was given an HR role in Cadence."),
    HR_CHANGED: gettext_lazy("The HR role of %(person)s in Cadence changed."),
    HR_REVOKED: gettext_lazy("%(person)s no longer has an HR role in Cadence."),
    CONVERSATION_UPCOMING: gettext_lazy("%(conversation)s with %(other)s is due %(due_date)s."),
    CONVERSATION_OVERDUE: gettext_lazy(
        "%(conversation)s with %(other)s is overdue: it was due %(due_date)s."
    ),
    ACTION_DUE: gettext_lazy("An action item is due %(due_date)s: “%(item)s”."),
    EMAIL_CHANGE: gettext_lazy(
        "Someone asked to change your sign-in address to %(email)s. If it was not you, "
        "cancel it from the e-mail sent to your current address."
    ),
    TOKEN_REVOKED: gettext_lazy(
        "%(by)s revoked your API token “%(name)s”: scripts that use it no longer work."
    ),
    TOKENS_REVOKED: gettext_lazy(
        "%(by)s revoked %(count)s of your API tokens: scripts that use them no longer work."
    ),
    ASSESSMENT_STARTED: gettext_lazy(
        "%(manager)s started an assessment of your competencies: rate yourself."
    ),
    SELF_ASSESSMENT_SHARED: gettext_lazy("%(person)s shared their self-assessment with you."),
    LEVELS_AGREED: gettext_lazy("%(manager)s recorded the competency levels you agreed."),
    MOBILITY_INTEREST: gettext_lazy("%(person)s is interested in the opening “%(opening)s”."),
}


class _Blank(dict):
    """Missing values read as "—" rather than breaking the sentence."""

    def __missing__(self, key: str) -> str:
        return "—"


def sentence(kind: str, params: dict) -> str:
    """The notification in words, in the active language."""
    template = SENTENCES.get(kind)
    if template is None:
        return _("Something changed in Cadence.")
    values = _Blank()
    for key, value in params.items():
        if key.endswith("_date") and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date_format(date.fromisoformat(value), "DATE_FORMAT")
        values[key] = value
    if "conversation_kind" in params and not params.get("conversation"):
        from conversations.models import Kind

        values["conversation"] = str(dict(Kind.choices).get(params["conversation_kind"], "—"))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return _("Something changed in Cadence.")
