"""A look at the pages as their users (the UI sweep): what the browser showed cut off, overflowing or unnamed
at a phone's width and at 1,280 px."""

import pytest
from playwright.sync_api import expect

from apps.subpartners.services import subpartner_set_status
from tests.e2e.axe import assert_accessible


@pytest.mark.e2e
def test_an_indirect_providers_partner_hub_fits_a_phone_with_its_badges(
    page, e2e_world, sign_in_by_cookie, shot
):
    """Cross-launched into a suspended indirect provider, the top bar held the organisation's name, two badges
    and the account menu on one line: on a phone the menu stood past the screen's edge (the page scrolled
    sideways) and the name was squeezed to nothing. The badges now wrap to a second line of the bar."""
    subpartner_set_status(
        actor=e2e_world.acme_admin, subpartner=e2e_world.northwind, status="suspended", reason="Unpaid"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.northwind.webex_id}/")
    expect(page.get_by_test_id("org-suspended")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    name = page.get_by_test_id("org-name").bounding_box()
    assert name is not None and name["width"] > 100  # "Northwind Reseller" is readable
    menu = page.locator(".user-menu summary").bounding_box()
    assert menu is not None and menu["x"] + menu["width"] <= 390
    assert_accessible(page, "an indirect provider's Partner Hub at 390 px")
    shot("subpartner-hub-390")
