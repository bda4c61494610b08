"""The partner's wholesale admin creates an onboarding template through the guide's wizard in a real browser,
fixes what it refused, reviews, submits, and copies the provisioning ID from the template's page."""

import re

import pytest
from playwright.sync_api import expect

from apps.onboarding.models import OnboardingTemplate


@pytest.mark.e2e
def test_create_a_template_through_the_wizard_and_copy_its_provisioning_id(
    page, live_server, e2e_world, sign_in_by_cookie, shot
):
    acme = e2e_world.acme
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in_by_cookie("wholesale@acme.test", to=f"/partner/{acme.webex_id}/")
    page.get_by_role("navigation", name="Partner Hub").get_by_role("link", name="Templates").click()
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/templates/$"))
    expect(page.get_by_test_id("template-row")).to_have_count(1)  # the world's "Acme Standard"
    shot("templates")

    page.get_by_test_id("template-create").click()
    steps = page.get_by_role("list", name="Steps")
    expect(steps.locator('[aria-current="step"]')).to_have_text("Primary settings")
    page.get_by_role("button", name="Next").click()  # nothing filled in: refused with field errors
    expect(page.get_by_text("Enter a name for the template.")).to_be_visible()
    shot("primary-refused")

    page.get_by_label("Template name").fill("SMB Europe")
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Language").select_option("en_GB")
    page.get_by_role("button", name="Next").click()

    expect(steps.locator('[aria-current="step"]')).to_have_text("Authentication")
    page.get_by_label("Partner SSO (OpenID Connect)").check()
    expect(page.get_by_role("textbox", name="IdP name")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(
        page.get_by_text("Enter the IdP name given when the OpenID Connect IdP was set up.")
    ).to_be_visible()
    page.get_by_role("textbox", name="IdP name").fill("Acme Okta")
    shot("authentication")
    page.get_by_role("button", name="Next").click()

    expect(steps.locator('[aria-current="step"]')).to_have_text("Wholesale calling")
    expect(page.get_by_test_id("pstn-warning")).to_contain_text("initial location only")
    page.get_by_role("button", name="Next").click()  # no vendor: the recommended choice

    expect(steps.locator('[aria-current="step"]')).to_have_text("Common settings")
    page.get_by_label("Allow admin-invite emails when attaching to existing orgs").check()
    page.get_by_label("Extension length").select_option("5")
    page.get_by_role("button", name="Next").click()

    review = page.get_by_test_id("template-review")
    expect(review).to_contain_text("SMB Europe")
    expect(review).to_contain_text("English (United Kingdom)")
    expect(review).to_contain_text("Acme Okta")
    expect(review).to_contain_text("5 digits")
    shot("review")
    # Edit from the review goes back to the step with the values kept, and Next returns through the steps.
    page.get_by_role("button", name="Edit Primary settings").click()
    expect(page.get_by_label("Template name")).to_have_value("SMB Europe")
    page.get_by_label("Template name").fill("SMB Europe (SSO)")
    for _ in range(4):
        page.get_by_role("button", name="Next").click()
    expect(review).to_contain_text("SMB Europe (SSO)")
    assert not OnboardingTemplate.objects.filter(name__startswith="SMB Europe").exists()

    page.get_by_test_id("wizard-submit").click()
    template = OnboardingTemplate.objects.get(name="SMB Europe (SSO)")
    expect(page).to_have_url(re.compile(rf"/templates/{template.provisioning_id}/$"))
    assert (template.auth_mode, template.idp_name, template.extension_length) == (
        "partner_oidc",
        "Acme Okta",
        5,
    )
    assert template.allow_admin_invite_on_attach and template.country == "GB"
    shown = page.get_by_test_id("provisioning-id")
    expect(shown).to_have_text(template.provisioning_id)

    page.get_by_test_id("copy-provisioning-id").click()
    expect(page.locator("#toasts")).to_contain_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == template.provisioning_id
    shot("template-detail")
