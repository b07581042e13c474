"""In a real browser: the export page follows an export being prepared (htmx polls its status
under the strict CSP) until the download is offered, and downloads it; the sessions page ends
another session."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from accounts.tests.test_sessions import sign_in as signed_in_with
from cadence.tests.browser import playwright, pytestmark, sign_in, snap  # noqa: F401
from trust import exporting
from trust.models import DataExport, ExportStatus
from trust.tests.export_helpers import Archive, export_of


def test_the_export_page_follows_the_progress_and_offers_the_download(
    browser_page, live_server, cast
):
    page = browser_page
    export = export_of(cast.alice, ExportStatus.BUILDING, ago=timedelta(0), kinds_done=4)
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/my-data/export/")
    playwright.expect(page.locator("#export-status progress")).to_be_visible()
    snap(page, "export-building")

    now = timezone.now()
    content = exporting.archive(cast.alice, "en")
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        content=content,
        size=len(content),
        finished_at=now,
        expires_at=now + timedelta(days=7),
    )
    download_link = page.get_by_role("link", name="Download your export")
    playwright.expect(download_link).to_be_visible(timeout=10_000)
    snap(page, "export-ready")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.startswith("cadence-export-")
    archive = Archive(Path(download.value.path()).read_bytes())
    assert "README.txt" in archive.names
    assert page.problems == []


def test_the_sessions_page_ends_another_session(browser_page, live_server, cast):
    phone = signed_in_with(cast.alice, "Mozilla/5.0 (iPhone) Version/17.5 Safari/604.1")
    page = browser_page
    sign_in(page, live_server, cast.alice.email, cast.password)
    page.goto(f"{live_server.url}/my-data/sessions/")
    playwright.expect(page.get_by_text("this device")).to_be_visible()
    snap(page, "sessions")
    page.get_by_role("button", name="End Safari on iPhone").click()
    playwright.expect(page.get_by_text("The session on Safari on iPhone is ended.")).to_be_visible()
    snap(page, "sessions-ended")
    assert phone.get("/").status_code == 302  # signed out there
    assert page.problems == []
