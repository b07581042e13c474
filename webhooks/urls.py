"""The Webhooks tab of Administration (mounted at /settings/webhooks/)."""

from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("new/", views.endpoint_new, name="endpoint_new"),
    path("<id:endpoint_id>/", views.endpoint, name="endpoint"),
    path("<id:endpoint_id>/secret/", views.endpoint_secret, name="endpoint_secret"),
    path("<id:endpoint_id>/remove/", views.endpoint_delete, name="endpoint_delete"),
    path("<id:endpoint_id>/test/", views.endpoint_test, name="endpoint_test"),
    path("deliveries/<id:delivery_id>/again/", views.delivery_again, name="delivery_again"),
]
