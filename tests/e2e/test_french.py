"""French beside English (issue 12, item 12), in the browser: the demo's French customer (Umbrella Logistics,
org locale fr_FR) signs in and walks Control Hub in French — overview, users, locations, organisation
settings — with no English left in the navigation; axe-core passes on a French page; then the admin picks
English on the language page and reads English."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

FRENCH_ADMIN = "admin@umbrella.example"
# Control Hub's navigation in English (apps.accounts.context_processors): none of it may show in French.
ENGLISH_NAV = {
    "Overview", "Users", "Workspaces", "Locations", "Administrators", "Audit log", "Branding", "Account",
    "Organisation settings", "Domains", "Calling", "Directory sync", "Claim users", "Auto-assign licences",
    "Services status", "Help",
}  # fmt: skip
# (the nav entry, the page's heading) of the pages walked, in English; the browser must show their French.
WALK = [("Users", "Users"), ("Locations", "Locations"), ("Organisation settings", "Organisation settings")]


def french(text: str) -> str:
    """The catalogs' French for ``text``, which must differ from the English (else it is not translated)."""
    with translation.override("fr"):
        translated = translation.gettext(text)
    assert translated != text, f"no French for {text!r}"
    return translated


@pytest.fixture
def demo(transactional_db, django_capture_on_commit_callbacks):
    """The demo of `make run`, committed so that the live server sees it."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


# Visible controls and labels whose text runs past their own box or their tile, card, cell or the sidebar
# (French is about a fifth longer than English): a cut word is a failure.
_CUT = """() => [...document.querySelectorAll(
    'main .badge, main .btn, main button, main .stat .label, main th, main h1, main h2, nav.sidebar a')]
  .filter(e => e.offsetParent && !e.closest('.sr-only') && !e.classList.contains('sr-only'))
  .filter(e => {
    const r = e.getBoundingClientRect();
    const box = e.parentElement.closest('.stat, .card, td, th, nav.sidebar');
    const past = box ? r.right > box.getBoundingClientRect().right + 1 : false;
    return past || e.scrollWidth > e.clientWidth + 1;
  })
  .map(e => e.textContent.trim().slice(0, 60))"""


def cut_text(page) -> list[str]:
    return page.evaluate(_CUT)


def nav_labels(page) -> list[str]:
    return [text.strip() for text in page.locator("nav.sidebar a").all_inner_texts()]


def test_the_french_customer_reads_control_hub_in_french_and_can_pick_english(
    demo, page, sign_in_by_cookie, shot
):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in_by_cookie(FRENCH_ADMIN)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Umbrella Logistics")
    main = page.locator("main")
    expect(main).to_contain_text(french("Subscribers by package"))
    expect(main.locator(".stat .label").first).to_have_text(french("Status"))
    labels = nav_labels(page)
    assert labels and not set(labels) & ENGLISH_NAV, labels
    assert french("Overview") in labels
    assert cut_text(page) == []
    shot("overview-fr")
    assert_accessible(page, "the French Control Hub overview")

    for entry, heading in WALK:
        page.locator("nav.sidebar").get_by_role("link", name=french(entry), exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("h1")).to_have_text(french(heading))
        labels = nav_labels(page)
        assert not set(labels) & ENGLISH_NAV, (entry, labels)
        assert cut_text(page) == [], entry
        shot(re.sub(r"\W+", "-", entry.lower()) + "-fr")

    # The person's own choice wins over the organisation's language.
    page.locator("details.user-menu summary").click()
    page.get_by_test_id("menu-language").click()
    expect(page.locator("h1")).to_have_text(french("Language"))
    page.get_by_label(french("Language")).select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name=french("Save")).click()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Subscribers by package")
    assert "Users" in nav_labels(page) and "Overview" in nav_labels(page)
    shot("overview-en")
