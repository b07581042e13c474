from django.urls import path

from firstrun import views

app_name = "setup"

urlpatterns = [
    path("", views.claim, name="claim"),
]
