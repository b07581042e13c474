"""What the server says about itself (RFC 7643 §5–7, RFC 7644 §4): ServiceProviderConfig,
ResourceTypes and Schemas, made from scim2-models' own descriptions of the RFC's resources and
cut down to the attributes Cadence stores, so that an identity provider (or scim2-tester) maps
only what is kept.

A person has one name in Cadence: it is published as `displayName` (a request's `name`, when
it has no `displayName`, is read for it). A person's work e-mail address is published as
immutable: it is their sign-in, and Cadence changes it only when they confirm the new address
themselves (`accounts.email_change`). Both are required: Cadence adds nobody without them.
"""

from __future__ import annotations

from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Meta,
    Mutability,
    Patch,
    Required,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

from scim.protocol import MAX_COUNT

UserResource = User[EnterpriseUser]


# The attributes Cadence keeps, by schema (and their sub-attributes where it keeps only some).
KEPT: dict[str, dict[str, set[str] | None]] = {
    User.__schema__: {
        "userName": None,
        "displayName": None,
        "title": None,
        "active": None,
        "emails": {"value", "type", "primary"},
    },
    EnterpriseUser.__schema__: {"department": None, "manager": {"value", "$ref"}},
    Group.__schema__: {"displayName": None, "members": {"value", "$ref", "type"}},
}
IMMUTABLE = {(User.__schema__, "emails")}
# What Cadence cannot add a person without: a name and a work address (the import's columns).
# `active` too: an account is on or off, never unknown.
REQUIRED = {(User.__schema__, name) for name in ("displayName", "emails", "active")}


def service_provider_config(base: str) -> dict[str, Any]:
    config = ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A SCIM token made under Administration → SCIM provisioning.",
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base}ServiceProviderConfig"),
    )
    return config.model_dump()


def _schema(model: Any, base: str) -> Schema:
    schema = model.to_schema()
    kept = KEPT[schema.id]
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in kept:
            continue
        subs = kept[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
        if (schema.id, attribute.name) in IMMUTABLE:
            attribute.mutability = Mutability.immutable
            for sub in attribute.sub_attributes or []:
                sub.mutability = Mutability.immutable
        if (schema.id, attribute.name) in REQUIRED:
            attribute.required = Required.true
            for sub in attribute.sub_attributes or []:
                if sub.name == "value":
                    sub.required = Required.true
        attributes.append(attribute)
    schema.attributes = attributes
    schema.meta = Meta(resource_type="Schema", location=f"{base}Schemas/{schema.id}")
    return schema


def schemas(base: str) -> list[dict[str, Any]]:
    return [_schema(model, base).model_dump() for model in (User, EnterpriseUser, Group)]


def resource_types(base: str) -> list[dict[str, Any]]:
    found = []
    for model in (UserResource, Group):
        resource_type = ResourceType.from_resource(model)
        resource_type.meta = Meta(
            resource_type="ResourceType", location=f"{base}ResourceTypes/{resource_type.id}"
        )
        found.append(resource_type.model_dump())
    return found
