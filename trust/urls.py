from django.urls import path

from trust import views, views_changes

app_name = "trust"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("changes/", views_changes.changes, name="changes"),
]
