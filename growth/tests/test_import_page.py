"""Importing a framework on its page, as organisation-wide HR: upload or paste, the problems
or a preview of the changes, then publish; and starting from the starter framework."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from growth import document
from growth.models import FrameworkVersion
from growth.tests.factories import competency, publish, small
from organisation import current

IMPORT, START = reverse("growth:import"), reverse("growth:start")
FIRST = small(competency("a", "Alpha"), competency("b", "Beta"), competency("c"), competency("d"))


def test_only_organisation_wide_hr_may_import(login, cast, client):
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        client.logout()
        assert login(person).get(IMPORT).status_code == 403
        assert login(person).post(IMPORT, {"text": FIRST}).status_code == 403
        assert login(person).post(START).status_code == 403
    assert not FrameworkVersion.objects.exists()
    client.logout()
    assert login(cast.erin).get(IMPORT).status_code == 200


def test_a_file_with_problems_lists_them_by_line_and_field(login, cast):
    text = small(competency("a", "Alpha").replace("  name: Alpha\n", ""), competency("a", "Again"))
    response = login(cast.erin).post(IMPORT, {"text": text})
    assert response.status_code == 400
    assert "The file has 2 problems. Nothing was published" in response.text
    assert '<td data-label="Line">6</td><td data-label="Field">competencies › a › name</td>' in (
        response.text
    )
    assert "The key “a” is used twice" in response.text
    assert not FrameworkVersion.objects.exists()


def test_an_uploaded_file_is_checked_like_a_pasted_one(login, cast):
    upload = SimpleUploadedFile("framework.yaml", FIRST.encode(), "application/yaml")
    response = login(cast.erin).post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "Check the first version" in response.text
    assert "Publish version 1" in response.text


def test_a_file_that_is_not_utf8_or_too_large_is_refused(login, cast):
    client = login(cast.erin)
    upload = SimpleUploadedFile("framework.yaml", "naïve".encode("latin-1"))
    assert "not UTF-8" in client.post(IMPORT, {"file": upload}).text
    upload = SimpleUploadedFile("framework.yaml", b"#" * (document.MAX_BYTES + 1))
    assert "larger than 256 KB" in client.post(IMPORT, {"file": upload}).text
    assert "Choose a file or paste" in client.post(IMPORT, {"text": "  "}).text


def test_the_preview_names_each_kind_of_change_and_publishing_makes_version_two(login, cast):
    publish(FIRST)
    new = small(
        competency("a", "Alpha renamed"),
        competency("bc", "Beta and c", replaces="b, c"),
        competency("d1", "D one", replaces="d"),
        competency("d2", "D two", replaces="d"),
        competency("e", "Brand new"),
    )
    client = login(cast.erin)
    preview = client.post(IMPORT, {"text": new}).text
    assert "Check the changes against version 1" in preview
    assert "Alpha → Alpha renamed" in preview
    assert "Beta + C → Beta and c" in preview
    assert "D → D one, D two" in preview
    assert "Brand new" in preview
    response = client.post(IMPORT, {"text": new, "base": "1", "note": "Merged", "publish": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("growth:framework")
    version = FrameworkVersion.objects.get(number=2)
    assert (version.note, version.published_by) == ("Merged", cast.erin)


def test_a_retired_competency_is_named_in_the_preview(login, cast):
    publish(FIRST)
    text = small(competency("a", "Alpha"), competency("b", "Beta"), competency("c"))
    preview = login(cast.erin).post(IMPORT, {"text": text}).text
    assert "Retired (past ratings stay with earlier versions)" in preview


def test_a_version_published_meanwhile_asks_for_a_new_look(login, cast):
    publish(FIRST)
    client = login(cast.erin)
    text = small(competency("a", "Alpha two"))
    response = client.post(IMPORT, {"text": text, "base": "0", "note": "", "publish": "1"})
    assert "Another version was published meanwhile" in response.text
    assert "Check the changes against version 1" in response.text
    assert FrameworkVersion.objects.count() == 1


def test_start_from_the_starter_publishes_it_in_the_organisation_language(login, cast):
    row = current.row()
    row.language = "nl"
    row.save()
    response = login(cast.erin).post(START)
    assert response.status_code == 302
    version = FrameworkVersion.objects.get()
    assert version.competencies.get(key="collaboration").name == "Samenwerken"
    assert login(cast.erin).post(START).status_code == 302  # once only: nothing more
    assert FrameworkVersion.objects.count() == 1
