"""Export my data, through the page and the API: one click prepares it in the background, the
page follows its progress, only its person downloads it until it expires, one at a time and
not too often."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cadence.tests.matrix import CAST
from trust import exporting, services_export
from trust.models import DataExport, ExportStatus
from trust.tests.export_helpers import Archive, export_of

PAGE = reverse("trust:export")
API = "/api/v1/me/export"


def download_url(export):
    return reverse("trust:export_download", args=[export.pk])


# --- The page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_one_click_prepares_my_export_and_the_page_offers_it(login, cast, role):
    person = getattr(cast, CAST[role])
    client = login(person)
    response = client.post(PAGE)
    assert response.status_code == 302 and response["Location"] == PAGE
    export = DataExport.objects.get(person=person)
    assert export.status == ExportStatus.READY  # the tests' task backend runs it at once
    page = client.get(PAGE)
    assert page.status_code == 200
    assert download_url(export) in page.content.decode()
    download = client.get(download_url(export))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Disposition"].startswith('attachment; filename="cadence-export-')
    archive = Archive(download.content)
    assert archive.items("people.profile")[0]["email"] == person.email


def test_the_page_polls_the_status_while_the_export_is_prepared(login, cast):
    export = export_of(cast.alice, ExportStatus.BUILDING, ago=timedelta(minutes=1), kinds_done=4)
    client = login(cast.alice)
    page = client.get(PAGE).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "<progress" in page and "<form" not in page.split('id="export-status"')[1]
    partial = client.get(PAGE, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert text.lstrip().startswith('<div id="export-status"') and "<html" not in text
    assert f'value="{export.percent}"' in text and export.percent > 0
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        expires_at=timezone.now() + timedelta(days=7),
        finished_at=timezone.now(),
    )
    done = client.get(PAGE, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done  # the polling stops
    assert download_url(export) in done


@pytest.mark.parametrize("role", ["manager", "leader", "peer", "hr", "admin"])
def test_nobody_else_downloads_or_follows_my_export(login, cast, role):
    export = export_of(cast.alice)
    client = login(getattr(cast, CAST[role]))
    assert client.get(download_url(export)).status_code == 404
    assert client.get(f"{API}/{export.pk}").status_code == 404
    assert client.get(f"{API}/{export.pk}/download").status_code == 404
    assert download_url(export) not in client.get(PAGE).content.decode()


def test_an_expired_export_is_gone(login, cast):
    export = export_of(cast.alice, expires_at=timezone.now() - timedelta(minutes=1))
    client = login(cast.alice)
    assert client.get(download_url(export)).status_code == 404
    assert client.get(f"{API}/{export.pk}/download").status_code == 404
    assert client.get(f"{API}/{export.pk}").json()["download"] is None
    assert "has expired" in client.get(PAGE).content.decode()


def test_one_export_at_a_time(login, cast):
    building = export_of(cast.alice, ExportStatus.BUILDING, ago=timedelta(minutes=1))
    client = login(cast.alice)
    response = client.post(PAGE, follow=True)
    assert "being prepared already" in response.content.decode()
    assert list(DataExport.objects.filter(person=cast.alice)) == [building]
    answer = client.post(API, "{}", content_type="application/json")
    assert answer.status_code == 409
    assert "being prepared already" in answer.json()["detail"]


@override_settings(EXPORT_EVERY_MINUTES=60)
def test_a_new_export_waits_an_hour_after_the_last(login, cast):
    last = export_of(cast.alice, ago=timedelta(minutes=20))
    client = login(cast.alice)
    assert "You may ask for a new export at" in client.get(PAGE).content.decode()
    response = client.post(PAGE, follow=True)
    assert "a short while ago" in response.content.decode()
    answer = client.post(API, "{}", content_type="application/json")
    assert answer.status_code == 429
    assert 39 * 60 <= int(answer["Retry-After"]) <= 40 * 60
    assert DataExport.objects.get(person=cast.alice) == last
    DataExport.objects.filter(pk=last.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    assert client.post(PAGE).status_code == 302
    replaced = DataExport.objects.get(person=cast.alice)
    assert replaced.pk != last.pk and replaced.status == ExportStatus.READY


def test_a_failed_or_stalled_export_may_be_asked_for_again_at_once(login, cast):
    failed = export_of(cast.alice, ExportStatus.FAILED, ago=timedelta(minutes=1))
    client = login(cast.alice)
    assert "could not be prepared" in client.get(PAGE).content.decode()
    client.post(PAGE)
    assert DataExport.objects.get(person=cast.alice).pk != failed.pk
    DataExport.objects.all().delete()
    stalled = export_of(cast.alice, ExportStatus.QUEUED, ago=services_export.STALE_AFTER)
    assert "seems to be stopped" in client.get(PAGE).content.decode()
    client.post(PAGE)
    assert DataExport.objects.get(person=cast.alice).pk != stalled.pk


def test_an_export_that_cannot_be_built_fails_and_says_so(login, cast, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(exporting, "archive", broken)
    client = login(cast.alice)
    client.post(PAGE)
    export = DataExport.objects.get(person=cast.alice)
    assert export.status == ExportStatus.FAILED and export.content == b""
    assert "could not be prepared" in client.get(PAGE).content.decode()


def test_the_page_reads_few_queries(login, cast, django_assert_max_num_queries):
    export_of(cast.alice)
    client = login(cast.alice)
    with django_assert_max_num_queries(5):
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(PAGE, headers={"HX-Request": "true"}).status_code == 200


# --- The API ----------------------------------------------------------------------------------


def test_the_api_prepares_follows_and_downloads_my_export(login, cast):
    client = login(cast.alice)
    created = client.post(API, '{"language": "nl"}', content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "ready" and body["progress"] == 100
    assert body["download"] == f"{API}/{body['id']}/download"
    followed = client.get(f"{API}/{body['id']}").json()
    assert followed["expires_at"] and followed["size"] > 0
    download = client.get(body["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "Profiel" in Archive(download.content).text("README.txt")


def test_the_api_refuses_an_unknown_language_and_an_unknown_field(login, cast):
    client = login(cast.alice)
    assert (
        client.post(API, '{"language": "xx"}', content_type="application/json").status_code == 422
    )
    assert client.post(API, '{"format": "pdf"}', content_type="application/json").status_code == 422
    assert not DataExport.objects.exists()


def test_the_api_says_an_export_being_prepared_is_not_ready(login, cast):
    export = export_of(cast.alice, ExportStatus.BUILDING, ago=timedelta(0), kinds_done=3)
    client = login(cast.alice)
    followed = client.get(f"{API}/{export.pk}").json()
    assert followed["status"] == "building" and 0 < followed["progress"] < 100
    assert followed["download"] is None
    assert client.get(f"{API}/{export.pk}/download").status_code == 409
