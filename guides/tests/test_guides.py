"""The role guides: one file per role in docs/, each linked from the README, shown read-only to
anyone signed in, with sections the panels and the other guides can link to."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from guides import docs, markup
from guides.docs import GUIDES

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text()


def readme_section(title: str) -> str:
    found = re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.M | re.S)
    assert found, f"the README has no section {title!r}"
    return found.group(1)


def test_every_guide_in_docs_is_registered_and_every_registered_one_exists():
    on_disk = {path.name for path in (ROOT / "docs").glob("guide-*.md")}
    assert on_disk == {guide.file_name for guide in GUIDES.values()}
    assert {"employee", "manager", "hr", "administrator"} == set(GUIDES)


def test_the_readme_links_every_guide_from_its_guides_section():
    linked = set(re.findall(r"\]\(docs/(guide-[a-z]+\.md)\)", readme_section("Guides")))
    assert linked == {guide.file_name for guide in GUIDES.values()}


@pytest.mark.parametrize("name", sorted(GUIDES))
def test_a_guide_is_short_and_its_sections_and_links_hold(name):
    guide = GUIDES[name]
    text = guide.path.read_text()
    assert len(text.splitlines()) <= 200, "a guide stays short: split it, or say less"
    blocks = markup.read(text, lambda target: None)
    assert blocks[0].kind == "heading" and blocks[0].level == 1, "it starts with its title"
    anchors = [block.anchor for block in blocks if block.kind == "heading"]
    assert len(anchors) == len(set(anchors)), "two sections with the same name"
    # Every link leads to a guide, or a section, that exists: none is left as bare words.
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        assert docs.resolve(target), f"{guide.file_name} links {target}"
        link = docs.GUIDE_LINK.fullmatch(target)
        other = GUIDES[link["name"]] if link else guide
        section = (link["section"] if link else target) or ""
        if section:
            other_anchors = [
                block.anchor
                for block in markup.read(other.path.read_text(), lambda target: None)
                if block.kind == "heading"
            ]
            assert section.lstrip("#") in other_anchors, f"{guide.file_name} links {target}"


def test_a_guide_reads_as_a_page(login, cast, django_assert_max_num_queries):
    client = login(cast.alice)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("guides:guide", kwargs={"name": "employee"}))
    assert response.status_code == 200
    page = response.text
    assert "<title>Cadence for employees · Cadence</title>" in page
    assert '<h2 id="prepare-for-your-check-in">Prepare for your check-in</h2>' in page
    assert "<strong>Prepare now</strong>" in page
    # The links to the other guides, and the file it is.
    for other in ("manager", "hr", "administrator"):
        assert f'href="/guides/{other}/"' in page
    assert "docs/guide-employee.md" in page


def test_a_link_to_another_guide_leads_to_its_page(login, cast):
    page = login(cast.bob).get(reverse("guides:guide", kwargs={"name": "manager"})).text
    assert '<a href="/guides/employee/">guide for employees</a>' in page


def test_there_is_no_guide_by_another_name(login, cast):
    response = login(cast.alice).get(reverse("guides:guide", kwargs={"name": "ceo"}))
    assert response.status_code == 404


def test_a_guide_is_for_people_signed_in(client):
    response = client.get(reverse("guides:guide", kwargs={"name": "employee"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_markup_in_a_guide_cannot_reach_the_page(login, cast, tmp_path, monkeypatch):
    (tmp_path / "guide-employee.md").write_text(
        "# Title <b>bold</b>\n\nA [trick](javascript:void) and <script>alert(1)</script>.\n"
    )
    monkeypatch.setattr(docs, "DOCS", tmp_path)
    page = login(cast.alice).get(reverse("guides:guide", kwargs={"name": "employee"})).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page
    assert "javascript:" not in page
    assert "A trick and" in page
