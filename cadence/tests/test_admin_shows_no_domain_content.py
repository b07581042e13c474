"""The admin is for running the installation: no page of it shows what people wrote.

The administrator (frank) opens every kind of admin page — list, add, change, delete
confirmation, history, and the "delete selected" confirmation — for every object of every
registered model, in an organisation full of private content. None of it may appear.
People are never deleted through the admin: they leave (and erasure comes with Trust).
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import ApiToken
from conversations.tests.factories import (
    add_action,
    add_agenda_item,
    add_note,
    add_private_note,
    make_conversation,
)
from feedback.models import Reply
from feedback.tests.factories import give, make_request
from goals.models import ProgressUpdate
from goals.tests.factories import make_goal
from people.models import Person

SECRETS = [
    "SECRET goal title",
    "SECRET key result",
    "SECRET progress comment",
    "SECRET talking point",
    "SECRET shared note",
    "SECRET private note",
    "SECRET action item",
    "SECRET feedback text",
    "SECRET reply",
    "SECRET request topic",
]


@pytest.fixture
def private_content(cast):
    goal = make_goal(cast.alice, title="SECRET goal title", key_results=[(0, 10, 2)])
    key_result = goal.key_results.get()
    key_result.title = "SECRET key result"
    key_result.save()
    ProgressUpdate.objects.create(
        objective=goal,
        key_result=key_result,
        author=cast.alice,
        value=Decimal(3),
        comment="SECRET progress comment",
    )
    conversation = make_conversation(cast.alice)
    add_agenda_item(conversation, cast.alice, "SECRET talking point")
    add_note(conversation, cast.bob, "SECRET shared note")
    add_private_note(conversation, cast.bob, "SECRET private note")
    add_action(conversation, cast.alice, "SECRET action item")
    feedback = give(cast.dave, cast.alice, text="SECRET feedback text")
    Reply.objects.create(feedback=feedback, author=cast.alice, text="SECRET reply")
    make_request(cast.alice, [cast.dave, cast.bob], topic="SECRET request topic")
    ApiToken.issue(cast.alice, "script")
    return cast


def admin_pages(model, obj):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield reverse(f"{name}_changelist")
    yield reverse(f"{name}_add")
    yield reverse(f"{name}_change", args=[obj.pk])
    yield reverse(f"{name}_delete", args=[obj.pk])
    yield reverse(f"{name}_history", args=[obj.pk])


def assert_nothing_private(response, url):
    text = response.content.decode()
    shown = [secret for secret in SECRETS if secret in text]
    assert not shown, f"{url} shows {shown}"


def test_no_admin_page_shows_private_content(client, private_content):
    client.force_login(private_content.frank)
    opened = 0
    for model, model_admin in admin.site._registry.items():
        for obj in model_admin.get_queryset(_request(private_content.frank)):
            for url in admin_pages(model, obj):
                response = client.get(url)
                assert response.status_code in (200, 302, 403), (url, response.status_code)
                assert_nothing_private(response, url)
                opened += 1
            changelist = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            )
            response = client.post(
                changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk]}
            )
            assert_nothing_private(response, changelist)
    assert opened > 20  # every registered model had objects to open


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_people_cannot_be_deleted_in_the_admin(client, private_content):
    client.force_login(private_content.frank)
    alice = private_content.alice
    response = client.get(reverse("admin:people_person_delete", args=[alice.pk]))
    assert response.status_code == 403
    response = client.post(reverse("admin:people_person_delete", args=[alice.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:people_person_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [alice.pk], "post": "yes"},
    )
    assert Person.objects.filter(pk=alice.pk).exists()
    changelist = client.get(reverse("admin:people_person_changelist"))
    assert "delete_selected" not in changelist.content.decode()
