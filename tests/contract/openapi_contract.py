"""The official Webex Wholesale OpenAPI document as a response validator for our wire-compatible endpoints
(fixtures made available to every test by ``tests/conftest.py``; openapi-core is imported by the first test
that uses them, not at collection).

``contract`` sends a request through a test client and validates the response (status, headers, body)
against ``webex-wholesale.openapi.json``; an error answer must also be the Webex error body.
"""

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

SPEC_PATH = Path(__file__).with_name("webex-wholesale.openapi.json")
BASE = "http://testserver"


def official_document() -> dict:
    return json.loads(SPEC_PATH.read_text())


def contract_document() -> dict:
    """The official document with the adjustments NOTICE.md lists, nothing else."""
    spec = copy.deepcopy(official_document())
    spec["servers"] = [{"url": f"{BASE}/v1"}]
    # The prechecks' own examples (and every client) have ``info`` as an array; their schemas say object.
    schemas = spec["components"]["schemas"]
    for name in ("CustomerProvisioningPrecheckResponse", "SubscriberProvisioningPrecheckResponse"):
        info = schemas[name]["properties"]["info"]
        schemas[name]["properties"]["info"] = {
            "type": "array",
            "items": {k: v for k, v in info.items() if k != "description"},
        }
    # ``content: {}`` names no media type: these answers have no body.
    for path, method, status in (
        ("/wholesale/customers/{customerId}", "delete", "202"),
        ("/wholesale/subscribers/{subscriberId}", "delete", "204"),
        ("/subscribers/{subscriberId}/emails/consentMove", "post", "204"),
    ):
        response = spec["paths"][path][method]["responses"][status]
        if response.get("content") == {}:
            del response["content"]
    return spec


@dataclass
class Exchange:
    response: object
    body: dict | None


def assert_webex_error(response) -> dict:
    body = response.json()
    assert set(body) == {"message", "errors", "trackingId"}, body
    assert isinstance(body["message"], str) and body["errors"] and isinstance(body["trackingId"], str)
    for error in body["errors"]:
        assert isinstance(error["description"], str), error
        assert set(error) <= {"description", "errorCode"}, error
        if "errorCode" in error:
            assert isinstance(error["errorCode"], int), error
    return body


@pytest.fixture(scope="session")
def openapi():
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(contract_document())


@pytest.fixture
def contract(openapi):
    """``contract(client, method, path, query=None, body=None)``: the exchange, its response validated."""
    from openapi_core.testing import MockRequest, MockResponse

    def call(client, method: str, path: str, query: dict | list | None = None, body=None) -> Exchange:
        query = query or {}
        pairs = list(query.items()) if isinstance(query, dict) else list(query)
        url = path + ("?" + urlencode(pairs) if pairs else "")
        data = json.dumps(body).encode() if body is not None else None
        kwargs = {"data": data, "content_type": "application/json"} if data is not None else {}
        response = getattr(client, method)(url, **kwargs)
        args = {}
        for key, value in pairs:
            args.setdefault(key, value)
        request = MockRequest(BASE, method, path, args=args, data=data, content_type="application/json")
        openapi.validate_response(
            request,
            MockResponse(
                response.content,
                status_code=response.status_code,
                headers=dict(response.headers),
                content_type=response.get("Content-Type", "application/json"),
            ),
        )
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json")
            assert_webex_error(response)
        parsed = response.json() if response.content else None
        return Exchange(response, parsed)

    return call
