"""Issue 12 item 12 in the browser: Partner Hub's customer pages (list, panel, packages, the create and set-up
wizards), the operator's existing organisations and Control Hub's Restrictions page read in French at 1440 px
wide: every heading is French and no button, badge, label or column head is cut. A screenshot of each page
lands in test-artifacts/e2e/ for a human to look at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.customers.models import Customer
from tests.e2e.test_french_billing_locations_screening import CLIPPED, WIDE


@pytest.fixture
def french_world(transactional_db):
    """The personas with three French readers: Blue Harbor's admin through the organisation's locale, Acme's
    admin and the operator by their own choice."""
    from tests.conftest import build_world

    world = build_world()
    Customer.objects.filter(pk=world.blue_harbor.pk).update(org_locale="fr_FR")
    for person in (world.acme_admin, world.operator):
        person.language = "fr"
        person.save(update_fields=["language"])
    return world


def _read_in_french(page, shot, url: str, heading: str, step: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.evaluate(CLIPPED) == [], f"cut in French on {url}"
    shot(step)


@pytest.mark.e2e
def test_the_provisioning_and_restrictions_pages_read_in_french_without_cut_text(
    page, french_world, sign_in_by_cookie, shot
):
    world = french_world
    page.set_viewport_size(WIDE)
    acme = world.acme.webex_id
    blue = {"org_id": acme, "customer_id": world.blue_harbor.webex_id}

    sign_in_by_cookie("admin@acme.test")
    for url, heading, step in [
        (reverse("partner:customer_list", kwargs={"org_id": acme}), "Clients", "customers"),
        (reverse("partner:customer_packages", kwargs=blue), "Changer les offres", "customer-packages"),
        (reverse("partner:customer_create", kwargs={"org_id": acme}), "Créer un client", "customer-wizard"),
        (reverse("partner:customer_setup", kwargs=blue), "Configurer le client", "customer-setup"),
        # last: its restricted mode is read and toggled below
        (reverse("partner:customer_detail", kwargs=blue), "Blue Harbor Dental", "customer-panel"),
    ]:
        _read_in_french(page, shot, url, heading, step)
    expect(page.get_by_test_id("restricted-mode")).to_contain_text("Mode restreint par le partenaire")
    page.get_by_test_id("restricted-mode-toggle").click()
    expect(page.get_by_role("dialog")).to_contain_text("Désactiver le mode restreint par le partenaire")
    page.context.clear_cookies()

    sign_in_by_cookie("operator@platform.test")
    _read_in_french(
        page, shot, reverse("ops:existing_org_create"), "Organisations existantes", "existing-orgs"
    )
    page.context.clear_cookies()

    sign_in_by_cookie("admin@blueharbor.test")
    org = world.blue_harbor.org.webex_id
    _read_in_french(
        page,
        shot,
        reverse("control:restriction_list", kwargs={"org_id": org}),
        "Restrictions",
        "restrictions",
    )
    expect(page.get_by_test_id("restricted-mode-banner")).to_contain_text("Le mode restreint est activé.")
