"""A partner admin's first hour (issue 12), in a real browser: every page each persona can reach passes
axe-core (WCAG 2.2 AA, no serious or critical violation), a skip link and announced sort order, in-app
confirmation dialogs instead of the browser's confirm(), and branded error pages."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from apps.customers.models import AttachState, Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.onboarding.models import OnboardingTemplate
from apps.packages.constants import PackageCode
from tests.bench.seed import bulk_customers
from tests.e2e.axe import assert_accessible, axe_violations, load_axe_on_every_page

PERSONAS = [
    "operator@platform.test",
    "admin@acme.test",
    "partneradmin@acme.test",
    "readonly@acme.test",
    "admin@northwind.test",
    "admin@blueharbor.test",
    "readonly@blueharbor.test",
    "users@blueharbor.test",
]
# Links that are downloads or that act (sign out) rather than pages to read.
SKIPPED_ROUTES = re.compile(r"(export|errors|template_csv|user_import_template|logout)")
MAX_PAGES = 30

# What axe's verdict on a page depends on, as a set of element kinds: tag, classes (colours, sizes), the
# attributes its WCAG rules read (roles, ARIA, labels, alternatives, language...) and, for elements that need
# a name, whether they have one. Two pages of one route with the same set get the same verdict, so the sweep
# runs axe once per route and markup: a reader seeing fewer buttons, another banner, an empty state or an
# unnamed link has another set and is checked again. Rows repeat a kind, so a long list is one check.
MARKUP_KINDS = """() => {
  const read = new Set(["role", "type", "alt", "for", "id", "lang", "tabindex", "href", "title", "scope",
    "headers", "name", "placeholder", "autocomplete", "disabled", "hidden", "open", "src", "style"]);
  const named = new Set(["A", "BUTTON", "LABEL", "TH", "H1", "H2", "H3", "H4", "H5", "H6", "SUMMARY",
    "OPTION", "LEGEND", "CAPTION", "TITLE", "IMG", "INPUT", "SELECT", "TEXTAREA", "SVG", "IFRAME"]);
  const kinds = new Set();
  for (const e of document.querySelectorAll("html, head title, body, body *")) {
    const attrs = [...e.attributes].map(a => a.name)
      .filter(n => n.startsWith("aria-") || n.startsWith("data-") || read.has(n)).sort().join(",");
    const name = named.has(e.tagName.toUpperCase())
      ? (e.textContent.trim() ? "text" : e.getAttribute("aria-label") ? "label" : "none") : "";
    kinds.add(`${e.tagName}.${[...e.classList].sort().join(".")}[${attrs}]${name}`);
  }
  return [...kinds].sort().join("|");
}"""
# (route, markup kinds) that passed axe in this process, whichever persona's sweep saw them first.
_PASSED_AXE: set[tuple[str, int]] = set()


def _route(url: str) -> str | None:
    """The route name of a page of this site (one page per route is enough for axe), or None for anything
    that is not a page to visit."""
    parts = urlsplit(url)
    if parts.path.endswith(".csv") or parts.path.startswith(("/static/", "/v1/")):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name
    return None if SKIPPED_ROUTES.search(name) else name


@pytest.mark.e2e
@pytest.mark.one_process  # _PASSED_AXE is the process's: the personas' sweeps share it (tests/split.py)
@pytest.mark.parametrize("email", PERSONAS)
def test_every_page_a_persona_reaches_passes_axe(page, e2e_world, sign_in_by_cookie, email):
    """Sign in, then walk every link of the hub (navigation and the pages' own links, one page per route)
    and run axe on each (unless the same route with the same markup kinds passed it already,
    ``MARKUP_KINDS``): 0 serious or critical violations anywhere."""
    load_axe_on_every_page(page.context)
    sign_in_by_cookie(email)  # lands on the hub, which must answer
    origin = urlsplit(page.url)._replace(path="", query="", fragment="").geturl()
    queue, seen = [page.url], set()
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        route = _route(url)
        if route is None or route in seen:
            continue
        seen.add(route)
        if url != page.url:  # the landing page is the first, already open
            response = page.goto(url)
            assert response is not None and response.status < 500, (
                f"{url} answered {response and response.status}"
            )
        visited += 1
        seen_as = (route, hash(page.evaluate(MARKUP_KINDS)))
        if seen_as not in _PASSED_AXE:
            assert_accessible(page, f"{route} as {email}")
            _PASSED_AXE.add(seen_as)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        queue.extend(h.split("#")[0] for h in hrefs if h.startswith(origin))
    assert visited >= 3, f"{email} reached only {sorted(seen)}"


@pytest.mark.e2e
def test_axe_loaded_once_for_the_sweep_still_finds_a_violation(page):
    """The sweep's axe comes with each page (an init script), not sent to it: it is there before anything is
    asked of it, and it still names a critical violation (an image without a text alternative)."""
    load_axe_on_every_page(page.context)
    page.route("**/axe-probe/", lambda route: route.fulfill(content_type="text/html", body=AXE_PROBE))
    page.goto("/axe-probe/")
    assert page.evaluate("typeof window.axe") == "object"
    violations = {v["id"]: v for v in axe_violations(page)}
    assert violations["image-alt"]["impact"] == "critical"
    assert violations["image-alt"]["nodes"] == ["img"]
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "the probe")


AXE_PROBE = (
    '<!doctype html><html lang="en"><head><title>Probe</title></head>'
    '<body><main><h1>Probe</h1><img src="/static/none.png"></main></body></html>'
)


@pytest.mark.e2e
def test_the_sign_in_and_error_pages_pass_axe(page, e2e_world, sign_in_through_form):
    page.goto("/accounts/login/")
    assert_accessible(page, "sign in")
    sign_in_through_form("admin@blueharbor.test")  # the form just checked
    # The landing page with allauth's message: the sweep's persons, signed in by cookie, see none.
    expect(page.get_by_role("alert").first).to_contain_text("Successfully signed in as")
    assert_accessible(page, "the landing page and its sign-in message")
    response = page.goto("/partner/no-such-partner/customers/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to my console")).to_be_visible()
    assert_accessible(page, "the 404 page")


@pytest.mark.e2e
def test_a_skip_link_leads_past_the_navigation(page, e2e_world, sign_in_by_cookie):
    sign_in_by_cookie("admin@acme.test")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


@pytest.mark.e2e
def test_sortable_headers_announce_their_order(page, e2e_world, sign_in_by_cookie):
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/")
    customer_header = page.get_by_role("columnheader", name=re.compile("^Customer"))
    status_header = page.get_by_role("columnheader", name=re.compile("^Status"))
    expect(customer_header).to_have_attribute("aria-sort", "ascending")
    expect(status_header).not_to_have_attribute("aria-sort", re.compile(".*"))
    status_header.get_by_role("link").click()
    expect(status_header).to_have_attribute("aria-sort", "ascending")
    expect(customer_header).not_to_have_attribute("aria-sort", re.compile(".*"))
    status_header.get_by_role("link").click()
    expect(status_header).to_have_attribute("aria-sort", "descending")
    for header in page.locator("thead th").all():
        expect(header).to_have_attribute("scope", "col")


def _no_native_dialogs(page) -> list[str]:
    native: list[str] = []

    def refuse(dialog) -> None:
        native.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    return native


@pytest.mark.e2e
def test_removing_wholesale_services_asks_in_an_in_app_dialog(page, e2e_world, sign_in_by_cookie, shot):
    native = _no_native_dialogs(page)
    cedar = e2e_world.cedar_pine
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/{cedar.webex_id}/")
    remove = page.get_by_test_id("remove-services")

    remove.click()
    dialog = page.get_by_role("dialog", name="Remove wholesale services of Cedar & Pine Legal?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("the organisation, its people and its data stay")
    cancel = dialog.get_by_role("button", name="Cancel")
    confirm = dialog.get_by_role("button", name="Remove wholesale services")
    expect(cancel).to_be_focused()  # destructive: Enter alone destroys nothing
    expect(confirm).to_have_class(re.compile("btn-danger-solid"))
    assert_accessible(page, "the confirmation dialog")
    shot("remove-dialog")
    # Focus stays inside the modal dialog.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    assert Customer.objects.get(pk=cedar.pk).status == cedar.status  # Escape changed nothing

    remove.click()
    cancel.click()
    expect(dialog).to_be_hidden()
    assert Customer.objects.get(pk=cedar.pk).status == cedar.status

    remove.click()
    with page.expect_navigation():
        confirm.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    after = Customer.objects.filter(pk=cedar.pk).first()
    assert after is None or after.status != cedar.status  # removal started (or already finished)
    assert native == [], f"the browser's own confirm() appeared: {native}"


@pytest.mark.e2e
def test_the_restricted_mode_toggle_asks_in_an_in_app_dialog(page, e2e_world, sign_in_by_cookie):
    native = _no_native_dialogs(page)
    blue = e2e_world.blue_harbor
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/{blue.webex_id}/")
    panel = page.get_by_test_id("restricted-mode")
    expect(panel).to_have_attribute("data-enabled", "on")

    page.get_by_test_id("restricted-mode-toggle").click()
    dialog = page.get_by_role("dialog", name="Turn Restricted by Partner Mode off for Blue Harbor Dental?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(panel).to_have_attribute("data-enabled", "on")

    page.get_by_test_id("restricted-mode-toggle").click()
    dialog.get_by_role("button", name="Turn off").click()
    expect(page.get_by_test_id("restricted-mode")).to_have_attribute("data-enabled", "off")
    assert Customer.objects.get(pk=blue.pk).restricted_by_partner is False
    assert native == [], f"the browser's own confirm() appeared: {native}"


_CUT_OFF = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const width = (el, text) => {
    const style = getComputedStyle(el);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return ctx.measureText(text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  };
  const visible = el => el.offsetParent !== null;
  const problems = [];
  document.querySelectorAll(".table-wrap").forEach(w => {
    if (w.scrollWidth > w.clientWidth + 1)
      problems.push(`table wider than its frame (${w.scrollWidth} > ${w.clientWidth})`);
  });
  document.querySelectorAll("input[placeholder]").forEach(i => {
    if (visible(i) && width(i, i.placeholder) > i.clientWidth + 1)
      problems.push(`placeholder cut: ${i.placeholder}`);
  });
  document.querySelectorAll("select").forEach(s => {
    const text = s.selectedOptions.length ? s.selectedOptions[0].text : "";
    if (visible(s) && width(s, text) + 24 > s.clientWidth + 1) problems.push(`drop-down cut: ${text}`);
  });
  document.querySelectorAll(".table .badge").forEach(b => {
    const style = getComputedStyle(b);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const most = 2 * line + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + 4;
    if (visible(b) && b.getBoundingClientRect().height > most)
      problems.push(`badge squeezed onto more than two lines: ${b.textContent.trim()}`);
  });
  return problems;
}"""


def _customer_with_wide_cells(partner) -> Customer:
    """A customer whose row is wide: the longest status and four packages, the longest name among them."""
    bulk_customers(partner, OnboardingTemplate.objects.get(partner=partner), 90_000, 1)
    customer = Customer.objects.get(external_id="BENCH-90000")
    Customer.objects.filter(pk=customer.pk).update(  # "Waiting for customer approval"
        status=CustomerStatus.PROVISIONING, attach_state=AttachState.PENDING_APPROVAL
    )
    CustomerPackage.objects.bulk_create(
        CustomerPackage(customer=customer, code=code, status=PackageStatus.PROVISIONED, license_ids=["L"])
        for code in (PackageCode.COMMON_AREA_CALLING, PackageCode.WEBEX_SUITE)
    )
    return customer


@pytest.mark.e2e
def test_nothing_is_cut_off_at_1280_or_1440_px(page, e2e_world, sign_in_by_cookie, shot):
    """Tables fit their frames, badges in them take at most two lines (the customers' packages stood one word
    a line, as ovals, at 1,280), placeholders and drop-down choices show whole, and the cross-launch button
    does not promise a new tab it does not open; at 1,280 pixels too (the manual add's extension column, the
    Users page's status column and the templates' customer count sat behind a sideways scroll there)."""
    acme, blue = e2e_world.acme.webex_id, e2e_world.blue_harbor.org.webex_id
    sign_in_by_cookie("admin@acme.test")
    for width in (1440, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in (
            f"/partner/{acme}/administrators/",
            f"/partner/{acme}/templates/",
            f"/org/{blue}/users/add/",
            f"/org/{blue}/users/",
            f"/org/{blue}/users/?sort=-status",
        ):
            page.goto(path)
            assert page.evaluate(_CUT_OFF) == [], (width, path)
        shot(f"users-add-{width}")
    squeezed = _customer_with_wide_cells(e2e_world.acme)
    try:
        page.goto(f"/partner/{acme}/customers/?q=e")  # indirect customers too, with their "via" badges
        shot("customers-searched-1280")
        assert page.evaluate(_CUT_OFF) == [], "customers searched"
        page.goto(f"/partner/{acme}/customers/")  # last: its cross-launch link is read below
        shot("customers-1280")
        assert page.evaluate(_CUT_OFF) == [], "customers"
    finally:
        squeezed.org.delete()
    launch = page.get_by_role("link", name="Open Control Hub of Blue Harbor Dental")
    assert launch.get_attribute("target") is None
    # The icon is the "enter" arrow, not the external-link square-and-arrow.
    assert "M14 4h6v6" not in launch.inner_html()
    page.context.clear_cookies()
    sign_in_by_cookie("operator@platform.test", to="/ops/organisations/new/")
    assert page.evaluate(_CUT_OFF) == []


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1440, 390])
def test_the_overviews_show_their_charts_at_desktop_and_phone_width(
    page, e2e_world, sign_in_by_cookie, shot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/")
    for chart in ("chart-customers", "chart-packages"):
        figure = page.get_by_test_id(chart)
        expect(figure.get_by_role("img")).to_be_visible()
        box = figure.bounding_box()
        assert box is not None and box["width"] <= width and box["height"] > 100
    expect(page.get_by_test_id("attention")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert_accessible(page, f"the Partner Hub overview at {width} px")
    shot(f"partner-overview-{width}")

    page.goto(f"/org/{e2e_world.blue_harbor.org.webex_id}/")
    expect(page.get_by_test_id("chart-packages").get_by_role("img")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page, f"the Control Hub overview at {width} px")
    shot(f"control-overview-{width}")


@pytest.mark.e2e
def test_an_invited_admin_is_welcomed_sets_a_password_and_lands_signed_in(
    page, e2e_world, sign_in_through_form, shot
):
    """The invitation e-mail leads to a welcome page naming who invited you to which organisation with which
    role; setting a password signs you in and lands you in your hub."""
    from django.core import mail

    native = _no_native_dialogs(page)
    sign_in_through_form("admin@acme.test")
    page.goto(f"/partner/{e2e_world.acme.webex_id}/administrators/")
    page.get_by_label("E-mail address").fill("newcomer@acme.test")
    page.get_by_label("First name").fill("Nia")
    page.get_by_role("checkbox", name=re.compile("^Partner administrator")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    link = re.search(r"https?://\S+/welcome/\S+", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()

    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Acme Telecom")
    invited = page.get_by_test_id("welcome-invited-by")
    expect(invited).to_contain_text("admin@acme.test")
    expect(invited).to_contain_text("Acme Telecom")
    expect(invited).to_contain_text("partner administrator")
    assert_accessible(page, "the welcome page")
    shot("welcome")
    page.get_by_label("New password", exact=True).fill("A-Long-Enough-Passphrase-2026")
    page.get_by_label("New password confirmation").fill("A-Long-Enough-Passphrase-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Set password and continue").click()
    expect(page).to_have_url(re.compile(rf"/partner/{e2e_world.acme.webex_id}/"))
    expect(page.get_by_role("alert").first).to_contain_text("Welcome to Acme Telecom")
    shot("landed")
    # The link is spent: a second visit says so instead of showing a bare password form.
    page.context.clear_cookies()
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link no longer works")
    assert native == []
