"""Advanced branding: the one resolver (partner default → per customer → the customer's own override while
the partner allows it; a sub-partner brands its own customers; on attach the partner's brand wins), the
contrast check, the pages (Control Hub shows the resolved brand; the Branding page is absent for customer
admins without the override) and the live preview."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.permissions import Action, may
from apps.branding.colours import contrast
from apps.branding.models import Brand, BrandLayer
from apps.branding.selectors import PRODUCT_BRAND, branding_for, branding_for_host
from apps.branding.services import brand_override_allow, brand_update
from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from tests.branding.conftest import png_bytes, upload
from tests.conftest import fresh

DEFAULT = {"primary_light": "#5a189a", "accent_light": "#3c096c", "support_url": "https://help.acme.test/"}
BLUE = {"primary_light": "#005f73", "help_url": "https://acme.test/blue-help"}


@pytest.fixture
def branded(world):
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.CUSTOMER_DEFAULT, values=DEFAULT)
    brand_update(actor=world.acme_admin, org=world.blue_harbor.org, layer=BrandLayer.CUSTOMER, values=BLUE)
    return world


def test_a_customer_gets_its_own_brand_over_the_partner_default_field_by_field(branded):
    blue = branding_for(branded.blue_harbor.org)
    assert blue.primary_light == "#005f73" and blue.help_url == "https://acme.test/blue-help"
    assert blue.accent_light == "#3c096c" and blue.support_url == "https://help.acme.test/"  # the default's
    assert blue.sources["primary_light"] == BrandLayer.CUSTOMER
    assert blue.sources["accent_light"] == BrandLayer.CUSTOMER_DEFAULT
    cedar = branding_for(branded.cedar_pine.org)
    assert cedar.primary_light == "#5a189a"
    assert cedar.primary_dark == PRODUCT_BRAND["primary_dark"]  # no layer sets it
    # Partners see their own brand, not their customers' default; other partners are untouched.
    assert branding_for(branded.acme).primary_light == PRODUCT_BRAND["primary_light"]
    assert branding_for(branded.initech.org).primary_light == PRODUCT_BRAND["primary_light"]


def test_a_sub_partner_brands_its_own_customers(branded):
    northwind = branded.northwind
    brand_update(
        actor=branded.northwind_admin,
        org=northwind,
        layer=BrandLayer.CUSTOMER_DEFAULT,
        values={"primary_light": "#1b4332"},
    )
    assert branding_for(branded.riverside.org).primary_light == "#1b4332"
    assert branding_for(branded.riverside.org).support_url == ""  # never the parent's default
    with pytest.raises(PermissionDenied):  # nor may it brand its parent's customers
        brand_update(
            actor=branded.northwind_admin, org=branded.cedar_pine.org, layer=BrandLayer.CUSTOMER, values=BLUE
        )


def test_the_override_counts_only_while_the_partner_allows_it(branded):
    blue = branded.blue_harbor.org
    admin = fresh(branded.blue_admin)
    assert not may(admin, Action.BRANDING_MANAGE, blue)
    with pytest.raises(PermissionDenied, match="not allowed its administrators to override"):
        brand_update(actor=admin, org=blue, layer=BrandLayer.OVERRIDE, values={"primary_light": "#7f1d1d"})
    brand_override_allow(actor=branded.acme_admin, customer_org=blue, allowed=True)
    admin = fresh(branded.blue_admin)
    brand_update(actor=admin, org=blue, layer=BrandLayer.OVERRIDE, values={"primary_light": "#7f1d1d"})
    assert branding_for(blue).primary_light == "#7f1d1d"
    assert branding_for(blue).help_url == "https://acme.test/blue-help"  # the rest stays the partner's
    brand_override_allow(actor=branded.acme_admin, customer_org=blue, allowed=False)
    assert branding_for(blue).primary_light == "#005f73"
    assert not may(fresh(branded.blue_admin), Action.BRANDING_MANAGE, blue)
    # Partner people are never subject to it, and customer admins never set what the partner sets.
    assert may(fresh(branded.acme_admin), Action.BRANDING_MANAGE, blue)
    brand_override_allow(actor=branded.acme_admin, customer_org=blue, allowed=True)
    with pytest.raises(PermissionDenied):
        brand_update(actor=fresh(branded.blue_admin), org=blue, layer=BrandLayer.CUSTOMER, values=BLUE)
    with pytest.raises(PermissionDenied):
        brand_override_allow(actor=fresh(branded.blue_admin), customer_org=blue, allowed=True)


def test_on_attach_the_partners_brand_beats_the_organisations_own(branded):
    """The guide's condition of attachment: an attached organisation's own (basic) branding — its override
    layer — gives way to the partner's advanced branding unless the partner sets the customer to override."""
    cedar = branded.cedar_pine.org
    Brand.objects.create(org=cedar, layer=BrandLayer.OVERRIDE, primary_light="#7f1d1d")  # its own, before
    assert branding_for(cedar).primary_light == "#5a189a"  # the partner's default wins
    brand_override_allow(actor=branded.acme_admin, customer_org=cedar, allowed=True)
    assert branding_for(cedar).primary_light == "#7f1d1d"


@pytest.mark.parametrize(
    ("field", "colour"),
    [
        ("primary_light", "#ffff00"),
        ("accent_light", "#9ca3af"),
        ("primary_dark", "#1e3a8a"),
        ("accent_dark", "#000000"),
    ],
)
def test_unreadable_colours_are_refused_and_nothing_is_written(world, field, colour):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        brand_update(
            actor=world.acme_admin,
            org=world.acme,
            layer=BrandLayer.OWN,
            values={field: colour, "help_url": "https://acme.test/help"},
        )
    assert refused.value.error_dict[field][0].code == ErrorCode.CONTRAST_TOO_LOW
    assert "contrast" in refused.value.error_dict[field][0].message
    assert not Brand.objects.exists() and AuditEvent.objects.count() == events


def test_the_contrast_ratio_is_wcags():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
    assert contrast("#0f5bd6", "#ffffff") >= 4.5  # the product's own primary passes its own check


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"primary_light": "blue"}, "primary_light", ErrorCode.COLOUR_INVALID),
        ({"primary_light": 12}, "primary_light", ErrorCode.COLOUR_INVALID),
        ({"help_url": "javascript:alert(1)"}, "help_url", ErrorCode.BRAND_URL_INVALID),
        ({"support_url": "http://insecure.test/"}, "support_url", ErrorCode.BRAND_URL_INVALID),
        ({"sign_in_host": "not a host"}, "sign_in_host", ErrorCode.SIGN_IN_HOST_INVALID),
    ],
)
def test_bad_values_are_refused_with_their_code(world, values, field, code):
    with pytest.raises(ValidationError) as refused:
        brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values=values)
    assert refused.value.error_dict[field][0].code == code


def test_the_sign_in_page_is_branded_by_host_name(world, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.acme.test"]  # the partner's domain, deployed
    brand_update(
        actor=world.acme_admin,
        org=world.acme,
        layer=BrandLayer.OWN,
        values={"primary_light": "#6b21a8", "sign_in_host": "Portal.Acme.test"},
    )
    assert branding_for_host("portal.acme.test:443").primary_light == "#6b21a8"
    with pytest.raises(ValidationError) as taken:
        brand_update(
            actor=world.globex_admin,
            org=world.globex,
            layer=BrandLayer.OWN,
            values={"sign_in_host": "portal.acme.test"},
        )
    assert taken.value.error_dict["sign_in_host"][0].code == ErrorCode.SIGN_IN_HOST_IN_USE
    page = client.get(reverse("account_login"), HTTP_HOST="portal.acme.test").content.decode()
    assert "--c-primary: #6b21a8" in page
    assert "#6b21a8" not in client.get(reverse("account_login")).content.decode()


def test_control_hub_shows_the_resolved_brand(branded, page_client, media):
    brand_update(
        actor=branded.acme_admin,
        org=branded.blue_harbor.org,
        layer=BrandLayer.CUSTOMER,
        values={},
        logos={"logo_light": upload("blue.png", png_bytes())},
    )
    page = page_client(branded.blue_admin).get(
        reverse("control:overview", kwargs={"org_id": branded.blue_harbor.org.webex_id})
    )
    html = page.content.decode()
    assert "--c-primary: #005f73" in html and "--c-accent: #3c096c" in html
    logo = Brand.objects.get(org=branded.blue_harbor.org, layer=BrandLayer.CUSTOMER).logo_light
    assert f"/brand/logo/{logo}" in html
    # Partner Hub shows the partner's own brand, not its customers'.
    partner = page_client(branded.acme_admin).get(
        reverse("partner:overview", kwargs={"org_id": branded.acme.webex_id})
    )
    assert "--c-primary: #0f5bd6" in partner.content.decode()


def test_the_branding_page_is_absent_for_customer_admins_without_the_override(branded, page_client):
    blue = branded.blue_harbor.org
    url = reverse("control:branding", kwargs={"org_id": blue.webex_id})
    client = page_client(branded.blue_admin)
    overview = client.get(reverse("control:overview", kwargs={"org_id": blue.webex_id})).content.decode()
    assert url not in overview
    refused = client.get(url)
    assert refused.status_code == 403
    brand_override_allow(actor=branded.acme_admin, customer_org=blue, allowed=True)
    overview = client.get(reverse("control:overview", kwargs={"org_id": blue.webex_id})).content.decode()
    assert url in overview
    assert client.get(url).status_code == 200
    saved = client.post(url, {"primary_light": "#7f1d1d"})
    assert saved.status_code == 302 and branding_for(blue).primary_light == "#7f1d1d"


def test_partner_pages_set_the_default_and_one_customer(world, page_client):
    client = page_client(world.acme_admin)
    default_url = reverse("partner:branding_customers", kwargs={"org_id": world.acme.webex_id})
    assert client.post(default_url, {"primary_light": "#5a189a"}).status_code == 302
    customer_url = reverse(
        "partner:customer_branding",
        kwargs={"org_id": world.acme.webex_id, "customer_id": world.blue_harbor.webex_id},
    )
    assert client.post(customer_url, {"primary_light": "#005f73"}).status_code == 302
    assert branding_for(world.cedar_pine.org).primary_light == "#5a189a"
    assert branding_for(world.blue_harbor.org).primary_light == "#005f73"
    assert (
        client.post(customer_url, {"allow_override_form": "1", "allow_customer_override": "on"}).status_code
        == 302
    )
    brand = Brand.objects.get(org=world.blue_harbor.org, layer=BrandLayer.CUSTOMER)
    assert brand.allow_customer_override and brand.primary_light == "#005f73"  # the other form left it alone
    refused = client.post(customer_url, {"primary_light": "#ffff00"})
    assert refused.status_code == 200 and "unreadable" in refused.content.decode()
    # A read-only partner admin sees the page but cannot save.
    readonly = page_client(world.acme_readonly)
    assert readonly.get(default_url).status_code == 200
    assert readonly.post(default_url, {"primary_light": "#000000"}).status_code == 403


def test_the_live_preview_renders_the_posted_colours_without_saving(world, page_client):
    url = reverse("partner:branding", kwargs={"org_id": world.acme.webex_id}) + "?preview=1"
    response = page_client(world.acme_admin).post(
        url, {"primary_light": "#123456", "accent_light": "#ffff00"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="brand-preview"' in html and "<html" not in html
    assert 'data-colour="#123456"' in html
    assert "#ffff00 is unreadable" in html  # named, and not shown as if it were fine
    assert not Brand.objects.exists()


def test_the_branding_page_reads_french_with_its_limits_in_french(world, page_client):
    """The logo help is formatted when read (in the reader's language), not once at import in English."""
    world.acme_admin.language = "fr"
    world.acme_admin.save(update_fields=["language"])
    url = reverse("partner:branding", kwargs={"org_id": world.acme.webex_id})
    html = page_client(world.acme_admin).get(url).content.decode()
    assert "PNG, JPEG ou SVG, 512 Ko au maximum et 2048 pixels de côté au maximum." in html
    assert "Enregistrer l&#x27;image de marque" in html or "Enregistrer l'image de marque" in html
    assert "at most 512 KB" not in html and "Save branding" not in html
