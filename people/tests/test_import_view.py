"""The import page: upload, preview, confirm (people/views_import.py)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import HRRole
from people.importing import COLUMN_NAMES, plan_import
from people.models import Person

IMPORT = reverse("people:import")
TEMPLATE = reverse("people:import_template")
HEADER = "email,name,job_title,level,team,manager_email"


def upload(client, *rows, header=HEADER, name="people.csv"):
    content = "\n".join([header, *rows]).encode()
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")})


def confirm_token(response):
    return re.search(r'name="confirm" value="([^"]+)"', response.text).group(1)


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_it_requires_hr_who_may_manage_people(cast, login, who):
    client = login(getattr(cast, who))

    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert upload(client, "x@example.com,X,,,,").status_code == 403
    assert client.post(IMPORT, {"confirm": "anything"}).status_code == 403
    assert not Person.objects.filter(email="x@example.com").exists()


def test_hr_may_open_the_import_page(cast, login):
    assert login(cast.erin).get(IMPORT).status_code == 200


@pytest.mark.parametrize(
    "role", [{"can_manage_people": False}, {"scope": "engineering"}], ids=["read-only", "scoped"]
)
def test_it_requires_organisation_wide_hr_who_may_manage_people(cast, login, role):
    if "scope" in role:
        role = {"scope": cast.engineering}
    HRRole.objects.create(person=cast.dave, **role)

    assert login(cast.dave).get(IMPORT).status_code == 403


def test_it_requires_signing_in(client, cast):
    assert client.get(IMPORT).status_code == 302
    assert client.get(TEMPLATE).status_code == 302


def test_the_page_documents_the_columns(cast, login):
    response = login(cast.erin).get(IMPORT)

    doc = response.text.split('class="table columns-doc')[1]
    for name in COLUMN_NAMES:
        assert f"<td>{name}</td>" in doc
    assert TEMPLATE in response.text


def test_the_template_downloads(cast, login):
    response = login(cast.erin).get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMN_NAMES)
    assert plan_import(response.content).is_valid


def test_uploading_a_file_shows_a_preview_and_writes_nothing(cast, login):
    response = upload(
        login(cast.erin),
        "alice@example.com,Alice Employee,Staff engineer,2,Platform,bob@example.com",
        "new@example.com,New Person,Designer,,Design,alice@example.com",
        "dave@example.com,Dave Peer,Account executive,,Sales,",
    )

    assert response.status_code == 200
    assert "Software engineer → Staff engineer" in response.text
    assert "new@example.com" in response.text and "Design" in response.text
    assert "<dt>People to add</dt><dd>1</dd>" in response.text
    assert "<dt>People to update</dt><dd>1</dd>" in response.text
    assert "<dt>Unchanged</dt><dd>1</dd>" in response.text
    assert not Person.objects.filter(email="new@example.com").exists()
    assert Person.objects.get(pk=cast.alice.pk).job_title == "Software engineer"


def test_confirming_applies_the_preview_and_redirects_to_the_directory(cast, login):
    client = login(cast.erin)
    preview = upload(client, "new@example.com,New Person,,,Sales,dave@example.com")

    response = client.post(IMPORT, {"confirm": confirm_token(preview)}, follow=True)

    assert response.redirect_chain == [(reverse("people:directory"), 302)]
    assert "The import is done: 1 added, 0 updated, 0 unchanged." in response.text
    new = Person.objects.get(email="new@example.com")
    assert new.manager == cast.dave and new.chain == f"/{cast.dave.pk}/"
    assert not new.has_usable_password()


def test_a_preview_can_be_confirmed_once(cast, login):
    client = login(cast.erin)
    preview = upload(client, "new@example.com,New Person,,,,")
    token = confirm_token(preview)
    client.post(IMPORT, {"confirm": token})

    response = client.post(IMPORT, {"confirm": token}, follow=True)

    assert response.redirect_chain == [(IMPORT, 302)]
    assert "This preview is no longer current" in response.text


def test_confirming_with_a_wrong_token_imports_nothing(cast, login):
    client = login(cast.erin)
    upload(client, "new@example.com,New Person,,,,")

    response = client.post(IMPORT, {"confirm": "forged"})

    assert response.status_code == 302
    assert not Person.objects.filter(email="new@example.com").exists()


def test_a_change_since_the_preview_asks_to_check_again(cast, login):
    client = login(cast.erin)
    preview = upload(client, "alice@example.com,Alice Employee,Staff engineer,,,")
    Person.objects.filter(pk=cast.alice.pk).update(job_title="Principal engineer")

    response = client.post(IMPORT, {"confirm": confirm_token(preview)})

    assert response.status_code == 200
    assert "The organisation changed since the preview" in response.text
    assert "Principal engineer → Staff engineer" in response.text
    assert Person.objects.get(pk=cast.alice.pk).job_title == "Principal engineer"
    client.post(IMPORT, {"confirm": confirm_token(response)})
    assert Person.objects.get(pk=cast.alice.pk).job_title == "Staff engineer"


def test_an_invalid_file_shows_the_row_errors_with_status_400(cast, login):
    response = upload(
        login(cast.erin),
        "new@example.com,New Person,,,,",
        "other@example.com,Other,,x,,",
        "third@example.com,Third,,,,nobody@example.com",
    )

    assert response.status_code == 400
    assert 'class="table row-errors"' in response.text
    assert (
        "<td>3</td><td>level</td><td>“x” is not a whole number of 0 or more.</td>" in response.text
    )
    assert (
        "<td>4</td><td>manager_email</td>"
        "<td>Nobody with this e-mail address in the file or the organisation.</td>"
    ) in response.text
    assert "Nothing was imported" in response.text
    assert not Person.objects.filter(email="new@example.com").exists()


def test_an_empty_file_is_explained_with_status_400(cast, login):
    response = upload(login(cast.erin), header="")

    assert response.status_code == 400
    assert "The file is empty." in response.text


def test_posting_without_a_file_is_a_form_error(cast, login):
    response = login(cast.erin).post(IMPORT, {})

    assert response.status_code == 400
    assert "This field is required." in response.text


def test_the_pages_have_no_inline_scripts_or_styles(cast, login):
    client = login(cast.erin)
    pages = [
        client.get(IMPORT),
        upload(client, "new@example.com,New Person,,,,"),
        upload(client, "bad,,,,,"),
    ]

    for page in pages:
        assert "style=" not in page.text and "<style" not in page.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)


def test_the_preview_of_200_rows_needs_a_few_queries(cast, login, django_assert_max_num_queries):
    client = login(cast.erin)
    rows = [
        f"p{i}@example.com,Person {i},Engineer,{i % 5},Team {i % 7},"
        f"{f'p{i - 1}@example.com' if i else 'carol@example.com'}"
        for i in range(200)
    ]
    rows.append("alice@example.com,Alice Employee,Software engineer,2,Platform,bob@example.com")

    with django_assert_max_num_queries(11):  # with the saved column mappings, for the form
        response = upload(client, *reversed(rows))

    assert response.status_code == 200
    assert "<dt>People to add</dt><dd>200</dd>" in response.text
