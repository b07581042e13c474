"""Audit entries for the generic rules tests (`access/tests/test_rules_agree.py`): about a few
people of the organisation, and some about nobody (a team, a setting)."""

from trust import audit


def populate(org, rng) -> None:
    actor = org.people[4]  # erin, HR
    for person in rng.sample(list(org.people), min(6, len(org.people))):
        audit.record(
            "person.changed", actor=actor, subject=person, changes={"job_title": ["", "x"]}
        )
    audit.record("team.added", actor=actor, target=org.teams[-1], changes={"name": [None, "T"]})
    audit.record("goals.settings_changed", changes={"stale_after_weeks": [3, 4]})
