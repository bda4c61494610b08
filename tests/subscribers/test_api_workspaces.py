"""The partner API for workspaces (``/v1/partner/workspaces``): the same service as the pages, camelCase JSON,
201 + Location, Link pagination, the Webex error body with the service's errorCode, 404 out of scope (the
schemathesis run over the two operations: ``test_workspaces_fuzz.py``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import ApiScope
from apps.core.errors import ErrorCode
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.locations.services.numbers import numbers_add
from apps.subscribers.models import PackageAssignment, Workspace
from apps.subscribers.services.workspaces import workspace_create
from tests.factories import provision_customer

CAC = "common_area_calling"
LIST = "/v1/partner/workspaces"


def detail(workspace_id: str) -> str:
    return reverse("api_workspace_detail", kwargs={"workspace_id": workspace_id})


@pytest.fixture
def harbor(world) -> Customer:
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Harbor Lights",
        admin_email="admin@harborlights.test",
        packages=["webex_calling", CAC],
    )
    hq = Location.objects.get(org=customer.org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155552001", "+14155552002"])
    return customer


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


def test_create_get_update_delete(world, harbor, acme):
    response = acme.post(
        LIST, {"customerId": harbor.webex_id, "name": "Lobby", "extension": "4001"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ws = Workspace.objects.get()
    assert response["Location"].endswith(detail(ws.webex_id))
    hq = Location.objects.get(org=harbor.org)
    assert body == {
        "id": ws.webex_id,
        "customerId": harbor.webex_id,
        "name": "Lobby",
        "locationId": hq.webex_id,
        "package": CAC,
        "phoneNumber": None,
        "extension": "4001",
        "created": body["created"],
    }
    assert acme.get(detail(ws.webex_id)).json() == body
    response = acme.put(
        detail(ws.webex_id), {"name": "Main lobby", "phoneNumber": "+14155552001"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["phoneNumber"], response.json()["extension"]) == ("+14155552001", None)
    assert acme.delete(detail(ws.webex_id)).status_code == 204
    assert not Workspace.objects.exists()
    assert PackageAssignment.objects.get(workspace_uuid=ws.pk).ended_at is not None
    assert acme.get(detail(ws.webex_id)).status_code == 404


def test_refusals_carry_the_error_codes_and_statuses(world, harbor, acme):
    workspace_create(actor=world.acme_admin, customer=harbor, name="Lobby", extension="4001")
    response = acme.post(LIST, {"customerId": harbor.webex_id, "name": "Door"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "description": "phoneNumber: Common Area Calling is calling: give the workspace a phone number, "
            "an extension or both.",
            "errorCode": ErrorCode.CALLING_NUMBER_REQUIRED,
        }
    ]
    assert response.json()["trackingId"]
    response = acme.post(
        LIST, {"customerId": harbor.webex_id, "name": "lobby", "extension": "4001"}, format="json"
    )
    assert response.status_code == 409
    assert sorted(e["errorCode"] for e in response.json()["errors"]) == [
        ErrorCode.EXTENSION_IN_USE,
        ErrorCode.WORKSPACE_NAME_IN_USE,
    ]
    response = acme.post(
        LIST, {"customerId": world.blue_harbor.webex_id, "name": "Door", "extension": "4009"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["errorCode"] == ErrorCode.PACKAGE_NOT_HELD
    for bad in ({"customerId": harbor.webex_id, "name": 5}, {"name": "x"}, [], "x"):
        assert acme.post(LIST, bad, format="json").status_code == 400
    assert Workspace.objects.count() == 1


def test_list_filters_and_pages_with_links_in_fixed_queries(world, harbor, acme):
    other = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Other Co",
        admin_email="admin@other.test",
        packages=["webex_calling", CAC],
    )
    for n in range(3):
        workspace_create(actor=world.acme_admin, customer=harbor, name=f"Room {n}", extension=f"400{n}")
    workspace_create(actor=world.acme_admin, customer=other, name="Lobby", extension="4001")
    with CaptureQueriesContext(connection) as few:
        body = acme.get(LIST, {"max": 2}).json()
    assert len(body["items"]) == 2
    response = acme.get(LIST, {"customerId": harbor.webex_id, "max": 2})
    assert [w["name"] for w in response.json()["items"]] == ["Room 0", "Room 1"]
    assert 'rel="next"' in response["Link"] and "customerId=" in response["Link"]
    hq = Location.objects.get(org=other.org)
    assert [w["name"] for w in acme.get(LIST, {"locationId": hq.webex_id}).json()["items"]] == ["Lobby"]
    # orgId names a customer: only its workspaces.
    assert len(acme.get(LIST, {"orgId": other.org.webex_id}).json()["items"]) == 1
    for n in range(3, 9):
        workspace_create(actor=world.acme_admin, customer=harbor, name=f"Room {n}", extension=f"400{n}")
    with CaptureQueriesContext(connection) as many:
        acme.get(LIST, {"max": 2})
    assert len(many) == len(few)
    assert acme.get(LIST, {"customerId": "nope"}).status_code == 404
    assert acme.get(LIST, {"offset": "-1"}).status_code == 400


def test_outsiders_and_scopes(world, harbor, api_client):
    ws = workspace_create(actor=world.acme_admin, customer=harbor, name="Lobby", extension="4001")
    globex = api_client(world.globex_admin)
    assert globex.get(detail(ws.webex_id)).status_code == 404
    assert globex.get(LIST).json()["items"] == []
    response = globex.post(
        LIST, {"customerId": harbor.webex_id, "name": "Door", "extension": "4002"}, format="json"
    )
    assert response.status_code == 404 and "Harbor" not in response.content.decode()
    assert globex.delete(detail(ws.webex_id)).status_code == 404
    reader = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_SUBSCRIBERS_READ])
    assert reader.get(detail(ws.webex_id)).status_code == 200
    assert reader.delete(detail(ws.webex_id)).status_code == 403
    readonly = api_client(world.acme_readonly)
    assert readonly.delete(detail(ws.webex_id)).status_code == 403
    assert Workspace.objects.filter(pk=ws.pk).exists()
