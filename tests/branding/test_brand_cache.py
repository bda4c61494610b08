"""The resolved brand is cached (apps.branding.cache): the second page reads it without a query, and every
write that changes what an organisation's people see shows on that organisation's next page — the partner's
own brand, its default for all customers, one customer's brand, the override allowed and withdrawn, a reset,
a logo, the sign-in host, a brand deleted with its organisation, a customer organisation attached to a
partner and left unmanaged again. An unreachable cache costs the query, never the page."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.branding import cache as brand_cache
from apps.branding.cache import brand_cache_version_replace, brand_cached, org_brand_key
from apps.branding.models import Brand, BrandLayer
from apps.branding.selectors import PRODUCT_BRAND, _resolved_for_cache, brand_layers_of, branding_for
from apps.branding.services import brand_override_allow, brand_update
from apps.partners.services import partner_create
from apps.provisioning.services.attach import existing_org_create
from apps.provisioning.services.provisioning import customer_remove_request
from apps.subpartners.services import subpartner_remove
from tests.branding.conftest import png_bytes, upload
from tests.factories import provision_customer

DEFAULT = {"primary_light": "#5a189a", "accent_light": "#3c096c"}
PRODUCT = PRODUCT_BRAND["primary_light"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def settings_url(org) -> str:
    hub = "partner:settings" if org.is_partner else "control:org_settings"
    return reverse(hub, kwargs={"org_id": org.webex_id})


def primary_on(client: Client, org) -> str:
    """The primary colour the page of ``org`` shows (its ``:root`` custom properties)."""
    response = client.get(settings_url(org))
    assert response.status_code == 200
    return re.search(r"--c-primary: (#[0-9a-f]{6})", response.content.decode()).group(1)


def brand_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "branding_brand" in q["sql"]]


def test_the_second_page_reads_the_brand_from_the_cache(world):
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.CUSTOMER_DEFAULT, values=DEFAULT)
    client = signed_in(world.acme_admin)  # Control Hub cross-launched: the customer's brand
    primary_on(client, world.blue_harbor.org)  # the session, the process's own caches
    brand_cache_version_replace()
    with CaptureQueriesContext(connection) as first:
        assert primary_on(client, world.blue_harbor.org) == "#5a189a"
    with CaptureQueriesContext(connection) as second:
        assert primary_on(client, world.blue_harbor.org) == "#5a189a"  # rebuilt from the cache, CSS included
    assert len(brand_queries(first)) == 1 and brand_queries(second) == []
    assert len(second) == len(first) - 1


def test_a_customer_admins_second_page_reads_no_brand_row(world):
    """Nor whether the partner allows the override, which the permission function asks on each of them."""
    blue, client = world.blue_harbor.org, signed_in(world.blue_admin)
    brand_update(
        actor=world.acme_admin, org=blue, layer=BrandLayer.CUSTOMER, values={"primary_light": "#005f73"}
    )
    primary_on(client, blue)
    brand_cache_version_replace()
    with CaptureQueriesContext(connection) as first:
        assert primary_on(client, blue) == "#005f73"
    with CaptureQueriesContext(connection) as second:
        assert primary_on(client, blue) == "#005f73"
    assert len(brand_queries(first)) == 2 and brand_queries(second) == []
    assert len(second) == len(first) - 2
    brand_override_allow(actor=world.acme_admin, customer_org=blue, allowed=True)
    branding = reverse("control:branding", kwargs={"org_id": blue.webex_id})
    assert branding in client.get(settings_url(blue)).content.decode()  # the Branding page, at once
    assert client.get(branding).status_code == 200


def test_the_sign_in_page_reads_its_hosts_brand_from_the_cache(world, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.acme.test"]
    brand_update(
        actor=world.acme_admin,
        org=world.acme,
        layer=BrandLayer.OWN,
        values={"primary_light": "#6b21a8", "sign_in_host": "portal.acme.test"},
    )
    for host, primary in (("portal.acme.test", "#6b21a8"), ("testserver", PRODUCT)):  # a host without one too
        client.get(reverse("account_login"), HTTP_HOST=host)
        with CaptureQueriesContext(connection) as again:
            page = client.get(reverse("account_login"), HTTP_HOST=host).content.decode()
        assert f"--c-primary: {primary}" in page and brand_queries(again) == []
    # The host moves: the old one shows the product's brand at once, the new one the partner's.
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values={"sign_in_host": ""})
    assert (
        f"--c-primary: {PRODUCT}"
        in client.get(reverse("account_login"), HTTP_HOST="portal.acme.test").content.decode()
    )


def test_the_partners_own_brand_shows_on_its_next_page(world):
    client = signed_in(world.acme_admin)
    assert primary_on(client, world.acme) == PRODUCT
    brand_update(
        actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values={"primary_light": "#1b4332"}
    )
    assert primary_on(client, world.acme) == "#1b4332"
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values={"primary_light": ""})
    assert primary_on(client, world.acme) == PRODUCT  # the reset


def test_the_customer_default_shows_on_every_customers_next_page_and_no_one_elses(world):
    pages = {
        org: signed_in(admin)
        for org, admin in (
            (world.blue_harbor.org, world.blue_admin),
            (world.cedar_pine.org, world.cedar_admin),
            (world.riverside.org, world.riverside_admin),  # a customer of the sub-partner
            (world.acme, world.acme_admin),
        )
    }
    assert {primary_on(client, org) for org, client in pages.items()} == {PRODUCT}
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.CUSTOMER_DEFAULT, values=DEFAULT)
    shown = {org: primary_on(client, org) for org, client in pages.items()}
    assert shown[world.blue_harbor.org] == shown[world.cedar_pine.org] == "#5a189a"
    assert shown[world.riverside.org] == shown[world.acme] == PRODUCT


def test_one_customers_brand_the_override_and_a_reset_show_on_its_next_page(world):
    blue, client = world.blue_harbor.org, signed_in(world.blue_admin)
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.CUSTOMER_DEFAULT, values=DEFAULT)
    assert primary_on(client, blue) == "#5a189a"
    brand_update(
        actor=world.acme_admin, org=blue, layer=BrandLayer.CUSTOMER, values={"primary_light": "#005f73"}
    )
    assert primary_on(client, blue) == "#005f73"
    Brand.objects.create(org=blue, layer=BrandLayer.OVERRIDE, primary_light="#7f1d1d")  # its own, set aside
    assert primary_on(client, blue) == "#005f73"
    brand_override_allow(actor=world.acme_admin, customer_org=blue, allowed=True)
    assert primary_on(client, blue) == "#7f1d1d"
    brand_override_allow(actor=world.acme_admin, customer_org=blue, allowed=False)
    assert primary_on(client, blue) == "#005f73"
    brand_update(actor=world.acme_admin, org=blue, layer=BrandLayer.CUSTOMER, values={"primary_light": ""})
    assert primary_on(client, blue) == "#5a189a"  # the reset: the partner's default again


def test_a_logo_shows_on_the_next_page(world, media):
    client = signed_in(world.acme_admin)
    assert 'data-testid="brand-logo"' not in client.get(settings_url(world.acme)).content.decode()
    brand_update(
        actor=world.acme_admin,
        org=world.acme,
        layer=BrandLayer.OWN,
        values={},
        logos={"logo_light": upload("acme.png", png_bytes())},
    )
    logo = Brand.objects.get(org=world.acme, layer=BrandLayer.OWN).logo_light
    assert f"/brand/logo/{logo}" in client.get(settings_url(world.acme)).content.decode()


def test_a_brand_deleted_with_its_organisation_no_longer_brands_its_sign_in_host(world, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.reseller.test"]
    reseller = partner_create(
        actor=world.operator,
        name="Short Lived Reseller",
        admin_email="admin@reseller.test",
        parent=world.acme,
    )
    Brand.objects.create(
        org=reseller, layer=BrandLayer.OWN, primary_light="#14532d", sign_in_host="portal.reseller.test"
    )
    login = reverse("account_login")
    assert "--c-primary: #14532d" in client.get(login, HTTP_HOST="portal.reseller.test").content.decode()
    subpartner_remove(actor=world.acme_admin, subpartner=reseller)  # the brand goes in the cascade
    assert f"--c-primary: {PRODUCT}" in client.get(login, HTTP_HOST="portal.reseller.test").content.decode()


def test_an_organisation_attached_to_a_partner_and_left_again_shows_the_partners_default_meanwhile(
    world, django_capture_on_commit_callbacks
):
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.CUSTOMER_DEFAULT, values=DEFAULT)
    org = existing_org_create(
        actor=world.operator,
        name="Contoso Ltd",
        admin_email="admin@contoso.test",
        people=["dana@contoso.test"],
    )
    assert branding_for(org).primary_light == PRODUCT  # cached while no partner manages it
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        org_id=org.webex_id,
        name="",
        admin_email="dana@contoso.test",
    )
    org.refresh_from_db()
    assert org.parent == world.acme and branding_for(org).primary_light == "#5a189a"
    with django_capture_on_commit_callbacks(execute=True):  # the removal task, once the request commits
        customer_remove_request(actor=world.acme_admin, customer=customer)
    org.refresh_from_db()
    assert org.parent is None and branding_for(org).primary_light == PRODUCT


def test_rows_read_before_a_write_are_never_cached_as_current(world):
    """A page that read the layers just before a write (in another process) stores what it read under the
    version it read first, which that write has replaced: the next page resolves afresh."""
    acme = world.acme

    def resolve_across_a_write():
        read_before = brand_layers_of(org=acme)
        brand_update(
            actor=world.acme_admin, org=acme, layer=BrandLayer.OWN, values={"primary_light": "#1b4332"}
        )
        return _resolved_for_cache(read_before)

    assert brand_cached(org_brand_key(acme.id), resolve_across_a_write).primary_light == PRODUCT
    assert branding_for(acme).primary_light == "#1b4332"


@pytest.fixture
def cache_unreachable(settings):
    """Django's Redis cache at a port nothing listens on: every cache call fails at once."""
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.rediscache.ReusedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def test_an_unreachable_cache_costs_the_query_never_the_page(world, cache_unreachable):
    client = signed_in(world.acme_admin)
    assert primary_on(client, world.acme) == PRODUCT
    brand_update(
        actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values={"primary_light": "#1b4332"}
    )
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert primary_on(client, world.acme) == "#1b4332"
        assert len(brand_queries(captured)) == 1


def test_after_a_cache_failure_the_process_leaves_the_cache_alone_for_a_while(world, monkeypatch):
    """A cache that hangs instead of refusing would hold every page for its socket timeout: one page pays."""
    asked = []

    class Hanging:
        def get_many(self, keys):
            asked.append(keys)
            raise TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(brand_cache, "cache", Hanging())
    assert branding_for(world.acme).primary_light == PRODUCT
    assert branding_for(world.blue_harbor.org).primary_light == PRODUCT
    assert len(asked) == 1
    assert brand_cache._paused_until - time.monotonic() > brand_cache.PAUSE_SECONDS - 1
    monkeypatch.setattr(brand_cache, "_paused_until", time.monotonic() - 1)  # the pause over
    branding_for(world.acme)
    assert len(asked) == 2  # asked again once the pause is over
