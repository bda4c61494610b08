"""``GET /v1/wholesale/subPartners`` against the official OpenAPI file, the partner API's sub-partners, and
``onBehalfOfSubPartnerOrgId`` honoured (or refused) on every ``/v1/partner/...`` route."""

import pytest
from django.urls import get_resolver

from apps.accounts.models import ApiScope
from apps.core.errors import ErrorCode as E
from apps.core.models import Organization
from apps.partners.selectors import partner_subscription_id
from apps.partners.services import partner_create
from apps.subpartners.services import setup_policy_update, subpartner_set_status

LIST = "/v1/wholesale/subPartners"
PARTNER_LIST = "/v1/partner/subPartners"


@pytest.fixture
def southwind(world):
    """A second, suspended sub-partner of Acme."""
    org = partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="s@sw.test"
    )
    subpartner_set_status(actor=world.acme_admin, subpartner=org, status="suspended", reason="Unpaid")
    org.refresh_from_db()
    return org


def test_the_list_matches_the_official_document(world, southwind, api_client, contract):
    listed = contract(api_client(world.acme_admin), "get", LIST)
    assert listed.response.status_code == 200
    items = listed.body["items"]
    assert [i["orgId"] for i in items] == [world.northwind.webex_id, southwind.webex_id]
    assert {i["subscriptionId"] for i in items} == {partner_subscription_id(partner=world.acme)}
    assert [i["provisioningState"] for i in items] == ["active", "suspended"]
    northwind = items[0]
    assert northwind["created"].endswith("Z") and northwind["billingStartDate"].endswith("T00:00:00.000Z")
    assert northwind["billingStartDate"][:10] == world.northwind.created.date().isoformat()


def test_filter_by_provisioning_state_and_pagination_with_link(world, southwind, api_client, contract):
    client = api_client(world.acme_admin)
    suspended = contract(client, "get", LIST, query={"provisioningState": "suspended"})
    assert [i["orgId"] for i in suspended.body["items"]] == [southwind.webex_id]
    first = contract(client, "get", LIST, query={"max": "1"})
    assert len(first.body["items"]) == 1 and 'rel="next"' in first.response["Link"]
    second = contract(client, "get", LIST, query={"max": "1", "offset": "1"})
    assert [i["orgId"] for i in second.body["items"]] == [southwind.webex_id]
    assert 'rel="prev"' in second.response["Link"] and 'rel="next"' not in second.response["Link"]
    for bad in ({"provisioningState": "deleted"}, {"max": "0"}, {"offset": "-1"}, {"max": "x"}):
        assert contract(client, "get", LIST, query=bad).response.status_code == 400


def test_only_the_callers_own_subpartners(world, southwind, api_client, contract):
    # A sub-partner has none of its own, sees neither its parent's nor a sibling's.
    northwind = api_client(world.northwind_admin)
    assert contract(northwind, "get", LIST).response.status_code == 403
    assert contract(northwind, "get", LIST, query={"orgId": world.acme.webex_id}).response.status_code == 404
    assert contract(northwind, "get", LIST, query={"orgId": southwind.webex_id}).response.status_code == 404
    # Another partner: 404 for Acme, its own (none) for itself.
    globex = api_client(world.globex_admin)
    assert contract(globex, "get", LIST, query={"orgId": world.acme.webex_id}).response.status_code == 404
    assert contract(globex, "get", LIST).body["items"] == []
    # Acting for a sub-partner makes no sense here: a 400, never ignored.
    query = {"onBehalfOfSubPartnerOrgId": world.northwind.webex_id}
    refused = contract(api_client(world.acme_admin), "get", LIST, query=query)
    assert refused.response.status_code == 400 and "onBehalfOfSubPartnerOrgId" in refused.body["message"]


def test_the_scope_is_wholesale_sub_partners_read(world, api_client, contract):
    without = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_CUSTOMERS_READ])
    assert contract(without, "get", LIST).response.status_code == 403
    only = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_SUB_PARTNERS_READ])
    assert contract(only, "get", LIST).response.status_code == 200


def test_the_partner_api_sets_up_suspends_and_removes(world, api_client):
    client = api_client(world.acme_admin)
    listed = client.get(PARTNER_LIST).json()["items"]
    assert listed[0] | {"created": "", "billingStartDate": ""} == {
        "orgId": world.northwind.webex_id,
        "subscriptionId": partner_subscription_id(partner=world.acme),
        "provisioningState": "active",
        "created": "",
        "billingStartDate": "",
        "displayName": "Northwind Reseller",
        "statusReason": "",
        "customerCount": 1,
        "subscriberCount": 1,
    }
    refused = client.post(PARTNER_LIST, {"displayName": "", "adminEmail": "a@eastwind.test"}, format="json")
    assert refused.status_code == 400
    made = client.post(
        PARTNER_LIST,
        {
            "displayName": "Eastwind Reseller",
            "adminEmail": "a@eastwind.test",
            "billingStartDate": "2026-12-01",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["state"] == "approved"
    org_id = made.json()["orgId"]
    detail = f"{PARTNER_LIST}/{org_id}"
    assert client.get(detail).json()["billingStartDate"] == "2026-12-01T00:00:00.000Z"
    body = client.put(detail, {"provisioningState": "suspended"}, format="json").json()
    assert body["errors"][0]["errorCode"] == E.SUBPARTNER_REASON_REQUIRED
    body = client.put(
        detail, {"provisioningState": "suspended", "statusReason": "Unpaid"}, format="json"
    ).json()
    assert (body["provisioningState"], body["statusReason"]) == ("suspended", "Unpaid")
    assert client.delete(detail).status_code == 204
    assert not Organization.objects.filter(name="Eastwind Reseller").exists()
    kept = client.delete(f"{PARTNER_LIST}/{world.northwind.webex_id}")
    assert kept.status_code == 409 and kept.json()["errors"][0]["errorCode"] == E.SUBPARTNER_HAS_CUSTOMERS


def test_with_the_policy_a_partner_api_setup_is_accepted_pending(world, api_client):
    setup_policy_update(actor=world.operator, needs_approval=True)
    made = api_client(world.acme_admin).post(
        PARTNER_LIST, {"displayName": "Eastwind Reseller", "adminEmail": "a@eastwind.test"}, format="json"
    )
    assert made.status_code == 202 and made.json()["state"] == "pending" and "orgId" not in made.json()


def test_only_a_full_admin_of_the_parent_writes(world, api_client):
    client = api_client(world.acme_wholesale)
    assert client.get(PARTNER_LIST).status_code == 200
    made = client.post(PARTNER_LIST, {"displayName": "X", "adminEmail": "x@x.test"}, format="json")
    assert made.status_code == 403
    detail = f"{PARTNER_LIST}/{world.northwind.webex_id}"
    assert (
        client.put(detail, {"provisioningState": "suspended", "statusReason": "x"}, format="json").status_code
        == 403
    )


# --- onBehalfOfSubPartnerOrgId on every /v1/partner/... route ---------------------------------------------

PARTNER_ROUTES = sorted(
    {
        "/v1/" + str(p.pattern)
        for r in get_resolver().url_patterns
        if str(r.pattern) == "v1/"
        for inc in r.url_patterns
        for p in getattr(inc, "url_patterns", [inc])
        if str(p.pattern).startswith("partner/") and "<" not in str(p.pattern)
    }
)


def test_every_collection_route_is_covered():
    assert set(PARTNER_ROUTES) >= {
        "/v1/partner/admins",
        "/v1/partner/auditEvents",
        "/v1/partner/onboardingTemplates",
        "/v1/partner/locations",
        "/v1/partner/workspaces",
        "/v1/partner/subPartners",
    }


BILLING_ROUTES = {"/v1/partner/setupAssistOrders"}


@pytest.mark.parametrize("path", PARTNER_ROUTES)
def test_on_behalf_of_is_honoured_or_refused_on_every_partner_route(world, api_client, path):
    """Acting for Northwind reads Northwind's (never Acme's); a sub-partner out of reach is a 404; an
    endpoint that cannot act for a sub-partner says so (400)."""
    acme = api_client(world.acme_admin)
    northwind = world.northwind.webex_id
    response = acme.get(path, {"onBehalfOfSubPartnerOrgId": northwind})
    if path == PARTNER_LIST:
        assert response.status_code == 400
        return
    if path in BILLING_ROUTES:  # the guide's cross-launch exclusions: a parent bills its own, not for a child
        assert response.status_code == 403, (path, response.content)
        assert "billing" in response.json()["message"]
        return
    assert response.status_code == 200, (path, response.content)
    if "items" in response.json():  # a list; a single resource (the partner's branding) is the sub-partner's
        own = acme.get(path).json()["items"]
        acted = response.json()["items"]
        assert acted != own or own == [], path  # the sub-partner's own, not the caller's
    for target in (world.globex, world.blue_harbor.org):  # another partner; a customer is no sub-partner
        assert acme.get(path, {"onBehalfOfSubPartnerOrgId": target.webex_id}).status_code == 404
    # A sub-partner cannot act on behalf of anyone, its own organisation included.
    assert (
        api_client(world.northwind_admin).get(path, {"onBehalfOfSubPartnerOrgId": northwind}).status_code
        == 404
    )


def test_a_write_acting_for_a_subpartner_lands_in_the_subpartner(world, api_client):
    """Before, the parameter was ignored and the template landed in the caller's own organisation."""
    from apps.onboarding.models import OnboardingTemplate

    body = {"name": "Northwind Extra", "country": "GB", "language": "en_GB"}
    made = api_client(world.acme_admin).post(
        f"/v1/partner/onboardingTemplates?onBehalfOfSubPartnerOrgId={world.northwind.webex_id}",
        body,
        format="json",
    )
    assert made.status_code == 201, made.content
    assert OnboardingTemplate.objects.get(name="Northwind Extra").partner == world.northwind


def test_acting_for_a_subpartner_with_an_org_of_another(world, api_client, southwind):
    acme = api_client(world.acme_admin)
    query = {"onBehalfOfSubPartnerOrgId": world.northwind.webex_id}
    # orgId inside the sub-partner (its customer) is honoured; outside it (the sibling's) is a 404.
    assert (
        acme.get("/v1/partner/locations", query | {"orgId": world.riverside.org.webex_id}).status_code == 200
    )
    assert acme.get("/v1/partner/auditEvents", query | {"orgId": southwind.webex_id}).status_code == 404
    assert (
        acme.get("/v1/partner/auditEvents", query | {"orgId": world.blue_harbor.org.webex_id}).status_code
        == 404
    )
