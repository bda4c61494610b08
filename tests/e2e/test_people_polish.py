"""The Control Hub people pages as a keyboard and phone user meets them: the Users page's person panel is a
drawer that its close button and Escape close (the focus goes back to the row), full width on a phone; a
column header's sort survives a later search; a searched list replaces its region instead of nesting a
second ``#results`` in it; empty lists offer the next step."""

import re

import pytest
from playwright.sync_api import expect


def _users_page(org) -> str:
    return f"/org/{org.webex_id}/users/"


@pytest.mark.e2e
def test_user_panel_closes_with_its_button_and_with_escape(page, e2e_world, sign_in_by_cookie, shot):
    # A partner admin, cross-launched.
    sign_in_by_cookie("admin@acme.test", to=_users_page(e2e_world.blue_harbor.org))
    expect(page.get_by_test_id("user-row")).to_have_count(3)
    panel = page.get_by_test_id("user-panel")
    expect(panel).to_be_hidden()  # empty: it takes no room
    tom = page.locator('[data-testid=user-row][data-email="tom@blueharbor.test"]')

    tom.get_by_test_id("user-link").click()
    expect(panel.get_by_test_id("user-package-name")).to_have_text("Webex Calling")
    expect(panel).to_be_visible()
    expect(page.locator("#user-panel-title")).to_be_focused()
    expect(tom).to_have_class(re.compile(r"\bis-selected\b"))
    box = panel.bounding_box()
    assert box["x"] + box["width"] == pytest.approx(1280, abs=1) and box["width"] <= 481  # a right drawer
    shot("panel-open")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(panel.get_by_test_id("user-detail")).to_have_count(0)
    expect(tom.get_by_test_id("user-link")).to_be_focused()  # the keyboard is back where it was
    expect(tom).not_to_have_class(re.compile(r"\bis-selected\b"))

    page.keyboard.press("Enter")  # reopen from the keyboard
    expect(panel).to_be_visible()
    panel.get_by_test_id("user-panel-close").click()
    expect(panel).to_be_hidden()
    shot("panel-closed")

    # On a phone the drawer takes the whole width, and the page does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    tom.get_by_test_id("user-link").click()
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] == pytest.approx(390, abs=1)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    expect(panel.get_by_test_id("user-panel-close")).to_be_in_viewport()
    shot("panel-phone")
    panel.get_by_test_id("user-panel-close").click()
    expect(panel).to_be_hidden()


@pytest.mark.e2e
def test_column_sort_survives_a_search_and_results_never_nest(page, e2e_world, sign_in_by_cookie, shot):
    # A customer admin, restricted mode on.
    sign_in_by_cookie("admin@blueharbor.test", to=_users_page(e2e_world.blue_harbor.org))
    rows = page.get_by_test_id("user-row")
    expect(rows).to_have_count(3)
    header = page.get_by_role("columnheader", name=re.compile("E-mail"))
    header.get_by_role("link").click()  # ascending
    expect(page).to_have_url(re.compile(r"sort=email"))
    page.get_by_role("columnheader", name=re.compile("E-mail")).get_by_role("link").click()  # descending
    expect(page).to_have_url(re.compile(r"sort=-email"))
    expect(rows.first).to_have_attribute("data-email", "tom@blueharbor.test")
    # The column header keeps the keyboard focus through the swap.
    expect(page.get_by_role("columnheader", name=re.compile("E-mail")).get_by_role("link")).to_be_focused()

    page.get_by_role("searchbox", name="Search users").fill("blueharbor")
    expect(page).to_have_url(re.compile(r"q=blueharbor"))
    expect(page).to_have_url(re.compile(r"sort=-email"))  # the search kept the column's sort
    expect(rows).to_have_count(3)
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.email)") == [
        "tom@blueharbor.test",
        "maria@blueharbor.test",
        "admin@blueharbor.test",
    ]
    expect(page.locator("#results")).to_have_count(1)
    expect(page.get_by_test_id("export-users")).to_have_attribute("href", re.compile(r"sort=-email"))
    shot("sorted-and-searched")

    page.get_by_role("searchbox", name="Search users").fill("nobody-like-that")
    empty = page.get_by_test_id("user-empty")
    expect(empty).to_contain_text("No user matches")
    expect(page.locator("#results")).to_have_count(1)
    page.get_by_test_id("clear-filters").click()  # a reload: the search box is emptied too
    expect(rows).to_have_count(3)
    expect(page.get_by_role("searchbox", name="Search users")).to_have_value("")

    page.goto(f"/org/{e2e_world.blue_harbor.org.webex_id}/locations/")
    page.get_by_role("searchbox", name="Search locations").fill("Headq")
    expect(page).to_have_url(re.compile(r"q=Headq"))
    expect(page.get_by_test_id("location-row")).to_have_count(1)
    page.get_by_role("searchbox", name="Search locations").fill("Nowhere")
    expect(page.locator("#results")).to_contain_text("No location matches")
    expect(page.locator("#results")).to_have_count(1)


@pytest.mark.e2e
def test_partner_customer_search_does_not_nest_results(page, e2e_world, sign_in_by_cookie):
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/")
    page.get_by_role("searchbox", name="Search customers").fill("Blue")
    expect(page).to_have_url(re.compile(r"q=Blue"))
    expect(page.get_by_test_id("customer-row")).to_have_count(1)
    page.get_by_role("columnheader", name=re.compile("Customer")).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.locator("#results")).to_have_count(1)


@pytest.mark.e2e
def test_empty_workspaces_offer_the_next_step(page, e2e_world, sign_in_by_cookie, shot):
    org = e2e_world.blue_harbor.org
    sign_in_by_cookie("admin@acme.test", to=f"/org/{org.webex_id}/workspaces/")
    empty = page.get_by_test_id("workspace-empty")
    expect(empty).to_contain_text("No workspaces yet")
    expect(empty.get_by_role("link", name="Add the first workspace")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)  # no header row over nothing
    shot("workspaces-empty")
