"""``/v1/partner/branding`` and ``/v1/partner/customers/{customerId}/branding``: the same service as the
pages, the same conventions as every API (scope first, Webex error body with an errorCode per field, nothing
half written)."""

import base64

from django.urls import reverse

from apps.branding.models import Brand, BrandLayer
from apps.branding.selectors import branding_for
from apps.core.errors import ErrorCode
from tests.branding.conftest import SAFE_SVG, png_bytes

PARTNER = reverse("api_partner_branding")


def customer_url(customer) -> str:
    return reverse("api_customer_branding", kwargs={"customer_id": customer.webex_id})


def test_a_partner_reads_and_writes_its_own_and_default_brand(world, api_client):
    client = api_client(world.acme_admin)
    assert client.get(PARTNER).json()["own"]["primaryColorLight"] is None
    response = client.put(
        PARTNER,
        {
            "own": {"primaryColorLight": "#6B21A8", "signInHost": "portal.acme.test"},
            "customerDefault": {
                "supportUrl": "https://help.acme.test/",
                "logoLight": base64.b64encode(SAFE_SVG).decode(),
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["orgId"] == world.acme.webex_id
    assert body["own"]["primaryColorLight"] == "#6b21a8" and body["own"]["signInHost"] == "portal.acme.test"
    assert body["customerDefault"]["logoLightUrl"].startswith("/brand/logo/")
    assert "signInHost" not in body["customerDefault"]
    assert branding_for(world.cedar_pine.org).support_url == "https://help.acme.test/"
    cleared = client.put(PARTNER, {"own": {"primaryColorLight": None}}, format="json").json()
    assert cleared["own"]["primaryColorLight"] is None and cleared["own"]["signInHost"] == "portal.acme.test"


def test_a_refused_field_changes_nothing_and_names_itself(world, api_client):
    client = api_client(world.acme_admin)
    response = client.put(
        PARTNER,
        {
            "own": {"primaryColorLight": "#123456"},
            "customerDefault": {
                "primaryColorLight": "#ffff00",
                "logoLight": base64.b64encode(b"<svg onload=1>").decode(),
            },
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"message", "errors", "trackingId"}
    codes = {e["errorCode"] for e in body["errors"]}
    assert codes == {ErrorCode.CONTRAST_TOO_LOW, ErrorCode.LOGO_INVALID}
    assert any(e["description"].startswith("primaryColorLight:") for e in body["errors"])
    assert not Brand.objects.exists()  # the valid "own" part was rolled back too


def test_garbage_is_a_400_never_a_500(world, api_client):
    client = api_client(world.acme_admin)
    for payload in (
        {"own": "red"},
        {"own": {"primaryColorLight": 5}},
        {"own": {"logoLight": "%%%not base64"}},
        {"own": {"logoLight": 12}},
        {"customerDefault": {"helpUrl": "ftp://x"}},
        [],
    ):
        response = client.put(PARTNER, payload, format="json")
        assert response.status_code == 400, (payload, response.status_code)
        assert "message" in response.json()


def test_one_customer_with_the_override_switch_and_the_resolved_brand(world, api_client):
    client = api_client(world.acme_admin)
    client.put(PARTNER, {"customerDefault": {"accentColorLight": "#3c096c"}}, format="json")
    response = client.put(
        customer_url(world.blue_harbor),
        {
            "brand": {"primaryColorLight": "#005f73", "logoLight": base64.b64encode(png_bytes()).decode()},
            "allowCustomerOverride": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["allowCustomerOverride"] is True and body["brand"]["primaryColorLight"] == "#005f73"
    assert body["effective"]["accentColorLight"] == "#3c096c" and body["effective"]["logoLightUrl"]
    assert Brand.objects.get(org=world.blue_harbor.org, layer=BrandLayer.CUSTOMER).allow_customer_override


def test_read_only_partner_admins_and_other_partners(world, api_client):
    readonly = api_client(world.acme_readonly)
    assert readonly.get(customer_url(world.blue_harbor)).status_code == 200
    assert (
        readonly.put(
            customer_url(world.blue_harbor), {"allowCustomerOverride": True}, format="json"
        ).status_code
        == 403
    )
    assert readonly.put(PARTNER, {}, format="json").status_code == 403
    outsider = api_client(world.globex_admin)
    assert outsider.get(customer_url(world.blue_harbor)).status_code == 404
    assert (
        outsider.put(
            customer_url(world.blue_harbor), {"allowCustomerOverride": True}, format="json"
        ).status_code
        == 404
    )
    assert not Brand.objects.exists()
