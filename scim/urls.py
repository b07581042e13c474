from django.urls import path, register_converter

from scim import views
from scim.groups import GroupIdConverter

register_converter(GroupIdConverter, "group")

app_name = "scim"

urlpatterns = [
    path("", views.root, name="root"),
    path(".search", views.root_search, name="search"),
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:urn>", views.schemas, name="schema"),
    path("Users", views.user_list, name="users"),
    path("Users/.search", views.user_search, name="user_search"),
    path("Users/<id:person_id>", views.user_detail, name="user"),
    path("Groups", views.group_list, name="groups"),
    path("Groups/.search", views.group_search, name="group_search"),
    path("Groups/<group:team_id>", views.group_detail, name="group"),
]
