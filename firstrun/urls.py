from django.urls import path

from firstrun import views

app_name = "setup"

urlpatterns = [
    path("", views.claim, name="claim"),
    path("finish/", views.finish, name="finish"),
    path("checklist/dismiss/", views.dismiss, name="dismiss"),
    path("checklist/<slug:key>/done/", views.confirm, name="confirm"),
    path("<slug:key>/", views.step, name="step"),
]
