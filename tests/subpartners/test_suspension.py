"""A suspended sub-partner (and its parent acting for it) cannot provision or update customers and
subscribers, but can delete them — on every provisioning endpoint and page, through the one permission
function: pages answer 403 with the reason (and grey their controls), the API the Webex error body with
errorCode 4016."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from apps.core.errors import ErrorCode as E
from apps.core.models import OrgStatus
from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.subpartners.services import subpartner_set_status
from apps.subscribers.models import Subscriber, Workspace
from apps.subscribers.services.subscribers import subscriber_add
from apps.subscribers.services.workspaces import workspace_create
from tests.html import squash

REASON = "Reseller agreement under review"


def _customer_body(template: OnboardingTemplate) -> dict:
    address = {
        "addressLine1": "1 High Street",
        "city": "Leeds",
        "zipOrPostalCode": "LS1 1AA",
        "country": "GB",
    }
    return {
        "provisioningId": template.provisioning_id,
        "packages": ["webex_calling"],
        "externalId": "NW-NEW",
        "address": address,
        "customerInfo": {"name": "New Bakery", "primaryEmail": "owner@newbakery.test", "language": "en_GB"},
        "provisioningParameters": {
            "calling": {
                "location": {
                    "name": "Shop",
                    "address": address,
                    "timezone": "Europe/London",
                    "language": "en_GB",
                }
            }
        },
    }


@pytest.fixture
def suspended(world):
    """Riverside Bakery (Northwind's customer) with a subscriber and a workspace; then Northwind suspended."""
    from apps.provisioning.services.provisioning import customer_update_request

    riverside = world.riverside
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_update_request(
            actor=world.northwind_admin, customer=riverside, packages=["webex_calling", "common_area_calling"]
        )
    riverside.refresh_from_db()
    sam = subscriber_add(
        actor=world.northwind_admin,
        customer=riverside,
        email="sam@riverside.test",
        package="webex_calling",
        extension="3001",
    )
    lobby = workspace_create(actor=world.northwind_admin, customer=riverside, name="Lobby", extension="7001")
    subpartner_set_status(
        actor=world.acme_admin, subpartner=world.northwind, status="suspended", reason=REASON
    )
    world.northwind.refresh_from_db()
    return {"customer": riverside, "subscriber": sam, "workspace": lobby}


# (who, query): Northwind's own admin; Acme's admin acting for it.
ACTORS = {
    "subpartner": lambda w: (w.northwind_admin, {}),
    "parent on behalf": lambda w: (w.acme_admin, {"onBehalfOfSubPartnerOrgId": w.northwind.webex_id}),
}

# Every provisioning or update endpoint: (method, path, body), built from the world and the fixture's objects.
API_WRITES = {
    "create customer": lambda w, o: ("post", "/v1/wholesale/customers", _customer_body(_template(w))),
    "precheck customer": lambda w, o: (
        "post",
        "/v1/wholesale/customers/validate",
        _customer_body(_template(w)),
    ),
    "update customer": lambda w, o: (
        "put",
        f"/v1/wholesale/customers/{o['customer'].webex_id}",
        {"packages": ["webex_calling"]},
    ),
    "restricted mode": lambda w, o: (
        "put",
        f"/v1/partner/customers/{o['customer'].webex_id}/restrictedMode",
        {"enabled": False},
    ),
    "add subscriber": lambda w, o: (
        "post",
        "/v1/wholesale/subscribers",
        {
            "customerId": o["customer"].webex_id,
            "email": "new@riverside.test",
            "package": "webex_calling",
            "provisioningParameters": {"extension": "3002"},
        },
    ),
    "precheck subscriber": lambda w, o: (
        "post",
        "/v1/wholesale/subscribers/validate",
        {
            "customerId": o["customer"].webex_id,
            "email": "new@riverside.test",
            "package": "webex_calling",
            "provisioningParameters": {"extension": "3002"},
        },
    ),
    "change subscriber": lambda w, o: (
        "put",
        f"/v1/wholesale/subscribers/{o['subscriber'].webex_id}",
        {"package": "webex_calling", "provisioningParameters": {"extension": "3009"}},
    ),
    "add workspace": lambda w, o: (
        "post",
        "/v1/partner/workspaces",
        {"customerId": o["customer"].webex_id, "name": "Back office", "extension": "7002"},
    ),
    "change workspace": lambda w, o: (
        "put",
        f"/v1/partner/workspaces/{o['workspace'].webex_id}",
        {"name": "Front lobby"},
    ),
}


def _template(world) -> OnboardingTemplate:
    return OnboardingTemplate.objects.get(partner=world.northwind)


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("endpoint", API_WRITES)
def test_a_suspended_subpartners_api_writes_are_refused(world, suspended, api_client, who, endpoint):
    actor, query = ACTORS[who](world)
    method, path, body = API_WRITES[endpoint](world, suspended)
    if query:
        path += "?onBehalfOfSubPartnerOrgId=" + query["onBehalfOfSubPartnerOrgId"]
    before = (Customer.objects.count(), Subscriber.objects.count(), Workspace.objects.count())
    response = getattr(api_client(actor), method)(path, body, format="json")
    assert response.status_code == 403, (endpoint, response.status_code, response.content)
    data = response.json()
    assert data["errors"][0]["errorCode"] == E.PARTNER_SUSPENDED
    assert data["message"].startswith(f"Northwind Reseller is suspended ({REASON})")
    assert set(data) == {"message", "errors", "trackingId"}
    assert (Customer.objects.count(), Subscriber.objects.count(), Workspace.objects.count()) == before
    suspended["customer"].refresh_from_db()
    assert suspended["customer"].packages.count() == 2


@pytest.mark.parametrize("who", ACTORS)
def test_a_suspended_subpartners_api_deletes_succeed(world, suspended, api_client, who, contract):
    actor, query = ACTORS[who](world)
    client = api_client(actor)
    suffix = "?onBehalfOfSubPartnerOrgId=" + query["onBehalfOfSubPartnerOrgId"] if query else ""
    sam, lobby, riverside = suspended["subscriber"], suspended["workspace"], suspended["customer"]
    assert client.delete(f"/v1/wholesale/subscribers/{sam.webex_id}{suffix}").status_code == 204
    assert client.delete(f"/v1/partner/workspaces/{lobby.webex_id}{suffix}").status_code == 204
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.delete(f"/v1/wholesale/customers/{riverside.webex_id}{suffix}").status_code == 202
    assert not Subscriber.objects.filter(pk=sam.pk).exists()
    assert not Workspace.objects.filter(pk=lobby.pk).exists()
    assert not Customer.objects.filter(pk=riverside.pk).exists()


# Every provisioning or update page: (method, url name, the object kwargs). GET where the page is a form the
# guard refuses, POST where there is none; the user import refuses on POST (its page shows the template).
PAGE_WRITES = {
    "create customer": ("get", "partner:customer_create", ()),
    "change packages": ("get", "partner:customer_packages", ("customer_id",)),
    "set up customer": ("get", "partner:customer_setup", ("customer_id",)),
    "restricted mode": ("post", "partner:customer_restricted_mode", ("customer_id",)),
    "add users": ("get", "control:user_add", ()),
    "import users": ("post", "control:user_import", ()),
    "change package": ("get", "control:user_package", ("subscriber_id",)),
    "consent again": ("post", "control:user_consent_send", ("subscriber_id",)),
    "add workspace": ("get", "control:workspace_create", ()),
    "edit workspace": ("get", "control:workspace_edit", ("workspace_id",)),
}


def _page_url(world, objects, name: str, kwargs: tuple) -> str:
    values = {
        "customer_id": objects["customer"].webex_id,
        "subscriber_id": objects["subscriber"].webex_id,
        "workspace_id": objects["workspace"].webex_id,
    }
    org = world.northwind if name.startswith("partner:") else objects["customer"].org
    return reverse(name, kwargs={"org_id": org.webex_id} | {k: values[k] for k in kwargs})


@pytest.mark.parametrize("who", ["northwind_admin", "acme_admin"])
@pytest.mark.parametrize("page", PAGE_WRITES)
def test_a_suspended_subpartners_write_pages_are_refused_with_the_reason(
    world, suspended, page_client, who, page
):
    method, name, kwargs = PAGE_WRITES[page]
    url = _page_url(world, suspended, name, kwargs)
    data = {"file": SimpleUploadedFile("users.csv", b"Email,Package\r\nx@riverside.test,webex_calling\r\n")}
    response = getattr(page_client(getattr(world, who)), method)(url, data if method == "post" else None)
    assert response.status_code == 403, (page, url, response.status_code)
    assert "Northwind Reseller is suspended" in response.content.decode()


@pytest.mark.parametrize("who", ["northwind_admin", "acme_admin"])
def test_a_suspended_subpartners_delete_pages_succeed(world, suspended, page_client, who):
    client = page_client(getattr(world, who))
    org_id = suspended["customer"].org.webex_id
    sam, lobby, riverside = suspended["subscriber"], suspended["workspace"], suspended["customer"]
    assert client.post(f"/org/{org_id}/users/{sam.webex_id}/remove/").status_code == 302
    assert client.post(f"/org/{org_id}/workspaces/{lobby.webex_id}/remove/").status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        url = f"/partner/{world.northwind.webex_id}/customers/{riverside.webex_id}/remove/"
        assert client.post(url).status_code == 302
    assert not Subscriber.objects.filter(pk=sam.pk).exists()
    assert not Workspace.objects.filter(pk=lobby.pk).exists()
    assert not Customer.objects.filter(pk=riverside.pk).exists()


def test_the_pages_grey_the_create_buttons_and_say_why(world, suspended, page_client):
    client = page_client(world.northwind_admin)
    page = client.get(f"/partner/{world.northwind.webex_id}/customers/").content.decode()
    assert 'disabled aria-describedby="create-customer-why"' in squash(page)
    assert f"Northwind Reseller is suspended ({REASON})" in page
    users = client.get(f"/org/{suspended['customer'].org.webex_id}/users/").content.decode()
    assert 'aria-describedby="add-users-why"' in users and "is suspended" in users
    # Its customer's own administrators are not the channel: restricted mode alone decides for them.
    users = page_client(world.riverside_admin).get(f"/org/{suspended['customer'].org.webex_id}/users/")
    assert "is suspended" not in users.content.decode()


def test_reactivated_it_provisions_again(world, suspended, page_client):
    subpartner_set_status(actor=world.acme_admin, subpartner=world.northwind, status=OrgStatus.ACTIVE)
    client = page_client(world.northwind_admin)
    assert client.get(f"/partner/{world.northwind.webex_id}/customers/new/").status_code == 200
