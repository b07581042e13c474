"""The JSON API under /api/v1/: each app contributes a router from its own api.py."""

from ninja import NinjaAPI

from accounts.api import ApiTokenAuth, SessionAuth
from accounts.api_invitations import router as invitations_router
from cadence import openapi
from conversations.api import router as conversations_router
from feedback.api import router as feedback_router
from goals.api import router as goals_router
from growth.api import router as growth_router
from insights.api import router as insights_router
from mobility.api import router as mobility_router
from notifications.api import router as notifications_router
from people.api import router as people_router
from plans.api import router as plans_router
from succession.api import router as succession_router
from surveys.api import router as surveys_router
from talent.api import router as talent_router
from talentreview.api import router as talentreview_router
from trust.api_access import router as access_log_router
from trust.api_audit import router as audit_router
from trust.api_data import router as my_data_router
from trust.api_export import router as export_router
from trust.api_sessions import router as sessions_router


class CadenceAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Ninja's description, with every reference resolved and every error answer listed."""
        return openapi.complete(super().get_openapi_schema(**kwargs))


api = CadenceAPI(
    title="Cadence API",
    version="1",
    description="Continuous performance management and development. Authenticate with your "
    "session or with a personal API token: `Authorization: Bearer cad_…`.",
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("", people_router)
api.add_router("", goals_router)
api.add_router("", conversations_router)
api.add_router("", feedback_router)
api.add_router("", growth_router)
api.add_router("", plans_router)
api.add_router("", surveys_router)
api.add_router("", talent_router)
api.add_router("", succession_router)
api.add_router("", mobility_router)
api.add_router("", talentreview_router)
api.add_router("", insights_router)
api.add_router("", notifications_router)
api.add_router("", audit_router)
api.add_router("", export_router)
api.add_router("", sessions_router)
api.add_router("", my_data_router)
api.add_router("", access_log_router)
api.add_router("", invitations_router)
