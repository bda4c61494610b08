"""``/v1/wholesale/customers``: wire-compatible with Webex. Every response here is validated against the
official OpenAPI document (``contract``), errors are the Webex error body with stable ``errorCode``s."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope
from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent, Organization
from apps.customers.models import Customer, CustomerStatus
from apps.onboarding.models import OnboardingTemplate
from tests.factories import CustomerFactory

LIST = "/v1/wholesale/customers"
VALIDATE = "/v1/wholesale/customers/validate"


def detail(customer: Customer) -> str:
    return f"{LIST}/{customer.webex_id}"


@pytest.fixture
def body(world):
    def make(**overrides) -> dict:
        data = {
            "provisioningId": OnboardingTemplate.objects.get(partner=world.acme).provisioning_id,
            "packages": ["webex_calling"],
            "externalId": "c1677a16-557a-4fb4-b48f-24adde57ec99",
            "address": {
                "addressLine1": "771 Alder Drive",
                "addressLine2": "Cisco Site 5",
                "city": "Milpitas",
                "stateOrProvince": "CA",
                "zipOrPostalCode": "95035",
                "country": "US",
            },
            "customerInfo": {
                "name": "John's Pizza",
                "primaryEmail": "john.anderson@pizza.test",
                "language": "en",
            },
            "provisioningParameters": {
                "calling": {
                    "location": {
                        "name": "Head Office",
                        "address": {
                            "addressLine1": "771 Alder Drive",
                            "addressLine2": "Cisco Site 5",
                            "city": "Milpitas",
                            "stateOrProvince": "CA",
                            "zipOrPostalCode": "95035",
                            "country": "US",
                        },
                        "timezone": "America/Los_Angeles",
                        "language": "en_us",
                        "emergencyLocationIdentifier": "95547321",
                    }
                },
                "meetings": {"timezone": "America/Los_Angeles"},
                "packages": {"limits": {"webex_calling": 50, "webex_meetings": 50}},
            },
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


def error_codes(exchange) -> list[int]:
    return [e.get("errorCode") for e in exchange.body["errors"]]


# --- create ------------------------------------------------------------------------------------------------


def test_provisioning_answers_202_with_the_url_and_the_customer_shows_its_progress(
    world, acme, body, contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        created = contract(acme, "post", LIST, body=body())
    assert created.response.status_code == 202
    url = created.body["url"]
    assert created.response["Location"] == url and url.startswith("http://testserver/v1/wholesale/customers/")
    customer_id = url.rsplit("/", 1)[1]  # what the Java reference app does
    customer = Customer.objects.get(external_id="c1677a16-557a-4fb4-b48f-24adde57ec99")
    assert customer.webex_id == customer_id

    pending = contract(acme, "get", f"{LIST}/{customer_id}")
    assert pending.body["status"] == "provisioning" and "orgId" not in pending.body
    assert pending.body["resourceDetails"] == {
        "packages": [{"name": "webex_calling", "status": "provisioning"}]
    }

    for callback in callbacks:
        callback()  # the task, once the request committed
    done = contract(acme, "get", f"{LIST}/{customer_id}")
    assert done.body == {
        "id": customer_id,
        "orgId": customer.org.webex_id,
        "externalId": "c1677a16-557a-4fb4-b48f-24adde57ec99",
        "address": {
            "addressLine1": "771 Alder Drive",
            "addressLine2": "Cisco Site 5",
            "city": "Milpitas",
            "stateOrProvince": "CA",
            "zipOrPostalCode": "95035",
            "country": "US",
        },
        "status": "provisioned",
        "packages": ["webex_calling"],
        "resourceDetails": {"packages": [{"name": "webex_calling", "status": "provisioned"}]},
    }
    customer.refresh_from_db()
    assert customer.org.name == "John's Pizza" and customer.package_limits == {
        "webex_calling": 50,
        "webex_meetings": 50,
    }
    assert customer.org_locale == "en_US" and customer.meetings_timezone == "America/Los_Angeles"
    event = AuditEvent.objects.get(action="customer.provision_request", target_id=str(customer.pk))
    assert event.channel == "api" and event.actor == world.acme_admin


def test_clients_sending_json_with_a_charset_on_every_call_are_served(world, acme, body):
    headers = {"content_type": "application/json;charset=utf-8"}
    response = acme.post(LIST, data=json.dumps(body()), **headers)
    assert response.status_code == 202
    url = response.json()["url"]
    assert acme.get(url, **headers).status_code == 200
    assert acme.delete(url, **headers).status_code == 202


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"provisioningId": "nope"}, 400, ErrorCode.PROVISIONING_ID_UNKNOWN, "provisioningId"),
        ({"packages": ["cisco_calling_plan"]}, 400, ErrorCode.ADDON_WITHOUT_BASE, "packages"),
        ({"provisioningParameters": {}}, 400, ErrorCode.CALLING_LOCATION_REQUIRED, "provisioningParameters"),
        ({"externalId": "BLUE"}, 409, ErrorCode.EXTERNAL_ID_IN_USE, "externalId"),
        (
            {"customerInfo": {"name": "Pizza", "primaryEmail": "admin@initech.test"}},
            409,
            ErrorCode.EMAIL_IN_USE,
            "customerInfo.primaryEmail",
        ),
        (
            {"customerInfo": {"name": "100% Pizza", "primaryEmail": "a@b.test"}},
            400,
            ErrorCode.NAME_INVALID,
            "name",
        ),
        (
            {"customerInfo": {"name": "X", "primaryEmail": "a@b.test", "language": "xx_YY"}},
            400,
            4010,
            "language",
        ),
        (
            {"address": {"addressLine1": "x" * 51, "city": "Milpitas", "country": "US"}},
            400,
            ErrorCode.ADDRESS_INVALID,
            "address.addressLine1",
        ),
        (
            {"address": {"addressLine1": "1", "city": "M", "country": "ZZ"}},
            400,
            ErrorCode.COUNTRY_UNKNOWN,
            "country",
        ),
        ({"orgId": Organization().webex_id}, 400, 4101, "organisation"),
    ],
)
def test_a_refused_order_is_the_webex_error_body_with_its_code_and_writes_nothing(
    world, acme, body, contract, change, status, code, field
):
    customers, events = Customer.objects.count(), AuditEvent.objects.count()
    for path in (LIST, VALIDATE):
        refused = contract(acme, "post", path, body=body(**change))
        assert refused.response.status_code == status, refused.body
        assert code in error_codes(refused), refused.body
        assert any(field in e["description"] for e in refused.body["errors"]), refused.body
        assert refused.body["trackingId"] == refused.response["TrackingID"]
    assert (Customer.objects.count(), AuditEvent.objects.count()) == (customers, events)


def test_a_bad_time_zone_in_the_calling_location(world, acme, body, contract):
    data = body()
    data["provisioningParameters"]["calling"]["location"]["timezone"] = "Pacific/Atlantis"
    refused = contract(acme, "post", LIST, body=data)
    assert refused.response.status_code == 400
    assert refused.body["errors"] == [
        {
            "description": "provisioningParameters.calling.location.timezone: “Pacific/Atlantis” is not a "
            "time zone (such as Europe/Berlin).",
            "errorCode": ErrorCode.TIME_ZONE_UNKNOWN,
        }
    ]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"provisioningId": 5, "packages": ["webex_calling"], "externalId": "x", "address": {}},
        {"packages": "webex_calling"},
        {"packages": ["webex_teleport"]},
        {"address": "Main Street"},
        {"provisioningParameters": {"packages": {"limits": {"webex_calling": "50"}}}},
        {"provisioningParameters": {"packages": {"limits": {"webex_calling": True}}}},
        {"customerInfo": {"name": ["a"], "primaryEmail": "a@b.test"}},
        [],
        "text",
    ],
)
def test_malformed_bodies_are_a_400(world, acme, body, contract, data):
    payload = {**body(), **data} if isinstance(data, dict) and data else data
    refused = contract(acme, "post", LIST, body=payload)
    assert refused.response.status_code == 400
    assert not Customer.objects.filter(org__name="John's Pizza").exists()


def test_attaching_an_existing_organisation_needs_no_customer_info(world, acme, body, contract):
    from apps.provisioning.services.attach import existing_org_create

    contoso = existing_org_create(actor=world.operator, name="Contoso Ltd", admin_email="admin@contoso.test")
    data = body(orgId=contoso.webex_id, packages=["webex_meetings"])
    del data["customerInfo"], data["provisioningParameters"]
    assert contract(acme, "post", VALIDATE, body=data).response.status_code == 200
    created = contract(acme, "post", LIST, body=data)
    assert created.response.status_code == 202
    assert Customer.objects.get(org=contoso).existing_org
    again = contract(acme, "post", LIST, body={**data, "externalId": "other"})
    assert again.response.status_code == 409 and error_codes(again) == [4104]


def test_another_partners_organisation_is_a_conflict(world, acme, body, contract):
    refused = contract(acme, "post", VALIDATE, body=body(orgId=world.initech.org.webex_id))
    assert refused.response.status_code == 409 and error_codes(refused) == [4103]


# --- validate ----------------------------------------------------------------------------------------------


def test_the_precheck_answers_success_and_writes_nothing(world, acme, body, contract):
    customers, events = Customer.objects.count(), AuditEvent.objects.count()
    for data in (
        body(),
        {"address": body()["address"]},
        {"address": body()["address"], "customerInfo": {"primaryEmail": "new.person@pizza.test"}},
    ):
        ok = contract(acme, "post", VALIDATE, body=data)
        assert ok.response.status_code == 200
        assert ok.body == {
            "message": "success",
            "info": [{"infoCode": 100, "description": "Provisioning preCheck validation successful."}],
        }
    assert (Customer.objects.count(), AuditEvent.objects.count()) == (customers, events)


def test_a_new_organisation_needs_a_name_which_the_precheck_does_not_ask_for(world, acme, body, contract):
    data = body(customerInfo={"primaryEmail": "a@b.test"})
    refused = contract(acme, "post", LIST, body=data)
    assert refused.response.status_code == 400 and error_codes(refused) == [ErrorCode.NAME_INVALID]
    assert contract(acme, "post", VALIDATE, body=data).response.status_code == 200


def test_the_precheck_needs_an_address(world, acme, contract):
    refused = contract(acme, "post", VALIDATE, body={"customerInfo": {"primaryEmail": "a@b.test"}})
    assert refused.response.status_code == 400


# --- list --------------------------------------------------------------------------------------------------


def test_the_list_shows_the_partners_customers(world, acme, contract):
    listed = contract(acme, "get", LIST)
    assert [c["externalId"] for c in listed.body["items"]] == ["BLUE", "CEDA"]  # oldest first; not Riverside
    blue = listed.body["items"][0]
    assert blue["status"] == "provisioned" and blue["orgId"] == world.blue_harbor.org.webex_id
    assert blue["packages"] == ["webex_calling", "webex_suite"]
    assert "Link" not in listed.response


def test_the_list_filters(world, acme, contract, body):
    CustomerFactory(actor=world.acme_admin, partner=world.acme, name="Pending Co", external_id="PEND")

    def ids(query) -> list[str]:
        exchange = contract(acme, "get", LIST, query=query)
        assert exchange.response.status_code == 200, exchange.body
        return [c["externalId"] for c in exchange.body["items"]]

    assert ids({"externalId": "CEDA"}) == ["CEDA"]
    assert ids({"externalId": "nobody"}) == []
    assert ids({"orgId": world.blue_harbor.org.webex_id}) == ["BLUE"]
    assert ids({"status": "provisioning"}) == ["PEND"]
    assert ids([("status", "provisioning"), ("status", "provisioned")]) == ["BLUE", "CEDA", "PEND"]
    assert ids({"status": "provisioned,provisioning"}) == ["BLUE", "CEDA", "PEND"]
    assert ids({"status": "error"}) == []
    for bad in (
        {"status": "bogus"},
        {"status": "provisioned,"},
        {"max": "0"},
        {"offset": "-1"},
        {"max": "x"},
    ):
        assert contract(acme, "get", LIST, query=bad).response.status_code == 400, bad


def test_the_list_pages_with_complete_link_headers(world, acme, contract):
    for n in range(5):
        CustomerFactory(actor=world.acme_admin, partner=world.acme, external_id=f"P-{n}")
    first = contract(acme, "get", LIST, query=[("status", "provisioning"), ("max", "2")])
    assert [c["externalId"] for c in first.body["items"]] == ["P-0", "P-1"]
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.response["Link"]))
    assert set(links) == {"next"}
    # Every filter, the offset and max, and the cursor of the last row shown (a seek, not an OFFSET).
    next_url = "http://testserver/v1/wholesale/customers?status=provisioning&offset=2&max=2&cursor="
    assert links["next"].startswith(next_url)
    second = acme.get(links["next"])
    assert [c["externalId"] for c in second.json()["items"]] == ["P-2", "P-3"]
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', second["Link"]))
    assert set(links) == {"next", "prev"} and "offset=0" in links["prev"]
    last = acme.get(links["next"])
    assert [c["externalId"] for c in last.json()["items"]] == ["P-4"] and 'rel="next"' not in last.get(
        "Link", ""
    )


def test_the_list_costs_the_same_queries_at_any_size(world, acme):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert acme.get(LIST, {"max": "100"}).status_code == 200
        return len(captured)

    acme.get(LIST)  # the token's first use is recorded once a minute: out of the way
    few = queries()
    for _ in range(12):
        CustomerFactory(
            actor=world.acme_admin, partner=world.acme, packages=["webex_calling", "webex_meetings"]
        )
    assert queries() == few


def test_a_partner_admin_lists_its_assigned_customers_only(world, api_client, contract):
    listed = contract(api_client(world.acme_partner_admin), "get", LIST)
    assert [c["externalId"] for c in listed.body["items"]] == ["BLUE"]
    hidden = contract(api_client(world.acme_partner_admin), "get", detail(world.cedar_pine))
    assert hidden.response.status_code == 404


# --- get ---------------------------------------------------------------------------------------------------


def test_license_ids_only_when_asked(world, acme, contract):
    plain = contract(acme, "get", detail(world.blue_harbor))
    assert all("licenseIds" not in p for p in plain.body["resourceDetails"]["packages"])
    with_info = contract(acme, "get", detail(world.blue_harbor), query={"includePackageLicenseInfo": "true"})
    packages = with_info.body["resourceDetails"]["packages"]
    assert [len(p["licenseIds"]) for p in packages] == [1, 1]
    for package in world.blue_harbor.packages.all():
        assert package.license_ids[0] in {p["licenseIds"][0] for p in packages}
    bad = contract(acme, "get", detail(world.blue_harbor), query={"includePackageLicenseInfo": "maybe"})
    assert bad.response.status_code == 400


@pytest.mark.parametrize(
    "customer_id", ["garbage", "Y2lzY29zcGFyazovL3VzL0NVU1RPTUVSLzEyMw", "validate-not", "x" * 300]
)
def test_unknown_customer_ids_are_a_404(world, acme, contract, customer_id):
    for method in ("get", "delete"):
        assert contract(acme, method, f"{LIST}/{customer_id}").response.status_code == 404


def test_provisioned_with_errors_shows_the_package_errors(
    world, acme, body, contract, django_capture_on_commit_callbacks
):
    data = body(packages=["webex_calling", "cisco_calling_plan"])
    data["address"]["country"] = "DE"
    data["provisioningParameters"]["calling"]["location"]["address"]["country"] = "DE"
    data["provisioningParameters"]["calling"]["location"]["timezone"] = "Europe/Berlin"
    with django_capture_on_commit_callbacks(execute=True):
        url = contract(acme, "post", LIST, body=data).body["url"]
    shown = contract(acme, "get", url.replace("http://testserver", ""))
    assert shown.body["status"] == "provisioned_with_errors" and "orgId" in shown.body
    plan = next(p for p in shown.body["resourceDetails"]["packages"] if p["name"] == "cisco_calling_plan")
    assert plan["status"] == "error" and plan["errors"][0]["errorCode"] == ErrorCode.CALLING_PLAN_UNAVAILABLE


# --- update ------------------------------------------------------------------------------------------------


def test_put_replaces_the_packages(world, acme, contract, django_capture_on_commit_callbacks):
    cedar = world.cedar_pine
    with django_capture_on_commit_callbacks() as callbacks:
        accepted = contract(
            acme,
            "put",
            detail(cedar),
            body={"packages": ["webex_calling", "webex_meetings"], "externalId": "CEDAR-2"},
        )
    assert accepted.response.status_code == 202
    assert accepted.body["url"] == accepted.response["Location"] == f"http://testserver{detail(cedar)}"
    updating = contract(acme, "get", detail(cedar))
    assert updating.body["status"] == "updating" and updating.body["externalId"] == "CEDAR-2"
    for callback in callbacks:
        callback()
    updated = contract(acme, "get", detail(cedar))
    assert updated.body["status"] == "provisioned"
    assert updated.body["packages"] == ["webex_calling", "webex_meetings"]


def test_put_refusals(world, acme, contract):
    blue = world.blue_harbor
    held = contract(acme, "put", detail(blue), body={"packages": ["webex_suite"]})
    assert held.response.status_code == 409 and error_codes(held) == [ErrorCode.PACKAGE_IN_USE]
    assert contract(acme, "put", detail(blue), body={"packages": []}).response.status_code == 400
    assert contract(acme, "put", detail(blue), body={}).response.status_code == 400
    taken = contract(
        acme, "put", detail(blue), body={"packages": ["webex_calling", "webex_suite"], "externalId": "CEDA"}
    )
    assert taken.response.status_code == 409 and error_codes(taken) == [ErrorCode.EXTERNAL_ID_IN_USE]
    pending = CustomerFactory(actor=world.acme_admin, partner=world.acme)
    busy = contract(acme, "put", detail(pending), body={"packages": ["webex_calling"]})
    assert busy.response.status_code == 409 and error_codes(busy) == [ErrorCode.CUSTOMER_BUSY]
    blue.refresh_from_db()
    assert blue.status == CustomerStatus.PROVISIONED


# --- delete ------------------------------------------------------------------------------------------------


def test_delete_removes_the_wholesale_services(world, acme, contract, django_capture_on_commit_callbacks):
    blue = world.blue_harbor
    with django_capture_on_commit_callbacks(execute=True):
        removed = contract(acme, "delete", detail(blue))
    assert removed.response.status_code == 202 and removed.response.content == b""
    assert contract(acme, "get", detail(blue)).response.status_code == 404
    assert [c["externalId"] for c in contract(acme, "get", LIST).body["items"]] == ["CEDA"]
    assert Organization.objects.filter(pk=blue.org.pk).exists()


# --- who may -----------------------------------------------------------------------------------------------


def test_a_read_only_admin_reads_but_changes_nothing(world, api_client, body, contract):
    readonly = api_client(world.acme_readonly)
    assert contract(readonly, "get", LIST).response.status_code == 200
    assert contract(readonly, "get", detail(world.cedar_pine)).response.status_code == 200
    for method, path, data in (
        ("post", LIST, body()),
        ("post", VALIDATE, body()),
        ("put", detail(world.cedar_pine), {"packages": ["webex_calling"]}),
        ("delete", detail(world.cedar_pine), None),
    ):
        assert contract(readonly, method, path, body=data).response.status_code == 403, (method, path)
    assert Customer.objects.get(pk=world.cedar_pine.pk).status == CustomerStatus.PROVISIONED


def test_scopes(world, api_client, body, contract):
    reader = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_CUSTOMERS_READ])
    assert contract(reader, "get", LIST).response.status_code == 200
    assert contract(reader, "post", VALIDATE, body=body()).response.status_code == 403
    assert contract(reader, "delete", detail(world.cedar_pine)).response.status_code == 403
    other = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_SUBSCRIBERS_READ])
    assert contract(other, "get", LIST).response.status_code == 403
    anonymous = contract(APIClient(), "get", LIST)
    assert anonymous.response.status_code == 401


def test_on_behalf_of_a_sub_partner(
    world, acme, api_client, body, contract, django_capture_on_commit_callbacks
):
    northwind_id = world.northwind.webex_id
    listed = contract(acme, "get", LIST, query={"onBehalfOfSubPartnerOrgId": northwind_id})
    assert [c["externalId"] for c in listed.body["items"]] == ["RIVE"]
    template = OnboardingTemplate.objects.get(partner=world.northwind)
    data = body(provisioningId=template.provisioning_id, externalId="NW-9")
    assert (
        contract(
            acme, "post", VALIDATE, query={"onBehalfOfSubPartnerOrgId": northwind_id}, body=data
        ).response.status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = contract(acme, "post", LIST, query={"onBehalfOfSubPartnerOrgId": northwind_id}, body=data)
    assert created.response.status_code == 202
    customer = Customer.objects.get(external_id="NW-9")
    assert customer.org.parent == world.northwind and customer.status == CustomerStatus.PROVISIONED
    # The sub-partner sees it as its own; the parent reaches it through the url as well.
    own = contract(api_client(world.northwind_admin), "get", LIST)
    assert [c["externalId"] for c in own.body["items"]] == ["RIVE", "NW-9"]
    assert (
        contract(acme, "get", created.body["url"].replace("http://testserver", "")).response.status_code
        == 200
    )
    # The parent's own template is not the sub-partner's.
    refused = contract(acme, "post", VALIDATE, query={"onBehalfOfSubPartnerOrgId": northwind_id}, body=body())
    assert error_codes(refused) == [ErrorCode.PROVISIONING_ID_UNKNOWN]


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("northwind_admin", "acme"),  # upwards
        ("globex_admin", "northwind"),  # another partner's sub-partner
        ("acme_readonly", "northwind"),  # no indirect reach without both roles
        ("acme_admin", "acme"),  # not a sub-partner
        ("acme_admin", "globex"),
    ],
)
def test_on_behalf_of_someone_out_of_reach_is_a_404(world, api_client, body, contract, who, target):
    client = api_client(getattr(world, who))
    query = {"onBehalfOfSubPartnerOrgId": getattr(world, target).webex_id}
    for method, path, data in (("get", LIST, None), ("post", LIST, body()), ("post", VALIDATE, body())):
        assert contract(client, method, path, query=query, body=data).response.status_code == 404
    assert contract(client, "get", detail(world.riverside), query=query).response.status_code == 404


def test_another_partners_customer_is_a_404_everywhere(world, api_client, contract):
    globex = api_client(world.globex_admin)
    for method, data in (("get", None), ("put", {"packages": ["webex_calling"]}), ("delete", None)):
        assert contract(globex, method, detail(world.blue_harbor), body=data).response.status_code == 404
    assert (
        contract(globex, "get", LIST, query={"orgId": world.blue_harbor.org.webex_id}).response.status_code
        == 404
    )
    assert Customer.objects.get(pk=world.blue_harbor.pk).status == CustomerStatus.PROVISIONED
