"""The audit log's vocabulary: each action's stable dotted key (stored in every entry, used in
filters, the CSV and the API) with its label, and the fields entries name in their `changes`,
with how to show their values.

A module that records a new action adds its key here (`trust/tests/test_actions.py` finds
every `audit.record` call and fails on a key missing from `ACTIONS`). A field missing from
`FIELDS` is shown by its key, with its values as they are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ACTIONS: dict[str, StrOrPromise] = {
    # People and teams (people.services, people.importing, the admin's accounts)
    "person.added": _("Person added"),
    "person.changed": _("Person changed"),
    "person.left": _("Leave date set"),
    "person.email_change_requested": _("E-mail change asked for"),
    "person.email_changed": _("E-mail address changed"),
    "person.legal_hold_placed": _("Legal hold placed"),
    "person.legal_hold_lifted": _("Legal hold lifted"),
    "person.erased": _("Person anonymised"),
    "person.invited": _("Invitation to choose a password sent"),
    "people.imported": _("People imported from CSV"),
    "people.provisioned": _("People provisioned by the identity provider (SCIM)"),
    "people.import_mapping_saved": _("Import column mapping saved"),
    "people.import_mapping_deleted": _("Import column mapping removed"),
    "account.added": _("Account added in the admin"),
    "account.changed": _("Account changed in the admin"),
    # Single sign-on (accounts.sso, accounts.services)
    "account.sso_linked": _("Account linked to the identity provider"),
    "account.sso_unlinked": _("Account unlinked from the identity provider"),
    "accounts.sso_changed": _("Single sign-on settings changed"),
    "team.added": _("Team added"),
    "team.changed": _("Team changed"),
    # The organisation's settings (organisation.services)
    "organisation.settings_changed": _("Organisation settings changed"),
    "organisation.modules_changed": _("Modules switched on or off"),
    # The first run (firstrun.services)
    "firstrun.claimed": _("First administrator's account made with the set-up code"),
    "organisation.set_up": _("First-run guide finished"),
    "organisation.pilot_changed": _("Pilot teams changed"),
    # Roles (access.grants)
    "hr_role.granted": _("HR role granted"),
    "hr_role.changed": _("HR role changed"),
    "hr_role.revoked": _("HR role revoked"),
    # API tokens revoked by an administrator (organisation.tokens)
    "token.revoked": _("API token revoked"),
    # SCIM provisioning (scim): the provider's names for people and teams, and its tokens
    "person.scim_linked": _("Person's identity at the provider recorded"),
    "team.scim_linked": _("Team provisioned by the identity provider"),
    "team.scim_unlinked": _("Team no longer provisioned by the identity provider"),
    "scim.token_issued": _("SCIM token made"),
    "scim.token_revoked": _("SCIM token revoked"),
    # Webhooks and teams' chat channels (webhooks.services)
    "webhook.added": _("Webhook endpoint added"),
    "webhook.changed": _("Webhook endpoint changed"),
    "webhook.secret_changed": _("Webhook secret replaced"),
    "webhook.removed": _("Webhook endpoint removed"),
    "chat_channel.added": _("Team chat channel set up"),
    "chat_channel.changed": _("Team chat channel changed"),
    "chat_channel.removed": _("Team chat channel removed"),
    # 360 cycles and feedback settings (feedback.services_cycles, feedback.services)
    "feedback.cycle_created": _("360 cycle created"),
    "feedback.cycle_changed": _("360 cycle changed"),
    "feedback.cycle_moved": _("360 cycle moved on"),
    "feedback.report_released": _("360 report released"),
    "feedback.settings_changed": _("Feedback settings changed"),
    "feedback.participant_added": _("Added to a 360 cycle"),
    "feedback.participant_removed": _("Taken out of a 360 cycle"),
    # Goals and conversations: settings, rhythms, prompts
    "goals.settings_changed": _("Goal settings changed"),
    "goals.template_added": _("Goal template added"),
    "goals.template_changed": _("Goal template changed"),
    "conversations.rhythm_changed": _("Conversation rhythm changed"),
    "conversations.template_changed": _("Conversation prompts changed"),
    "conversations.template_reset": _("Conversation prompts set back to the default"),
    # The competency framework (growth.services)
    "growth.framework_published": _("Competency framework version published"),
    "growth.round_started": _("Assessment round started"),
    # Surveys (surveys.services)
    "surveys.settings_changed": _("Survey thresholds changed"),
    # Retention (organisation.services)
    "trust.settings_changed": _("Retention periods changed"),
    # The log itself (trust.audit)
    "audit.redacted": _("Entries about an erased person blanked"),
    "audit.head_restored": _("The log's head was missing and was made again"),
}


def label(action: str) -> StrOrPromise:
    return ACTIONS.get(action, action)


# How a field's values are shown: as they are ("text"), people and teams by their ids
# ("person", "team"; a team field's "organisation" is the whole organisation), ISO dates,
# yes/no, one of `choices`, or a rhythm's months (None: the level above decides).
TEXT, PERSON, TEAM, DATE, BOOLEAN, CHOICE = "text", "person", "team", "date", "boolean", "choice"
MONTHS = "months"


def _cycle_steps() -> Mapping[str, StrOrPromise]:
    from feedback.models import CycleStatus

    return dict(CycleStatus.choices)


def _week_days() -> Mapping[int, StrOrPromise]:
    from organisation.models import WeekStart

    return dict(WeekStart.choices)


def _chat_kinds() -> Mapping[str, StrOrPromise]:
    from webhooks.models import ChatKind

    return dict(ChatKind.choices)


def _conversation_kinds() -> Mapping[str, StrOrPromise]:
    from conversations.models import Kind

    return dict(Kind.choices)


@dataclass(frozen=True)
class Field:
    label: StrOrPromise
    kind: str = TEXT
    choices: Callable[[], Mapping[Any, StrOrPromise]] | None = None
    # Employment details: whoever reads the log without HR's right to them (an administrator)
    # sees that they changed, not their values.
    employment: bool = False


FIELDS: dict[str, Field] = {
    "name": Field(_("name")),
    "email": Field(_("e-mail address")),
    "job_title": Field(_("job title")),
    "team": Field(_("team"), TEAM),
    "manager": Field(_("manager"), PERSON),
    "role": Field(_("role"), employment=True),
    "level": Field(_("level"), employment=True),
    "start_date": Field(_("start date"), DATE, employment=True),
    "leave_date": Field(_("leave date"), DATE, employment=True),
    "is_active": Field(_("may sign in"), BOOLEAN),
    "is_staff": Field(_("administrator"), BOOLEAN),
    "is_superuser": Field(_("every permission in the admin"), BOOLEAN),
    "parent": Field(_("parent team"), TEAM),
    "lead": Field(_("lead"), PERSON),
    "scope": Field(_("HR for"), TEAM),
    "can_manage_people": Field(_("may manage people"), BOOLEAN),
    "file": Field(_("file")),
    "created": Field(_("people added")),
    "updated": Field(_("people updated")),
    "unchanged": Field(_("people unchanged")),
    "new_teams": Field(_("teams added")),
    "new_roles": Field(_("roles added")),
    # An import from an HR system's export (people.presets) and its column mappings.
    "format": Field(_("exported from")),
    "system": Field(_("system")),
    "columns": Field(_("columns")),
    "date_format": Field(_("dates written as")),
    "manager_key": Field(_("managers named by")),
    "inactive_statuses": Field(_("statuses of an account turned off")),
    "leaver_statuses": Field(_("statuses of someone who left")),
    "status": Field(_("step"), CHOICE, _cycle_steps),
    "period_start": Field(_("period from"), DATE),
    "period_end": Field(_("period to"), DATE),
    "nominations_due": Field(_("nominations by"), DATE),
    "answers_due": Field(_("answers by"), DATE),
    "min_peers": Field(_("fewest peers")),
    "max_peers": Field(_("most peers")),
    "include_reports": Field(_("direct reports review their manager"), BOOLEAN),
    "anonymity_threshold": Field(_("anonymity threshold")),
    "stale_after_weeks": Field(_("a goal needs attention after (weeks)")),
    "kind": Field(_("conversation"), CHOICE, _conversation_kinds),
    # A rhythm's kinds (conversations.models.RHYTHM_KINDS), each how often, in months.
    "check_in": Field(_("Check-in"), MONTHS),
    "quarterly": Field(_("Quarterly review"), MONTHS),
    "development": Field(_("Development conversation"), MONTHS),
    "text": Field(_("prompts")),
    "entries": Field(_("entries")),
    "legal_hold": Field(_("legal hold"), BOOLEAN),
    "reason": Field(_("reason")),
    "rows": Field(_("records changed or removed")),
    "token": Field(_("API token")),
    # The pilot scope (organisation.services.save_pilot): the teams by name, as they were.
    "pilot": Field(_("pilot in some teams only"), BOOLEAN),
    "pilot_teams": Field(_("pilot teams")),
    # The organisation's settings (organisation.services.save_general).
    "week_start": Field(_("week starts on"), CHOICE, _week_days),
    # Webhook endpoints and teams' chat channels (webhooks.services): secrets and a channel's
    # address by their first or last characters only.
    "url": Field(_("address")),
    "description": Field(_("description")),
    "events": Field(_("events")),
    "active": Field(_("active"), BOOLEAN),
    "secret": Field(_("signing secret")),
    "chat": Field(_("chat tool"), CHOICE, _chat_kinds),
    "address": Field(_("channel address")),
    "praise": Field(_("posts public praise"), BOOLEAN),
    "digest": Field(_("posts a weekly digest"), BOOLEAN),
}

ORGANISATION = "organisation"  # a team field's value for the whole organisation


def field(key: str) -> Field:
    return FIELDS.get(key) or Field(key)
