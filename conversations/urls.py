from django.urls import path

from conversations import views_calendar, views_conversation, views_lists, views_settings

app_name = "conversations"

urlpatterns = [
    # Lists and starting a conversation (views_lists).
    path("", views_lists.index, name="index"),
    path("new/", views_lists.create, name="create"),
    path("adherence/", views_lists.adherence, name="adherence"),
    path("schedule/<id:person_id>/<str:kind>/", views_lists.open_next, name="open_next"),
    path("remind/<id:person_id>/<str:kind>/", views_lists.nudge, name="nudge"),
    # One conversation (views_conversation).
    path("<id:conversation_id>/", views_conversation.detail, name="detail"),
    path("<id:conversation_id>/prepare/", views_conversation.prepare, name="prepare"),
    path("<id:conversation_id>/agenda/", views_conversation.agenda_add, name="agenda_add"),
    path(
        "<id:conversation_id>/agenda/<id:item_id>/",
        views_conversation.agenda_item,
        name="agenda_item",
    ),
    path("<id:conversation_id>/notes/", views_conversation.note_add, name="note_add"),
    path(
        "<id:conversation_id>/notes/<id:note_id>/delete/",
        views_conversation.note_delete,
        name="note_delete",
    ),
    path(
        "<id:conversation_id>/private-notes/",
        views_conversation.private_note_add,
        name="private_note_add",
    ),
    path(
        "<id:conversation_id>/private-notes/<id:note_id>/delete/",
        views_conversation.private_note_delete,
        name="private_note_delete",
    ),
    path("<id:conversation_id>/actions/", views_conversation.action_add, name="action_add"),
    path("actions/<id:action_id>/toggle/", views_conversation.action_toggle, name="action_toggle"),
    path("<id:conversation_id>/sign-off/", views_conversation.sign_off, name="sign_off"),
    path("<id:conversation_id>/skip/", views_conversation.skip, name="skip"),
    path("<id:conversation_id>/time/", views_conversation.reschedule, name="reschedule"),
    # Rhythms and templates (views_settings).
    path("rhythms/", views_settings.rhythms, name="rhythms"),
    path("rhythms/team/<id:team_id>/", views_settings.team_rhythm, name="team_rhythm"),
    path("rhythms/person/<id:person_id>/", views_settings.pair_rhythm, name="pair_rhythm"),
    path("templates/", views_settings.templates, name="templates"),
    path("templates/<str:kind>/", views_settings.template_edit, name="template_edit"),
    # The private calendar feed (views_calendar).
    path("calendar/", views_calendar.calendar, name="calendar"),
    path("calendar/reset/", views_calendar.calendar_reset, name="calendar_reset"),
    path("calendar/revoke/", views_calendar.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views_calendar.feed, name="calendar_feed"),
]
