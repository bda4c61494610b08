"""Issue 12 item 12 in the browser: the pages of billing, customers (organisation settings), locations and
screening read in French at 1440 px wide, French being about a fifth longer than English: every heading is
French and no button, badge, label or column head is cut (its text wider than its box). A screenshot of each
page lands in test-artifacts/e2e/ for a human to look at."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.billing.clock import shifted_clock
from apps.billing.services.usage import usage_days_backfill
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.screening import services as screening
from apps.screening.models import ScreeningHold
from tests.factories import CustomerFactory

WIDE = {"width": 1440, "height": 900}
# Elements whose text must fit their box, and tables that must fit the page without scrolling sideways: a cut
# one has a scrollWidth wider than its clientWidth (visually hidden labels are 1 px wide on purpose).
CLIPPED = """() => [...document.querySelectorAll(
    '#main button, #main .btn, #main .badge, #main label, #main th, #main h1, #main h2, nav a, '
    + '#main .table-wrap'
)].filter(e => e.offsetParent !== null && !e.closest('.sr-only') && e.scrollWidth > e.clientWidth + 1)
 .map(e => e.textContent.trim().slice(0, 60))"""


@pytest.fixture
def french_world(transactional_db):
    """The personas 45 days on (so that Billing has usage), a held customer, and three French readers:
    Blue Harbor's admin through the organisation's locale, Acme's admin and the operator by their own
    choice."""
    from tests.conftest import build_world

    today = timezone.now().astimezone(UTC).date()
    start = datetime.combine(today - timedelta(days=45), datetime.min.time(), tzinfo=UTC)
    with shifted_clock(start + timedelta(hours=9)):
        world = build_world()
    usage_days_backfill(start=start.date(), end=today - timedelta(days=1))
    screening.screening_entry_add(
        actor=world.operator, name="Sanctioned Widgets", country="IR", note="List A"
    )
    held = CustomerFactory(actor=world.acme_admin, partner=world.acme, name="Sanctioned Widgets Ltd")
    screening.screening_gate(customer=held)
    Customer.objects.filter(pk=world.blue_harbor.pk).update(org_locale="fr_FR")
    for person in (world.acme_admin, world.operator):
        person.language = "fr"
        person.save(update_fields=["language"])
    world.hold = ScreeningHold.objects.get(customer=held)
    return world


def _read_in_french(page, shot, url: str, heading: str, step: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.evaluate(CLIPPED) == [], f"cut in French on {url}"
    shot(step)


@pytest.mark.e2e
def test_the_pages_of_four_apps_read_in_french_without_cut_text(page, french_world, sign_in_by_cookie, shot):
    world = french_world
    page.set_viewport_size(WIDE)
    blue = world.blue_harbor.org.webex_id
    hq = Location.objects.get(org=world.blue_harbor.org, is_headquarters=True)

    sign_in_by_cookie("admin@blueharbor.test")
    control = [
        (reverse("control:location_list", kwargs={"org_id": blue}), "Emplacements", "locations"),
        (
            reverse("control:location_detail", kwargs={"org_id": blue, "location_id": hq.webex_id}),
            hq.name,
            "location-detail",
        ),
        (
            reverse("control:location_create", kwargs={"org_id": blue}),
            "Ajouter un emplacement",
            "location-add",
        ),
        (
            reverse("control:org_settings", kwargs={"org_id": blue}),
            "Paramètres de l'organisation",
            "settings",
        ),
        (reverse("control:account", kwargs={"org_id": blue}), "Compte", "account"),
        (reverse("control:domain_list", kwargs={"org_id": blue}), "Domaines", "domains"),
    ]
    for url, heading, step in control:
        _read_in_french(page, shot, url, heading, step)
    page.context.clear_cookies()

    sign_in_by_cookie("admin@acme.test")
    acme = world.acme.webex_id
    partner = [
        (reverse("partner:billing_overview", kwargs={"org_id": acme}), "Facturation", "billing"),
        (
            reverse("partner:billing_report_list", kwargs={"org_id": acme}),
            "Rapports de facturation",
            "reports",
        ),
        (reverse("partner:setup_assist_list", kwargs={"org_id": acme}), "Setup Assist", "setup-assist"),
    ]
    for url, heading, step in partner:
        _read_in_french(page, shot, url, heading, step)
    expect(page.get_by_text("Usage and invoice")).to_have_count(0)
    page.context.clear_cookies()

    sign_in_by_cookie("operator@platform.test")
    ops = [
        (reverse("ops:screening_list"), "Contrôle de conformité", "screening"),
        (reverse("ops:screening_review_list"), "File de vérification", "screening-queue"),
        (reverse("ops:screening_import"), "Importer des parties", "screening-import"),
        (reverse("ops:billing_prices"), "Prix de cession", "prices"),
        (reverse("ops:setup_assist_queue"), "Commandes Setup Assist", "setup-assist-queue"),
        (  # last: the match is read on it below
            reverse("ops:screening_review", kwargs={"hold_id": world.hold.id}),
            "Sanctioned Widgets Ltd",
            "screening-review",
        ),
    ]
    for url, heading, step in ops:
        _read_in_french(page, shot, url, heading, step)
    expect(page.get_by_test_id("match")).to_contain_text("Suffixes de société ignorés")
