from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("read/", views.mark_all, name="mark_all"),
    path("<id:notification_id>/open/", views.open_notification, name="open"),
    path("<id:notification_id>/mark/", views.mark, name="mark"),
    path("email/", views.email_preferences, name="email"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
