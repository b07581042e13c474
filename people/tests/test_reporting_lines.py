"""Nobody makes themselves anyone's manager, nor puts themselves above anyone's manager, by
any path (the person form, the CSV import); a person is told when their manager changes
(issue 11, point 6)."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from people.models import Person
from people.reporting import REFUSAL, SELF_MOVE_REFUSAL, TEAM_MATE_REFUSAL
from people.tests.test_import_view import IMPORT, confirm_token, upload
from people.tests.test_person_edit import ADD, edit_url, form_data, new_person

# --- The person form ----------------------------------------------------------------------------


def test_hr_cannot_make_themselves_someones_manager(login, cast):
    response = login(cast.erin).post(
        edit_url(cast.alice), form_data(cast.alice, manager="erin@example.com")
    )
    assert response.status_code == 400
    assert str(REFUSAL) in response.context["form"].errors["manager"]
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.bob


def test_hr_cannot_put_themselves_above_someones_manager(login, cast):
    # Erin as Bob's manager would be in Alice's chain: she would read what Alice shares with it.
    client = login(cast.erin)
    response = client.post(edit_url(cast.bob), form_data(cast.bob, manager="erin@example.com"))
    assert str(REFUSAL) in response.context["form"].errors["manager"]
    cast.bob.refresh_from_db()
    assert cast.bob.manager == cast.carol
    assert not cast.erin.manages(cast.alice)


def test_hr_cannot_give_someone_a_manager_who_reports_to_them(login, cast):
    cast.dave.manager = cast.erin
    cast.dave.save()
    response = login(cast.erin).post(
        edit_url(cast.alice), form_data(cast.alice, manager="dave@example.com")
    )
    assert str(REFUSAL) in response.context["form"].errors["manager"]
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.bob


def test_hr_cannot_add_a_person_who_reports_to_them(login, cast):
    response = login(cast.erin).post(ADD, new_person(cast, manager="erin@example.com"))
    assert str(REFUSAL) in response.context["form"].errors["manager"]
    assert not Person.objects.filter(email="gina@example.com").exists()


def test_hr_still_changes_reporting_lines_that_do_not_run_through_them(login, cast):
    response = login(cast.erin).post(
        edit_url(cast.alice), form_data(cast.alice, manager="carol@example.com")
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.carol


def test_someone_else_may_make_hr_a_manager(login, cast):
    from access.models import HRRole

    HRRole.objects.create(person=cast.dave)
    response = login(cast.dave).post(
        edit_url(cast.alice), form_data(cast.alice, manager="erin@example.com")
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.erin


def test_hr_edits_their_own_report_without_moving_them(login, cast):
    cast.dave.manager = cast.erin
    cast.dave.save()
    response = login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, job_title="Lead"))
    assert response.status_code == 302


def test_hr_cannot_move_themselves_into_someones_team(login, cast):
    # Team-mates read the goals a person shares with the team.
    response = login(cast.erin).post(
        edit_url(cast.erin), form_data(cast.erin, team=cast.platform.pk)
    )
    assert str(SELF_MOVE_REFUSAL) in response.context["form"].errors["team"]
    cast.erin.refresh_from_db()
    assert cast.erin.team == cast.people_team


def test_hr_cannot_move_someone_into_their_own_team(login, cast):
    # Team-mates read the praise a person was given for the team: Erin, HR, reads none of it.
    from feedback.models import Kind, Visibility
    from feedback.tests.factories import give

    praise = give(cast.dave, cast.alice, kind=Kind.PRAISE, visibility=Visibility.TEAM)
    client = login(cast.erin)
    assert client.get(praise.get_absolute_url()).status_code == 404
    response = client.post(edit_url(cast.alice), form_data(cast.alice, team=cast.people_team.pk))
    assert str(TEAM_MATE_REFUSAL) in response.context["form"].errors["team"]
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.platform
    assert client.get(praise.get_absolute_url()).status_code == 404


def test_someone_else_may_move_a_person_into_hrs_team(login, cast):
    from access.models import HRRole

    HRRole.objects.create(person=cast.dave)
    response = login(cast.dave).post(
        edit_url(cast.alice), form_data(cast.alice, team=cast.people_team.pk)
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.people_team


def test_hr_edits_someone_already_in_their_team(login, cast):
    cast.dave.team = cast.people_team
    cast.dave.save()
    response = login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, job_title="Lead"))
    assert response.status_code == 302


def test_hr_adds_a_new_colleague_to_their_own_team(login, cast):
    # Someone new has shared nothing with a team yet.
    response = login(cast.erin).post(ADD, new_person(cast, team=cast.people_team.pk))
    assert response.status_code == 302
    assert Person.objects.get(email="gina@example.com").team == cast.people_team


def test_hr_edits_their_own_details_without_moving(login, cast):
    response = login(cast.erin).post(edit_url(cast.erin), form_data(cast.erin, job_title="Head"))
    assert response.status_code == 302
    cast.erin.refresh_from_db()
    assert (cast.erin.job_title, cast.erin.team) == ("Head", cast.people_team)


# --- The CSV import ------------------------------------------------------------------------------


def test_an_import_cannot_move_the_importer_into_another_team(login, cast):
    response = upload(login(cast.erin), "erin@example.com,Erin HR,,,Platform,")
    assert response.status_code == 400
    assert str(SELF_MOVE_REFUSAL) in response.text
    cast.erin.refresh_from_db()
    assert cast.erin.team == cast.people_team


def test_an_import_cannot_move_someone_into_the_importers_team(login, cast):
    response = upload(login(cast.erin), "alice@example.com,Alice Employee,,,People,")
    assert response.status_code == 400
    assert str(TEAM_MATE_REFUSAL) in response.text
    cast.alice.refresh_from_db()
    assert cast.alice.team == cast.platform


@pytest.mark.parametrize(
    "rows",
    [
        ["alice@example.com,Alice Employee,,,,erin@example.com"],
        ["bob@example.com,Bob Manager,,,,erin@example.com"],
        # Through someone new: Alice → Gina (new) → Erin.
        [
            "alice@example.com,Alice Employee,,,,gina@example.com",
            "gina@example.com,Gina New,,,,erin@example.com",
        ],
    ],
    ids=["as-manager", "above-the-manager", "through-a-new-person"],
)
def test_an_import_cannot_put_the_importer_above_anyone(login, cast, rows):
    response = upload(login(cast.erin), *rows)
    assert response.status_code == 400
    assert str(REFUSAL) in response.text
    cast.alice.refresh_from_db()
    cast.bob.refresh_from_db()
    assert (cast.alice.manager, cast.bob.manager) == (cast.bob, cast.carol)
    assert not Person.objects.filter(email="gina@example.com").exists()


def test_an_import_may_move_people_elsewhere(login, cast):
    client = login(cast.erin)
    preview = upload(client, "alice@example.com,Alice Employee,,,,carol@example.com")
    client.post(IMPORT, {"confirm": confirm_token(preview)})
    cast.alice.refresh_from_db()
    assert cast.alice.manager == cast.carol


# --- Telling the person --------------------------------------------------------------------------


def test_a_person_is_told_when_hr_changes_their_manager(login, cast):
    mail.outbox.clear()
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, manager="carol@example.com"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Your manager in Cadence is now Carol Leader"
    assert "Your manager in Cadence changed from Bob Manager to Carol Leader." in message.body
    assert f"/people/{cast.alice.pk}/" in message.body


def test_nobody_is_told_when_the_manager_stays(login, cast):
    mail.outbox.clear()
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, job_title="Senior engineer"))
    assert mail.outbox == []


def test_a_person_is_told_when_their_manager_is_taken_away(login, cast):
    mail.outbox.clear()
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, manager=""))
    assert [m.subject for m in mail.outbox] == ["You no longer have a manager in Cadence"]


def test_a_person_is_told_in_their_language(login, cast):
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    mail.outbox.clear()
    login(cast.erin).post(edit_url(cast.alice), form_data(cast.alice, manager="carol@example.com"))
    with translation.override("nl"):
        greeting = gettext("Hello %(name)s,") % {"name": "Alice"}
    assert greeting != "Hello Alice,"
    assert mail.outbox[0].body.startswith(greeting)


def test_an_import_tells_each_person_whose_manager_changed_once(login, cast):
    client = login(cast.erin)
    preview = upload(
        client,
        "alice@example.com,Alice Employee,,,,gina@example.com",
        "gina@example.com,Gina New,,,,carol@example.com",
        "bob@example.com,Bob Manager,,,,carol@example.com",  # unchanged
        "dave@example.com,Dave Peer,,,,carol@example.com",
    )
    mail.outbox.clear()
    client.post(IMPORT, {"confirm": confirm_token(preview)})
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "dave@example.com"]
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert "changed from Bob Manager to Gina New" in to_alice.body


def test_someone_who_has_left_is_not_told(login, cast):
    from datetime import timedelta

    from django.utils import timezone

    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save(update_fields=["leave_date"])
    mail.outbox.clear()
    login(cast.erin).post(edit_url(cast.dave), form_data(cast.dave, manager="carol@example.com"))
    assert mail.outbox == []


def test_a_change_in_code_is_announced_too(cast):
    mail.outbox.clear()
    alice = Person.objects.get(pk=cast.alice.pk)
    alice.manager = cast.carol
    alice.save()
    alice.save()  # saved again unchanged: no second e-mail
    alice.job_title = "Lead"
    alice.save(update_fields=["job_title"])
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
