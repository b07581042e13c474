from django.urls import path

from trust import views, views_changes, views_export

app_name = "trust"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("changes/", views_changes.changes, name="changes"),
    path("export/", views_export.export, name="export"),
    path("export/<id:export_id>/download/", views_export.export_download, name="export_download"),
]
