"""Whether people see their own talent review placement: off by default, on the Privacy and
retention tab for organisation-wide HR (as the other privacy settings), audited with its before
and after; the rules read it at once (`organisation.current`)."""

from django.urls import reverse

from access.models import HRRole
from organisation import current
from organisation.models import OrgSettings
from trust.models import AuditEntry, TrustSettings

PRIVACY = reverse("organisation:privacy")


def open_placements(client, on=True):
    data = {"part": "talent"}
    if on:
        data["talent_placements_open"] = "on"
    return client.post(PRIVACY, data)


def test_it_is_off_by_default(db):
    assert OrgSettings().talent_placements_open is False
    assert current.settings().talent_placements_open is False


def test_hr_finds_it_on_the_privacy_tab(login, cast):
    page = login(cast.erin).get(PRIVACY).content.decode()
    assert 'name="talent_placements_open"' in page


def test_hr_switches_it_on_and_the_change_is_audited(login, cast):
    response = open_placements(login(cast.erin))
    assert response.status_code == 302
    assert current.settings().talent_placements_open is True
    entry = AuditEntry.objects.get(action="organisation.settings_changed")
    assert entry.actor_id == cast.erin.pk
    assert entry.changes == {"talent_placements_open": [False, True]}
    # The tab's other forms are left alone.
    assert not AuditEntry.objects.filter(action="trust.settings_changed").exists()
    assert TrustSettings.load().access_log_months == 24


def test_switching_it_off_again_is_audited_too(login, cast):
    client = login(cast.erin)
    open_placements(client)
    open_placements(client, on=False)
    assert current.settings().talent_placements_open is False
    changes = [e.changes for e in AuditEntry.objects.filter(action="organisation.settings_changed")]
    assert {"talent_placements_open": [True, False]} in changes


def test_hr_for_one_team_and_the_administrator_may_not(login, cast):
    HRRole.objects.create(person=cast.dave, scope=cast.sales)
    assert open_placements(login(cast.dave)).status_code == 403
    assert open_placements(login(cast.frank)).status_code == 403
    assert current.settings().talent_placements_open is False
