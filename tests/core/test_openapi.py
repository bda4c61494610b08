"""The OpenAPI document and the docs page served from vendored assets (the fuzz of every /v1/ call:
``test_openapi_fuzz.py``)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

ERROR_STATUSES = {"400", "401", "403", "404", "429", "500"}


@pytest.fixture
def document(client, db) -> dict:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    return response.json()


def test_schema_is_a_valid_openapi_3_document(document):
    assert document["openapi"].startswith("3.")
    from openapi_spec_validator import validate

    validate(document)


def _api_routes() -> set[str]:
    """Every /v1/ route of the URL conf, in OpenAPI path syntax."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)

    return {route for route in walk(get_resolver().url_patterns, "") if route.startswith("/v1/")}


def test_every_api_route_is_documented(document):
    undocumented = _api_routes() - set(document["paths"]) - {"/v1/openapi.json", "/v1/docs/"}
    assert not undocumented


def test_every_operation_documents_the_webex_error_body_and_tracking_id(document):
    error = document["components"]["schemas"]["WebexError"]
    assert set(error["required"]) == {"message", "errors", "trackingId"}
    detail = document["components"]["schemas"]["WebexErrorDetail"]
    assert detail["required"] == ["description"]
    assert "errorCode" in detail["properties"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert set(responses) >= ERROR_STATUSES, (method, path)
            if method in ("post", "put", "patch"):
                assert "415" in responses
            for status, response in responses.items():
                assert response["headers"]["TrackingID"]["required"] is True, (method, path, status)
                if status >= "400":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/WebexError"}, (method, path, status)
            assert "Retry-After" in responses["429"]["headers"]
            assert "WWW-Authenticate" in responses["401"]["headers"]
            assert operation["security"] == [{"bearerAuth": []}]


def test_paginated_lists_document_items_link_and_bounds(document):
    lists = {"/v1/partner/admins": "Admin", "/v1/partner/auditEvents": "AuditEvent"}
    for path, item in lists.items():
        get = document["paths"][path]["get"]
        ok = get["responses"]["200"]
        assert "Link" in ok["headers"]
        ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        page = document["components"]["schemas"][ref]
        assert page["required"] == ["items"]
        assert page["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{item}"}
        params = {p["name"]: p for p in get["parameters"]}
        assert params["max"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
        assert params["offset"]["schema"]["minimum"] == 0


def test_bearer_scheme_is_declared(document):
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


# --- docs --------------------------------------------------------------------------------------------------

ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_docs_page_uses_only_local_assets_that_are_served(client, db):
    response = client.get("/v1/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        parts = urlsplit(asset)
        assert not parts.scheme and not parts.netloc, f"{asset} is not served by us"
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])
    assert "/v1/openapi.json" in html
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
