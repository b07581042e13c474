"""Messages for a team's chat channel, in the formats of the tools' incoming webhooks: Slack's
Block Kit and a Microsoft Teams Adaptive Card (as a Workflows "post to a channel" webhook takes
it), in the organisation's language.

A message is made from an event's payload (`webhooks.payloads`, or the digest's counts), so it
holds no more than the payload does: public praise with its text, the week's counts, a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from cadence import events
from organisation import current
from webhooks.models import DIGEST, PING, ChatKind
from webhooks.payloads import Payload

TEXT_MAX = 2900  # Slack's limit for a section's text is 3000 characters


@dataclass
class Message:
    title: str
    text: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""
    link_label: str = ""

    @property
    def summary(self) -> str:
        """The whole message as plain text (notifications, and tools that show no blocks)."""
        lines = [self.title, self.text, *(f"{name}: {value}" for name, value in self.facts)]
        return "\n".join(line for line in lines if line)


def _day(value: str | None) -> str:
    return formats.date_format(date.fromisoformat(value), "DATE_FORMAT") if value else ""


def _name(ref: Payload | None) -> str:
    return str(ref["name"]) if ref else _("Someone")


def message(kind: str, payload: Payload) -> Message:
    """The message for an event's payload, in the organisation's language."""
    with translation.override(current.settings().language):
        if kind == events.PRAISE_GIVEN:
            return Message(
                title=_("%(giver)s praised %(receiver)s")
                % {
                    "giver": _name(payload.get("giver")),
                    "receiver": _name(payload.get("receiver")),
                },
                text=str(payload["praise"]["text"])[:TEXT_MAX],
                link=str(payload["praise"]["url"]),
                link_label=_("Open in Cadence"),
            )
        if kind == DIGEST:
            team = _name(payload.get("team"))
            facts = [
                (_("Praise given publicly"), payload.get("praise")),
                (_("Goals completed"), payload.get("goals_completed")),
                (_("Conversations held"), payload.get("conversations_held")),
            ]
            return Message(
                title=_("%(team)s this week") % {"team": team},
                text=_("Public activity in %(team)s and its sub-teams from %(start)s to %(end)s.")
                % {
                    "team": team,
                    "start": _day(payload.get("week_start")),
                    "end": _day(payload.get("week_end")),
                },
                facts=[(name, str(value)) for name, value in facts if value is not None],
                link=str((payload.get("team") or {}).get("url", "")),
                link_label=_("Open the team in Cadence"),
            )
        if kind == PING:
            return Message(
                title=_("Cadence is connected"),
                text=_("This channel will show the team's public praise and a weekly digest."),
            )
    raise ValueError(f"No chat message for {kind!r}")


# --- Slack: Block Kit ----------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(found: Message) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{_slack_escape(found.title)}*"},
        }
    ]
    if found.text:
        quoted = "\n".join(f"> {line}" for line in _slack_escape(found.text).splitlines())
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": quoted or ">"}})
    if found.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(name)}*\n{_slack_escape(value)}"}
                    for name, value in found.facts
                ],
            }
        )
    if found.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": found.link_label},
                        "url": found.link,
                    }
                ],
            }
        )
    return {"text": found.summary[:TEXT_MAX], "blocks": blocks}


# --- Microsoft Teams: an Adaptive Card -----------------------------------------------------------


def teams(found: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": found.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    if found.text:
        body.append({"type": "TextBlock", "text": found.text, "wrap": True})
    if found.facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": name, "value": value} for name, value in found.facts],
            }
        )
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if found.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": found.link_label, "url": found.link}]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def body_for(kind: str, chat: str, payload: Payload) -> dict[str, Any]:
    """The JSON a channel of the `chat` tool is sent for an event."""
    found = message(kind, payload)
    return slack(found) if chat == ChatKind.SLACK else teams(found)
