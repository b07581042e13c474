"""HR's conversation templates: each kind's prompts, edited as text, for new conversations only."""

from django.urls import reverse

from access.models import HRRole
from conversations.models import Conversation, ConversationTemplate, Kind
from conversations.prompts import default_text, sections_of
from conversations.scheduling import schedule
from conversations.tests.factories import make_conversation
from people.tests.factories import add_people

TEMPLATES = reverse("conversations:templates")
NEW_TEXT = (
    "Energy\n- What gave you energy this month?\n- What drained it?\nNext\n- One thing to try"
)


def edit_url(kind="check_in"):
    return reverse("conversations:template_edit", args=[kind])


def test_hr_sees_every_kinds_prompts(login, cast):
    response = login(cast.erin).get(TEMPLATES)
    assert response.status_code == 200
    assert [card["kind"] for card in response.context["cards"]] == list(Kind)
    html = response.content.decode()
    assert "What is in your way or slowing you down?" in html
    assert html.count("our default") == 4
    for kind in Kind:
        assert edit_url(kind.value) in html


def test_only_hr_who_manage_people_org_wide_may_open_or_change_templates(login, cast):
    for person in (cast.alice, cast.bob, cast.carol, cast.dave, cast.frank):
        client = login(person)
        assert client.get(TEMPLATES).status_code == 403
        assert client.get(edit_url()).status_code == 403
        assert client.get(edit_url("nonsense")).status_code == 403
        assert client.post(edit_url(), {"text": NEW_TEXT}).status_code == 403
        assert client.post(edit_url(), {"reset": "1"}).status_code == 403
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).get(TEMPLATES).status_code == 403
    assert not ConversationTemplate.objects.exists()


def test_an_unknown_kind_is_not_found(login, cast):
    client = login(cast.erin)
    for kind in ("nonsense", "CHECK_IN", "x" * 300):
        assert client.get(edit_url(kind)).status_code == 404


def test_the_edit_page_documents_the_format_and_starts_from_the_current_text(login, cast):
    response = login(cast.erin).get(edit_url())
    assert response.status_code == 200
    assert response.context["form"]["text"].value() == default_text(Kind.CHECK_IN)
    html = response.content.decode()
    assert "are its prompts" in html
    assert "Reset to our default" not in html  # nothing to reset yet


def test_saving_changes_prompts_for_new_conversations_only(login, cast):
    schedule([cast.alice.pk])
    existing = Conversation.objects.get(employee=cast.alice, kind=Kind.CHECK_IN)
    response = login(cast.erin).post(edit_url(), {"text": NEW_TEXT})
    assert response.status_code == 302 and response["Location"] == TEMPLATES
    template = ConversationTemplate.objects.get(kind=Kind.CHECK_IN)
    assert template.text == NEW_TEXT and template.updated_by == cast.erin
    # The conversation planned before keeps its prompts (our defaults).
    existing.refresh_from_db()
    assert existing.prompts is None
    assert sections_of(existing)[0].title == "Progress on goals"
    # A new pair's first check-in is planned with HR's text, frozen into it.
    newcomer = add_people(1, manager=cast.bob, team=cast.platform, prefix="new")[0]
    schedule([newcomer.pk])
    new = Conversation.objects.get(employee=newcomer, kind=Kind.CHECK_IN)
    assert new.prompts == [
        {"title": "Energy", "prompts": ["What gave you energy this month?", "What drained it?"]},
        {"title": "Next", "prompts": ["One thing to try"]},
    ]
    # A later change does not reach it either.
    login(cast.erin).post(edit_url(), {"text": "Other\n- Something else"})
    new.refresh_from_db()
    assert new.prompts[0]["title"] == "Energy"
    # Other kinds are untouched.
    assert Conversation.objects.get(employee=newcomer, kind=Kind.QUARTERLY).prompts is None
    listing = login(cast.erin).get(TEMPLATES).content.decode()
    assert "your own text" in listing and "changed by Erin HR" in listing


def test_reset_returns_to_our_default(login, cast):
    ConversationTemplate.objects.create(kind=Kind.QUARTERLY, text=NEW_TEXT)
    client = login(cast.erin)
    assert "Reset to our default" in client.get(edit_url("quarterly")).content.decode()
    response = client.post(edit_url("quarterly"), {"reset": "1"})
    assert response.status_code == 302
    assert not ConversationTemplate.objects.exists()
    conversation = make_conversation(cast.alice, kind=Kind.QUARTERLY)
    assert sections_of(conversation)[0].title == "Looking back"


def test_saving_our_default_text_stores_nothing(login, cast):
    text = default_text(Kind.DEVELOPMENT).replace("\n", "\r\n") + "\r\n\r\n"
    assert login(cast.erin).post(edit_url("development"), {"text": text}).status_code == 302
    assert not ConversationTemplate.objects.exists()


def test_invalid_text_re_renders_with_the_error_and_the_text(login, cast):
    client = login(cast.erin)
    cases = {
        "": "This field is required.",
        "Only headings\nNo prompts": "Add at least one prompt",
        "- " + "x" * 400: "Keep each line under 300 characters",
        "Heading\n" + "- A prompt that repeats\n" * 300: "at most 5000 characters",
    }
    for text, error in cases.items():
        response = client.post(edit_url(), {"text": text})
        assert response.status_code == 400, text[:40]
        html = response.content.decode()
        assert error in html, error
        if text:
            assert text[:30] in html
    assert not ConversationTemplate.objects.exists()


def test_prompts_before_any_heading_are_fine(login, cast):
    assert login(cast.erin).post(edit_url("one_on_one"), {"text": "- Anything?"}).status_code == 302
    assert ConversationTemplate.objects.get().text == "- Anything?"
