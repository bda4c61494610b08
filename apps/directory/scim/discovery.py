"""What the endpoint tells identity providers about itself (RFC 7644 §4, RFC 7643 §5–7): the features it
supports, the one resource type it serves (User) and that type's schema, limited to the attributes it keeps
(``bodies``). The same for every organisation: nothing here names one."""

from apps.directory.scim.bodies import USER_SCHEMA

CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_RESULTS = 100


def _attribute(name: str, description: str, *, type_: str = "string", **overrides) -> dict:
    return {
        "name": name,
        "type": type_,
        "multiValued": False,
        "description": description,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    } | overrides


USER_ATTRIBUTES = [
    _attribute(
        "userName",
        "The e-mail address the person signs in with; changing it changes their address.",
        required=True,
        uniqueness="server",
    ),
    _attribute(
        "name",
        "The person's name.",
        type_="complex",
        subAttributes=[
            _attribute("givenName", "First name, at most 150 characters."),
            _attribute("familyName", "Last name, at most 150 characters."),
        ],
    ),
    _attribute("displayName", "The name others see; empty: first and last name."),
    _attribute(
        "emails",
        "The person's address: userName's, read-only.",
        type_="complex",
        multiValued=True,
        mutability="readOnly",
        subAttributes=[
            _attribute("value", "The address.", mutability="readOnly"),
            _attribute("primary", "Always true.", type_="boolean", mutability="readOnly"),
        ],
    ),
    _attribute(
        "active",
        "false removes the user (their package and numbers are freed); a removed user is gone.",
        type_="boolean",
    ),
]


def _meta(resource_type: str, location: str) -> dict:
    return {"resourceType": resource_type, "location": location}


def service_provider_config(*, base: str) -> dict:
    return {
        "schemas": [CONFIG_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The secret shown once on the organisation's Directory synchronisation page.",
                "primary": True,
            }
        ],
        "meta": _meta("ServiceProviderConfig", f"{base}/ServiceProviderConfig"),
    }


def resource_types(*, base: str) -> dict[str, dict]:
    """Resource types by id."""
    return {
        "User": {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person of the organisation, holding one package.",
            "schema": USER_SCHEMA,
            "meta": _meta("ResourceType", f"{base}/ResourceTypes/User"),
        }
    }


def schemas(*, base: str) -> dict[str, dict]:
    """Schemas by id (their URN)."""
    return {
        USER_SCHEMA: {
            "schemas": [SCHEMA_SCHEMA],
            "id": USER_SCHEMA,
            "name": "User",
            "description": "User Account",
            "attributes": USER_ATTRIBUTES,
            "meta": _meta("Schema", f"{base}/Schemas/{USER_SCHEMA}"),
        }
    }
