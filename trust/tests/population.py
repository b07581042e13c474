"""The trust module's objects for the generic rules tests (`access/tests/test_rules_agree.py`):
audit entries about a few people of the organisation and some about nobody (a team, a setting);
exports of people's data, a ready one and one being built, for a few generated people (the
cast's own exports are the tests' to make: one each); access-log entries, about a few people
by others, and one whose viewer is gone. A few people (Alice, Bob, Carol and a leaver) have
several entries of each kind, written in each way one is (by HR, an administrator, themselves,
a job; on a page, through the API, in an export), for `access/tests/test_same_audience.py`."""

from datetime import timedelta

from django.utils import timezone

from trust import audit
from trust.models import AccessLogEntry, DataExport, ExportStatus


def populate(org, rng) -> None:
    actor = org.people[4]  # erin, HR
    for person in rng.sample(list(org.people), min(6, len(org.people))):
        audit.record(
            "person.changed", actor=actor, subject=person, changes={"job_title": ["", "x"]}
        )
    audit.record("team.added", actor=actor, target=org.teams[-1], changes={"name": [None, "T"]})
    audit.record("goals.settings_changed", changes={"stale_after_weeks": [3, 4]})

    now = timezone.now()
    for number, person in enumerate(rng.sample(org.people[6:], 4)):
        ready = number % 2 == 0
        DataExport.objects.create(
            person=person,
            language="en",
            status=ExportStatus.READY if ready else ExportStatus.BUILDING,
            requested_at=now,
            finished_at=now if ready else None,
            expires_at=now + timedelta(days=7) if ready else None,
            content=b"PK" if ready else b"",
        )

    people = list(org.people)
    for viewer, subject in zip(rng.sample(people, 4), rng.sample(people, 4), strict=True):
        if viewer != subject:
            AccessLogEntry.objects.create(
                at=now, viewer=viewer, subject=subject, kind="goals.team", item=1, channel="page"
            )
    AccessLogEntry.objects.create(
        at=now, viewer_id=None, subject=org.people[0], kind="people.employment", channel="api"
    )

    # Several of each about the same people, each written another way (no random draw: the
    # other apps' objects stay as they are).
    hr, admin, team_hr = org.people[4], org.people[5], org.people[6]  # erin, frank, HR for a team
    for person in [*org.people[:3], org.people[10]]:  # Alice, Bob, Carol, a leaver
        audit.record("person.left", actor=hr, subject=person, changes={"leave_date": [None, "x"]})
        audit.record("person.changed", actor=admin, subject=person, changes={"is_staff": [0, 1]})
        audit.record("person.changed", actor=team_hr, subject=person, changes={"level": [1, 2]})
        audit.record("person.email_changed", actor=person, subject=person, changes={})
        audit.record("person.erased", subject=person, changes={})  # by a job: no actor
        for viewer, channel in ((person.manager, "page"), (hr, "api"), (admin, "export")):
            AccessLogEntry.objects.create(
                at=now, viewer=viewer, subject=person, kind="people.employment", channel=channel
            )
