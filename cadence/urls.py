"""URL map of the whole product. Each app owns its own patterns under one prefix."""

from django.contrib import admin
from django.urls import include, path

from cadence import views
from cadence.api import api
from conversations import views_lists as conversation_lists

handler404 = views.not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    # The audit log is part of the Organisation area (the navigation marks it so).
    path("people/audit-log/", include("trust.urls_audit")),
    # A team's chat channel, beside the team's page (webhooks).
    path("people/teams/", include("webhooks.urls_teams")),
    path("people/", include("people.urls")),
    # Modules not built yet: each app replaces its line when it lands.
    path("goals/", include("goals.urls")),
    path("conversations/", include("conversations.urls")),
    path("feedback/", include("feedback.urls")),
    # The development plan is part of Growth (its switch covers /growth/).
    path("growth/plan/", include("plans.urls")),
    path("growth/", include("growth.urls")),
    path("talent/succession/", include("succession.urls")),
    path("talent/mobility/", include("mobility.urls")),
    path("talent/reviews/", include("talentreview.urls")),
    path("talent/", include("talent.urls")),
    path("notifications/", include("notifications.urls")),
    path("my-data/", include("trust.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
    path("settings/scim/", include("scim.urls_admin")),
    path("settings/", include("organisation.urls")),
    path("guides/", include("guides.urls")),
    path("setup/", include("firstrun.urls")),
    path("surveys/", include("surveys.urls")),
    path("insights/", include("insights.urls")),
    path("my-team/", conversation_lists.my_team, name="my_team"),
    path("api/v1/", api.urls),
    # SCIM 2.0 provisioning from the identity provider (scim), with its own bearer token.
    path("scim/v2/", include("scim.urls")),
    path("admin/", admin.site.urls),
]
