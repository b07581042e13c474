from django.urls import path

from feedback import views_feedback, views_reports, views_requests, views_reviews

app_name = "feedback"

urlpatterns = [
    # Feedback and praise (views_feedback).
    path("", views_feedback.inbox, name="inbox"),
    path("give/", views_feedback.give, name="give"),
    path("give/hints/", views_feedback.hints, name="hints"),
    path("wall/", views_feedback.wall, name="wall"),
    path("export/", views_feedback.export, name="export"),
    path("settings/", views_feedback.feedback_settings, name="settings"),
    path("<id:feedback_id>/", views_feedback.detail, name="detail"),
    path("<id:feedback_id>/edit/", views_feedback.edit, name="edit"),
    path("<id:feedback_id>/reply/", views_feedback.reply, name="reply"),
    path("<id:feedback_id>/react/", views_feedback.react, name="react"),
    path("<id:feedback_id>/share/", views_feedback.share, name="share"),
    # Feedback requests (views_requests).
    path("requests/", views_requests.requests, name="requests"),
    path("requests/new/", views_requests.request_create, name="request_create"),
    path("requests/<id:request_id>/", views_requests.request_detail, name="request"),
    path("asks/<id:ask_id>/answer/", views_requests.ask_answer, name="ask_answer"),
    path("asks/<id:ask_id>/decline/", views_requests.ask_decline, name="ask_decline"),
    # 360 reviews: cycles, nominations, answering (views_reviews).
    path("reviews/", views_reviews.reviews, name="reviews"),
    path("reviews/cycles/new/", views_reviews.cycle_create, name="cycle_create"),
    path("reviews/cycles/<id:cycle_id>/", views_reviews.cycle, name="cycle"),
    path("reviews/cycles/<id:cycle_id>/edit/", views_reviews.cycle_edit, name="cycle_edit"),
    path(
        "reviews/cycles/<id:cycle_id>/participants/",
        views_reviews.cycle_participants,
        name="cycle_participants",
    ),
    path(
        "reviews/cycles/<id:cycle_id>/advance/", views_reviews.cycle_advance, name="cycle_advance"
    ),
    path(
        "reviews/cycles/<id:cycle_id>/questions/",
        views_reviews.cycle_questions,
        name="cycle_questions",
    ),
    path(
        "reviews/cycles/<id:cycle_id>/questions/new/",
        views_reviews.cycle_question_new,
        name="cycle_question_new",
    ),
    path(
        "reviews/cycles/<id:cycle_id>/questions/<id:question_id>/",
        views_reviews.cycle_question_edit,
        name="cycle_question_edit",
    ),
    path(
        "reviews/cycles/<id:cycle_id>/preview/", views_reviews.cycle_preview, name="cycle_preview"
    ),
    path(
        "reviews/participants/<id:participant_id>/nominate/",
        views_reviews.nominate,
        name="nominate",
    ),
    path(
        "reviews/participants/<id:participant_id>/approve/",
        views_reviews.approve,
        name="approve",
    ),
    path("reviews/invitations/<id:invitation_id>/", views_reviews.answer, name="answer"),
    # 360 reports (views_reports).
    path(
        "reviews/participants/<id:participant_id>/report/",
        views_reports.report,
        name="report",
    ),
    path(
        "reviews/participants/<id:participant_id>/release/",
        views_reports.release,
        name="release",
    ),
]
