"""Every list page on the one list component, in a real browser: searching swaps #results in place (never a
second one nested), a search that finds nothing shows the page's "no … matches" state, and its Clear link
empties the box again; the address bar holds the last search only."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.test_shared_components import list_pages


@pytest.mark.e2e
def test_every_list_page_searches_in_place(page, e2e_world, sign_in_by_cookie, shot):
    signed_in = None
    for name, url, who in list_pages(e2e_world):
        if who.email != signed_in:
            page.context.clear_cookies()
            sign_in_by_cookie(who.email, to=url)
            signed_in = who.email
        else:
            page.goto(url)
        results = page.locator("#results")
        expect(results).to_have_count(1)
        shot(f"{name}-list")
        page.locator(f"#{name}-search").fill("zz-none")
        expect(page).to_have_url(re.compile(r"[?&]q=zz-none(&|$)"))
        page.locator(f"#{name}-search").fill("zz-none-zz")
        expect(page).to_have_url(re.compile(r"[?&]q=zz-none-zz(&|$)"))
        assert parse_qs(urlparse(page.url).query)["q"] == ["zz-none-zz"], page.url  # one search, not two
        expect(page.get_by_test_id(f"{name}-empty")).to_contain_text("matches")
        expect(results).to_have_count(1)
        shot(f"{name}-no-match")
        page.get_by_test_id("clear-filters").click()
        expect(page.locator(f"#{name}-search")).to_have_value("")
        expect(results).to_have_count(1)
