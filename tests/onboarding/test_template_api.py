"""/v1/partner/onboardingTemplates: shape, scopes, the Webex error body, pagination, acting for others."""

import pytest

from apps.accounts.models import ApiScope
from apps.core.models import AuditEvent
from apps.onboarding.models import OnboardingTemplate
from apps.onboarding.services import template_create
from apps.partners.selectors import partner_subscription_id

LIST = "/v1/partner/onboardingTemplates"
KEYS = {
    "id",
    "name",
    "provisioningId",
    "subscriptionId",
    "country",
    "language",
    "authMode",
    "idpEntityId",
    "idpName",
    "pstnVendor",
    "sendAdminInviteEmail",
    "allowAdminInviteOnAttach",
    "extensionLength",
    "voicemailEnabled",
    "internationalCalling",
    "created",
    "modified",
}


@pytest.fixture
def created(world):
    """The templates this test made (the world brings one per partner)."""
    before = set(OnboardingTemplate.objects.values_list("pk", flat=True))
    return lambda: OnboardingTemplate.objects.exclude(pk__in=before)


def detail(template_or_id) -> str:
    return f"{LIST}/{getattr(template_or_id, 'provisioning_id', template_or_id)}"


def make(world, partner=None, actor=None, **overrides):
    values = {"name": "Small business", "country": "US", "language": "en_US"} | overrides
    return template_create(actor=actor or world.acme_admin, partner=partner or world.acme, **values)


def assert_webex_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "errors", "trackingId"} and body["errors"]
    assert all("description" in e for e in body["errors"])
    return body


def test_create_answers_201_with_the_template(world, api_client, created):
    response = api_client(world.acme_admin).post(
        LIST,
        {
            "name": "SMB SAML",
            "country": "gb",
            "language": "en",
            "authMode": "partner_saml",
            "idpEntityId": "https://idp.example/e",
            "extensionLength": 5,
            "allowAdminInviteOnAttach": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == KEYS
    template = created().get()
    assert body["id"] == body["provisioningId"] == template.provisioning_id
    assert body["subscriptionId"] == partner_subscription_id(partner=world.acme)
    assert (body["country"], body["language"], body["authMode"]) == ("GB", "en", "partner_saml")
    assert (body["extensionLength"], body["allowAdminInviteOnAttach"], body["voicemailEnabled"]) == (
        5,
        True,
        True,
    )
    assert body["idpName"] == "" and body["pstnVendor"] == ""
    assert AuditEvent.objects.get(action="template.create", target_id=str(template.pk)).channel == "api"


def test_get_and_list(world, api_client):
    template = make(world)
    client = api_client(world.acme_readonly)
    body = client.get(detail(template)).json()
    assert body["name"] == "Small business" and set(body) == KEYS
    items = client.get(LIST, {"max": 100}).json()["items"]
    assert template.provisioning_id in [i["provisioningId"] for i in items]
    assert all(set(i) == KEYS for i in items)


def test_the_list_pages_with_link_headers(world, api_client):
    for n in range(5):
        make(world, name=f"T{n}")
    client = api_client(world.acme_admin)
    seen, url = [], f"{LIST}?max=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [i["name"] for i in response.json()["items"]]
        link = response.headers.get("Link", "")
        nxt = [part for part in link.split(", ") if 'rel="next"' in part]
        url = nxt[0].split(">")[0].lstrip("<").replace("http://testserver", "") if nxt else None
        if url:
            assert "max=2" in url and "offset=" in url
    expected = [t.name for t in OnboardingTemplate.objects.filter(partner=world.acme).order_by("name", "id")]
    assert seen == expected and len(expected) >= 6 and len(set(seen)) == len(seen)


def test_put_changes_what_it_names_and_keeps_the_rest(world, api_client):
    template = make(world, pstn_vendor="Lumen", voicemail_enabled=False)
    response = api_client(world.acme_wholesale).put(
        detail(template), {"name": "Renamed", "country": "US", "language": "en_US", "extensionLength": 3}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["extensionLength"], body["pstnVendor"], body["voicemailEnabled"]) == (
        "Renamed",
        3,
        "Lumen",
        False,
    )


def test_delete_answers_204_then_the_template_is_gone(world, api_client, created):
    template = make(world)
    client = api_client(world.acme_admin)
    assert client.delete(detail(template)).status_code == 204
    assert_webex_error(client.get(detail(template)), 404)
    assert not created().exists()


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({}, "name"),
        ({"name": "X", "country": "US"}, "language"),
        ({"name": "", "country": "US", "language": "en"}, "name"),
        ({"name": "X", "country": "XX", "language": "en"}, "country"),
        ({"name": "X", "country": "USA", "language": "en"}, "country"),
        ({"name": "X", "country": "US", "language": "xx"}, "language"),
        ({"name": "X", "country": "US", "language": "en", "authMode": "partner_oidc"}, "idp_name"),
        ({"name": "X", "country": "US", "language": "en", "authMode": "ldap"}, "authMode"),
        ({"name": "X", "country": "US", "language": "en", "extensionLength": 9}, "extensionLength"),
        ({"name": "X", "country": "US", "language": "en", "extensionLength": "4"}, "extensionLength"),
        ({"name": "X", "country": "US", "language": "en", "voicemailEnabled": "true"}, "voicemailEnabled"),
        ({"name": "X", "country": "US", "language": "en", "voicemailEnabled": 1}, "voicemailEnabled"),
        ({"name": 5, "country": "US", "language": "en"}, "name"),
        ({"name": "X", "country": "US", "language": "en", "pstnVendor": "Nobody"}, "pstnVendor"),
        ({"name": "X", "country": "US", "language": "en", "subscriptionId": "Sub1"}, "subscription_id"),
    ],
)
def test_bad_input_is_a_400_in_the_webex_body_and_writes_nothing(world, api_client, body, mentions, created):
    response = api_client(world.acme_admin).post(LIST, body, format="json")
    error = assert_webex_error(response, 400)
    assert any(mentions in e["description"] for e in error["errors"]), error
    assert not created().exists()


def test_a_taken_name_is_a_400(world, api_client):
    make(world, name="SMB")
    error = assert_webex_error(
        api_client(world.acme_admin).post(LIST, {"name": "smb", "country": "US", "language": "en"}), 400
    )
    assert "already exists" in error["message"]


def test_scopes_are_required(world, api_client):
    template = make(world)
    read_only = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_CUSTOMERS_READ])
    assert read_only.get(LIST).status_code == 200
    assert_webex_error(read_only.post(LIST, {"name": "X", "country": "US", "language": "en"}), 403)
    assert_webex_error(read_only.delete(detail(template)), 403)
    other = api_client(world.acme_admin, scopes=[ApiScope.PEOPLE_READ])
    assert_webex_error(other.get(LIST), 403)


def test_a_read_only_admin_reads_but_may_not_write(world, api_client, created):
    template = make(world)
    client = api_client(world.acme_readonly)
    assert client.get(detail(template)).status_code == 200
    assert_webex_error(client.post(LIST, {"name": "X", "country": "US", "language": "en"}), 403)
    assert_webex_error(client.put(detail(template), {"name": "X", "country": "US", "language": "en"}), 403)
    assert_webex_error(client.delete(detail(template)), 403)
    assert created().get().name == "Small business"


def test_acting_for_an_indirect_provider_with_org_id(world, api_client, created):
    client = api_client(world.acme_admin)
    response = client.post(
        f"{LIST}?orgId={world.northwind.webex_id}", {"name": "Reseller", "country": "US", "language": "en"}
    )
    assert response.status_code == 201
    template = created().get()
    assert template.partner == world.northwind
    assert response.json()["subscriptionId"] == partner_subscription_id(partner=world.acme)

    # Not in acme's own list; in northwind's, for acme acting and for northwind itself.
    def names(client, query=""):
        return [i["name"] for i in client.get(f"{LIST}{query}").json()["items"]]

    assert "Reseller" not in names(client)
    assert "Reseller" in names(client, f"?orgId={world.northwind.webex_id}")
    assert "Reseller" in names(api_client(world.northwind_admin))
    assert_webex_error(client.get(detail(template)), 404)  # without orgId: acme's own templates


def test_other_partners_and_their_templates_are_404(world, api_client, created):
    template = make(world)
    client = api_client(world.globex_admin)
    assert_webex_error(client.get(detail(template)), 404)
    assert_webex_error(client.delete(detail(template)), 404)
    assert_webex_error(client.get(f"{LIST}?orgId={world.acme.webex_id}"), 404)
    assert_webex_error(api_client(world.northwind_admin).get(f"{LIST}?orgId={world.acme.webex_id}"), 404)
    assert created().exists()


def test_a_customer_organisation_has_no_templates(world, api_client):
    error = assert_webex_error(
        api_client(world.acme_admin).get(f"{LIST}?orgId={world.blue_harbor.org.webex_id}"), 403
    )
    assert "partner" in error["message"]


def test_the_operation_is_in_the_openapi_document(client, db):
    document = client.get("/v1/openapi.json").json()
    assert {"get", "post"} <= set(document["paths"][LIST])
    assert {"get", "put", "delete"} <= set(document["paths"][LIST + "/{template_id}"])
    schema = document["components"]["schemas"]["OnboardingTemplate"]
    assert set(schema["properties"]) == KEYS
    write = document["components"]["schemas"]["OnboardingTemplateWriteRequest"]
    assert write["properties"]["extensionLength"]["minimum"] == 2
    assert write["properties"]["extensionLength"]["maximum"] == 6
