"""A look at the pages as their users (the UI sweep): what the browser showed cut off, overflowing or unnamed
at a phone's width and at 1,280 px."""

import re

import pytest
from playwright.sync_api import expect

from apps.locations.models import Location
from apps.locations.services.numbers import numbers_add
from apps.subpartners.services import subpartner_set_status
from tests.e2e.axe import assert_accessible
from tests.e2e.test_french import demo  # noqa: F401 (the demo world, a fixture)


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


_FOCUS_RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => {
    const lin = v => v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c).map(v => lin(v / 255));
    return .2126 * r + .7152 * g + .0722 * b;
  };
  let p = e.parentElement, bg = 'rgb(255, 255, 255)';
  while (p) {
    const c = getComputedStyle(p).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)') { bg = c; break; }
    p = p.parentElement;
  }
  const [a, b] = [lum(s.outlineColor), lum(bg)];
  return {name: e.getAttribute('name') || e.textContent.trim(), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), contrast: (Math.max(a, b) + .05) / (Math.min(a, b) + .05)};
}"""


@pytest.mark.e2e
def test_keyboard_focus_is_visible_on_the_nav_and_on_fields(page, e2e_world, sign_in_by_cookie, shot):
    """A field's focus ring was the pale primary tint on white (1.1:1) and the sidebar's blue ring stood at
    2.7:1 on the dark nav: focus must stand out at 3:1 at least (WCAG 1.4.11) as a 2 px ring."""
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/")
    page.get_by_role("navigation").get_by_role("link", name="Overview").focus()
    page.keyboard.press("Tab")  # the next nav link, focused from the keyboard
    nav = page.evaluate(_FOCUS_RING)
    assert nav["style"] == "solid" and nav["width"] >= 2 and nav["contrast"] >= 3, nav
    search = page.locator("#customer-search")
    search.focus()
    field = page.evaluate(_FOCUS_RING)
    assert field["name"] == "q" and field["style"] == "solid" and field["width"] >= 2, field
    assert field["contrast"] >= 3, field
    shot("search-focused")


_PLACEHOLDER_FITS = """(input) => {
  input.value = input.placeholder;  // laid out as the hint is; scrollWidth then tells whether it is cut
  const fits = {text: input.scrollWidth, room: input.clientWidth};
  input.value = '';
  return fits;
}"""


@pytest.mark.e2e
def test_adding_users_by_hand_names_its_errors_as_a_list_and_shows_the_number_hint(
    page, e2e_world, sign_in_by_cookie, shot
):
    """Sent empty, the page's "Fill in at least one user." was a list item under a list that role="alert" had
    made an alert (axe: listitem, serious); and at 1,280 px, with numbers to pick from (the field's picker
    arrow takes room), the phone number's hint read "+141555501(" cut."""
    hq = Location.objects.get(org=e2e_world.blue_harbor.org, is_headquarters=True)
    numbers_add(actor=e2e_world.acme_admin, location=hq, phone_numbers=["+14155550188"])
    sign_in_by_cookie("admin@acme.test", to=f"/org/{e2e_world.blue_harbor.org.webex_id}/users/add/")
    phone = page.get_by_test_id("user-add-row").first.locator("input[inputmode=tel]")
    fits = phone.evaluate(_PLACEHOLDER_FITS)
    assert fits["text"] <= fits["room"], fits
    page.get_by_role("button", name="Add users").click()
    expect(page.get_by_role("alert").filter(has_text="Fill in at least one user")).to_be_visible()
    assert_accessible(page, "the users' manual add form with its error")
    shot("user-add-empty")


# A badge or button of the page (not the phone's sideways-scrolling nav) that runs past its card or itself.
_CUT_IN_MAIN = """() => [...document.querySelectorAll('main .badge, main .btn, main button')]
  .filter(e => e.offsetParent && !e.closest('.sr-only, .table-wrap'))
  .filter(e => {
    const r = e.getBoundingClientRect(), card = e.closest('.card');
    return (card && r.right > card.getBoundingClientRect().right + 1) || e.scrollWidth > e.clientWidth + 1;
  })
  .map(e => e.textContent.trim().slice(0, 60))"""


@pytest.mark.e2e
@pytest.mark.usefixtures("demo")
def test_the_partner_overview_and_a_customers_branding_fit_a_phone_in_french(page, sign_in_by_cookie, shot):
    """French at 390 px, in the demo: the overview's attention list cut "En attente du contrôle de conformité"
    at the card's edge (and counted "1 bloqués"), and a customer's branding page ran its "Enregistrer le
    paramètre de remplacement" button past the screen. Its tab was also titled after the partner."""
    from apps.accounts.selectors import user_get_by_email
    from apps.customers.models import Customer

    admin = user_get_by_email(email="admin@acme.example")
    admin.language = "fr"
    admin.save(update_fields=["language"])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_by_cookie(admin.email, to=f"/partner/{admin.org.webex_id}/")
    attention = page.get_by_test_id("attention")
    expect(attention.locator(".badge").first).to_be_visible()
    expect(attention).to_contain_text("1 en attente du contrôle de conformité")
    assert page.evaluate(_CUT_IN_MAIN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("overview-fr-390")

    customer = Customer.objects.get(org__name="Sanctioned Widgets Trading")
    page.goto(f"/partner/{admin.org.webex_id}/customers/{customer.webex_id}/branding/")
    expect(page).to_have_title(re.compile(r"^Image de marque · Sanctioned Widgets Trading · "))
    expect(page.get_by_test_id("save-override")).to_be_visible()
    assert page.evaluate(_CUT_IN_MAIN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("customer-branding-fr-390")


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1100, 1280, 1440, 1920])
def test_the_partner_overviews_side_by_side_charts_have_readable_axes(
    page, e2e_world, sign_in_by_cookie, width
):
    """At 1,280 px the two charts' axis labels (5 Sep, 24 Oct, the counts) stood 8 px high (6 at 1,100)."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/")
    for chart in ("chart-customers", "chart-packages"):
        label = page.get_by_test_id(chart).locator(".chart-axis").first
        size = label.evaluate(
            "t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a"
        )  # the font's size in the SVG's units times the SVG's scale: pixels on the screen
        assert 10.5 <= size <= 17, (chart, size)
