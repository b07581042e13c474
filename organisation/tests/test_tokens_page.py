"""Administration › API tokens: administrators see every working API token (whose, its name,
its first characters, when created and last used), never a secret, and revoke one or all of a
person's after a confirmation; each revocation is audited and the owner told in Cadence and by
e-mail. Nobody else reaches the page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from notifications.models import Notification
from people.models import Person
from trust.models import AuditEntry

TOKENS = reverse("organisation:tokens")


def revoke_url(token):
    return reverse("organisation:token_revoke", args=[token.pk])


def revoke_all_url(person):
    return reverse("organisation:person_tokens_revoke", args=[person.pk])


def works(client, raw):
    return client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 200


@pytest.fixture
def tokens(cast):
    alice, alice_raw = ApiToken.issue(cast.alice, "nightly export")
    ApiToken.objects.filter(pk=alice.pk).update(last_used_at=timezone.now())
    second, _raw = ApiToken.issue(cast.alice, "calendar sync")
    dave, dave_raw = ApiToken.issue(cast.dave, "crm")
    old, _raw = ApiToken.issue(cast.bob, "old script")
    old.revoke()
    return {"alice": alice, "second": second, "dave": dave, "raw": [alice_raw, dave_raw]}


# --- The list -----------------------------------------------------------------------------------


def test_the_administrator_sees_every_token_that_works(login, cast, tokens):
    page = login(cast.frank).get(TOKENS)
    assert page.status_code == 200
    listed = page.context["page"].object_list
    assert [t.name for t in listed] == ["nightly export", "calendar sync", "crm"]  # oldest first
    html = page.content.decode()
    for shown in ("Alice Employee", "alice@example.com", "Dave Peer", tokens["dave"].hint):
        assert shown in html
    assert "old script" not in html  # revoked


def test_no_secret_and_nothing_else_of_anyone_is_shown(login, cast, tokens):
    html = login(cast.frank).get(TOKENS).content.decode()
    for raw in tokens["raw"]:
        assert raw not in html
        assert raw[: len(tokens["alice"].hint) + 1] not in html
    for token in ApiToken.objects.all():
        assert token.digest not in html
    assert "Software engineer" not in html and "Account executive" not in html


def test_one_persons_tokens(login, cast, tokens):
    page = login(cast.frank).get(TOKENS, {"person": cast.alice.pk})
    assert [t.name for t in page.context["page"].object_list] == [
        "nightly export",
        "calendar sync",
    ]
    assert f'href="{revoke_all_url(cast.alice)}"' in page.content.decode()


def test_the_list_pages(login, cast, tokens, monkeypatch):
    from organisation import views_tokens

    monkeypatch.setattr(views_tokens, "PAGE_SIZE", 2)
    client = login(cast.frank)
    first = client.get(TOKENS).context["page"]
    assert [t.name for t in first.object_list] == ["nightly export", "calendar sync"]
    second = client.get(TOKENS, {"after": first.next}).context["page"]
    assert [t.name for t in second.object_list] == ["crm"]


def test_tokens_of_people_who_left_are_not_shown_to_an_administrator_who_is_not_hr(
    login, cast, tokens
):
    Person.objects.filter(pk=cast.dave.pk).update(
        leave_date=timezone.localdate() - timedelta(days=1)
    )
    client = login(cast.frank)
    assert "crm" not in client.get(TOKENS).content.decode()
    assert client.get(revoke_url(tokens["dave"])).status_code == 404
    assert client.get(revoke_all_url(cast.dave)).status_code == 404


def test_its_query_count_does_not_grow_with_the_tokens(
    login, cast, tokens, django_assert_max_num_queries
):
    client = login(cast.frank)
    client.get(TOKENS)
    with django_assert_max_num_queries(6) as counted:
        client.get(TOKENS)
    few = len(counted.captured_queries)
    for person in (cast.bob, cast.carol, cast.erin, cast.frank):
        for i in range(5):
            ApiToken.issue(person, f"script {i}")
    with django_assert_max_num_queries(few):
        page = client.get(TOKENS)
    assert len(page.context["page"].object_list) == 23
    with django_assert_max_num_queries(few + 1):  # the person chosen
        client.get(TOKENS, {"person": cast.alice.pk})


# --- Revoking -----------------------------------------------------------------------------------


def test_revoking_a_token_is_confirmed_first(login, cast, tokens, client):
    token = tokens["alice"]
    admin = login(cast.frank)
    page = admin.get(revoke_url(token))
    assert "Revoke this token of Alice Employee?" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert admin.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "The token “nightly export” of Alice Employee is revoked." in (
        admin.get(TOKENS).content.decode()
    )
    admin.logout()
    assert not works(admin, tokens["raw"][0])
    assert works(admin, tokens["raw"][1])  # Dave's


def test_a_revocation_is_audited_and_the_owner_told(login, cast, tokens):
    token = tokens["alice"]
    login(cast.frank).post(revoke_url(token))
    [entry] = AuditEntry.objects.filter(action="token.revoked")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.alice.pk)
    assert entry.target == f"accounts.apitoken:{token.pk}"
    assert entry.changes == {"token": "nightly export"}
    [notice] = Notification.objects.filter(recipient=cast.alice)
    assert notice.kind == "token_revoked"
    assert notice.params == {"by": "Frank Admin", "name": "nightly export"}
    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Your Cadence API token was revoked"
    assert "Frank Admin (frank@example.com), an administrator of Cadence" in message.body
    assert "- nightly export" in message.body
    assert "/accounts/profile/#tokens" in message.body


def test_the_owner_reads_it_in_cadence(login, cast, tokens):
    login(cast.frank).post(revoke_url(tokens["alice"]))
    page = login(cast.alice).get(reverse("notifications:index"))
    assert "Frank Admin revoked your API token “nightly export”" in page.content.decode()


def test_every_token_of_a_person_is_revoked_at_once(login, cast, tokens):
    client = login(cast.frank)
    page = client.get(revoke_all_url(cast.alice))
    html = page.content.decode()
    assert "Revoke every token of Alice Employee?" in html
    assert "nightly export" in html and "calendar sync" in html and "crm" not in html
    assert client.post(revoke_all_url(cast.alice)).status_code == 302
    assert not ApiToken.objects.filter(person=cast.alice).active().exists()
    assert ApiToken.objects.filter(person=cast.dave).active().exists()
    revoked = AuditEntry.objects.filter(action="token.revoked").order_by("pk")
    assert [e.changes["token"] for e in revoked] == ["nightly export", "calendar sync"]
    assert {e.subject_id for e in revoked} == {cast.alice.pk}
    [notice] = Notification.objects.filter(recipient=cast.alice)
    assert (notice.kind, notice.params["count"]) == ("tokens_revoked", "2")
    [message] = mail.outbox
    assert message.subject == "Your Cadence API tokens were revoked"
    assert "- nightly export\n- calendar sync" in message.body
    assert "2 tokens of Alice Employee are revoked." in client.get(TOKENS).content.decode()


def test_a_person_without_tokens_has_nothing_to_revoke(login, cast, tokens):
    client = login(cast.frank)
    page = client.get(revoke_all_url(cast.carol))
    assert "Carol Leader has no token that works." in page.content.decode()
    client.post(revoke_all_url(cast.carol))
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


def test_an_administrator_revoking_their_own_token_is_audited_not_told(login, cast):
    own, _raw = ApiToken.issue(cast.frank, "mine")
    login(cast.frank).post(revoke_url(own))
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert AuditEntry.objects.filter(action="token.revoked", subject=cast.frank.pk).exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_revoked_token_cannot_be_revoked_again(login, cast, tokens):
    token = tokens["alice"]
    client = login(cast.frank)
    client.post(revoke_url(token))
    assert client.get(revoke_url(token)).status_code == 404
    assert client.post(revoke_url(token)).status_code == 404
    assert AuditEntry.objects.filter(action="token.revoked").count() == 1


def test_the_owner_revoking_their_own_token_on_the_profile_stays_as_it_was(login, cast, tokens):
    token = tokens["alice"]
    login(cast.alice).post(reverse("accounts:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin"])
def test_nobody_but_administrators_reaches_the_tokens(login, cast, tokens, who):
    client = login(getattr(cast, who))
    token = tokens["dave"]
    for url in (TOKENS, revoke_url(token), revoke_all_url(cast.dave)):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert ApiToken.objects.active().count() == 3
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


def test_the_signed_out_are_sent_to_sign_in(client, cast, tokens):
    response = client.post(revoke_url(tokens["alice"]))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert ApiToken.objects.active().count() == 3


# --- The Django admin: for emergencies --------------------------------------------------------


def test_the_admin_shows_tokens_but_no_longer_edits_them(login, cast, tokens):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    old = ApiToken.objects.get(name="old script")
    client = login(cast.frank)
    change = reverse("admin:accounts_apitoken_change", args=[old.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    client.post(change, {"revoked_at_0": "", "revoked_at_1": ""})
    old.refresh_from_db()
    assert old.revoked_at is not None  # a revoked token cannot be brought back
    delete = reverse("admin:accounts_apitoken_delete", args=[old.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:accounts_apitoken_changelist")
    client.post(
        changelist, {"action": "revoke", ACTION_CHECKBOX_NAME: [tokens["alice"].pk, old.pk]}
    )
    assert ApiToken.objects.get(pk=tokens["alice"].pk).revoked_at is not None
    [entry] = AuditEntry.objects.filter(action="token.revoked")
    assert (entry.actor_id, entry.subject_id) == (cast.frank.pk, cast.alice.pk)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
