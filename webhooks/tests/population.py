"""Teams' chat channels for the generic rules tests (`access/tests/test_rules_agree.py`,
`test_who_agrees.py`): one for every other team (with and without a lead, within other teams
and at the top), of both tools."""

import uuid

from webhooks.models import ChatKind, TeamChannel


def populate(org, rng) -> None:
    for index, team in enumerate(org.teams):
        if index % 2:
            continue
        TeamChannel.objects.create(
            team=team,
            kind=rng.choice(ChatKind.values),
            key=uuid.uuid4(),
            sealed_url=b"not used by the rules",
            url_hint="hooks.slack.example/…abcd",
        )
