"""The audit log's pages, for organisation-wide HR and administrators (mounted at
/people/audit-log/, in the Organisation area)."""

from django.urls import path

from trust import views_audit

app_name = "audit"

urlpatterns = [
    path("", views_audit.audit_log, name="log"),
    path("audit-log.csv", views_audit.audit_csv, name="csv"),
]
