from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("<slug:name>/", views.guide, name="guide"),
]
