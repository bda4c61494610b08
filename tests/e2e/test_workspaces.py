"""Workspaces in a real browser: a partner admin cross-launched into a customer's Control Hub adds a workspace
with an extension, sees the service's error first, then finds it listed and searchable."""

import re

import pytest
from django.test import TestCase
from playwright.sync_api import expect


def _with_common_area_calling(world):
    """Blue Harbor gets Common Area Calling from its partner (the update task runs)."""
    from apps.provisioning.services.provisioning import customer_update_request

    blue = world.blue_harbor
    codes = sorted(set(blue.packages.values_list("code", flat=True)) | {"common_area_calling"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_update_request(actor=world.acme_admin, customer=blue, packages=codes)
    blue.refresh_from_db()
    return blue


@pytest.mark.e2e
def test_partner_admin_adds_a_workspace_with_an_extension(page, e2e_world, sign_in_by_cookie, shot):
    blue = _with_common_area_calling(e2e_world)
    sign_in_by_cookie("admin@acme.test", to=f"/org/{blue.org.webex_id}/")
    page.get_by_role("link", name="Workspaces").first.click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.org.webex_id}/workspaces/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspaces")
    shot("workspaces-empty")

    page.get_by_test_id("add-workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a workspace")
    page.get_by_label("Name").fill("Reception")
    page.get_by_test_id("save-workspace").click()
    expect(page.locator(".has-error")).to_contain_text(
        "give the workspace a phone number, an extension or both"
    )
    shot("workspace-error")

    page.get_by_label("Extension").fill("7100")
    page.get_by_test_id("save-workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reception")
    expect(page.get_by_test_id("workspace-details")).to_contain_text("7100")
    expect(page.get_by_test_id("workspace-details")).to_contain_text("Webex Common Area Calling")
    expect(page.get_by_test_id("interval-row")).to_have_count(1)
    shot("workspace-detail")

    page.get_by_role("link", name="Workspaces").first.click()
    rows = page.get_by_test_id("workspace-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Reception")
    expect(rows.first).to_contain_text("7100")
    page.get_by_role("searchbox", name="Search workspaces").fill("7100")
    expect(page).to_have_url(re.compile(r"[?&]q=7100"))
    expect(rows).to_have_count(1)
    shot("workspaces-listed")
    page.get_by_role("searchbox", name="Search workspaces").fill("nothing-like-it")
    expect(rows).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("No workspace matches")
