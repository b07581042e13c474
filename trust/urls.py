from django.urls import path

from trust import (
    views,
    views_access_log,
    views_changes,
    views_erasure,
    views_export,
    views_sessions,
)

app_name = "trust"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("changes/", views_changes.changes, name="changes"),
    path("export/", views_export.export, name="export"),
    path("export/<id:export_id>/download/", views_export.export_download, name="export_download"),
    path("sessions/", views_sessions.sessions_page, name="sessions"),
    path("sessions/<id:session_id>/end/", views_sessions.end_session, name="end_session"),
    path("sessions/end-all/", views_sessions.end_everywhere_else, name="end_everywhere_else"),
    path("people/<id:person_id>/legal-hold/", views_erasure.legal_hold, name="legal_hold"),
    path("people/<id:person_id>/anonymise/", views_erasure.erase_person, name="erase_person"),
    path("who-looked/", views_access_log.access_log, name="access_log"),
]
