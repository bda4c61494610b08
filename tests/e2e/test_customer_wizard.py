"""The acme admin creates a customer in Partner Hub's wizard, fixing the mistakes each step points out, and
watches the customer's panel move from ``provisioning`` to ``provisioned`` without reloading."""

import re

import pytest
from playwright.sync_api import expect

from apps.customers.models import Customer


def _mark_document(page) -> None:
    page.evaluate("window.__e2eNoReload = true")


def _assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__e2eNoReload === true"), "the page reloaded instead of swapping in place"


@pytest.fixture
def held_tasks(monkeypatch):
    """Provisioning tasks are recorded instead of run at once, so the panel is seen while it provisions; the
    test then runs the task body itself, as a worker would."""
    from apps.provisioning import tasks

    queued: list[tuple] = []
    # The outbox publishes with apply_async once the customer commits (apps.core.services.outbox).
    monkeypatch.setattr(
        tasks.customer_provision_task,
        "apply_async",
        lambda *args, **kwargs: queued.append(kwargs.get("args")),
    )
    return queued


@pytest.mark.e2e
def test_acme_admin_walks_the_wizard_until_the_customer_is_provisioned(
    page, e2e_world, sign_in_by_cookie, shot, held_tasks
):
    from apps.onboarding.services import template_create
    from apps.provisioning.services.provisioning import customer_provision

    acme = e2e_world.acme
    template_create(
        actor=e2e_world.acme_admin, partner=acme, name="Small business UK", country="GB", language="en"
    )
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{acme.webex_id}/customers/")
    page.get_by_test_id("create-customer").click()
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/customers/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create customer")
    _mark_document(page)

    # 1. Customer information: a "%" in the name is refused on the server.
    step = page.get_by_test_id("step-info")
    step.get_by_label("Company name").fill("100% Pure Juice")
    step.get_by_label("Administrator e-mail").fill("owner@purejuice.test")
    step.get_by_label("Onboarding template").select_option(label="Small business UK")
    step.get_by_label("External id").fill("JUICE-7")
    shot("info-filled")
    page.get_by_test_id("wizard-next").click()
    expect(step.get_by_text("The name must not contain “%”.")).to_be_visible()
    shot("info-error")
    step.get_by_label("Company name").fill("Pure Juice Bar")
    page.get_by_test_id("wizard-next").click()

    # 2. Packages: an add-on alone is refused; with Webex Calling (at most 20 seats) it is fine.
    step = page.get_by_test_id("step-packages")
    expect(step).to_be_visible()
    page.get_by_test_id("package-attendant_console").get_by_role("checkbox").check()
    shot("packages")
    page.get_by_test_id("wizard-next").click()
    expect(step.get_by_text(re.compile(r"Attendant Console is an add-on"))).to_be_visible()
    expect(page.get_by_test_id("package-attendant_console").get_by_role("checkbox")).to_be_checked()
    page.get_by_test_id("package-webex_calling").get_by_role("checkbox").check()
    page.get_by_label("Limit of Webex Calling", exact=True).fill("20")
    page.get_by_test_id("wizard-next").click()

    # 3. Headquarters location: the supported-location confirmation is required.
    step = page.get_by_test_id("step-location")
    expect(step).to_be_visible()
    expect(step.get_by_label("Country", exact=True)).to_have_value("GB")  # from the template
    step.get_by_label("Address line 1", exact=True).fill("8 Quay Street")
    step.get_by_label("City", exact=True).fill("Bristol")
    step.get_by_label("Postal code (optional)", exact=True).fill("BS1 4DJ")
    step.get_by_label("Time zone").select_option("Europe/London")
    expect(page.get_by_test_id("billing-address")).to_be_hidden()
    page.get_by_test_id("wizard-next").click()
    expect(step.get_by_text("Confirm that the customer is in a supported location.")).to_be_visible()
    step.get_by_label("I verify that this customer is in a Cisco Webex supported location").check()
    shot("location")
    page.get_by_test_id("wizard-next").click()

    # 4. Review: the precheck passed; edit a step from the review and come back.
    review = page.get_by_test_id("step-review")
    expect(review).to_be_visible()
    expect(page.get_by_test_id("precheck-ok")).to_be_visible()
    expect(review).to_contain_text("Pure Juice Bar")
    expect(review).to_contain_text("Webex Calling")
    expect(review).to_contain_text("+44")
    shot("review")
    review.get_by_role("button", name="Edit customer information").click()
    page.get_by_test_id("step-info").get_by_label("External id").fill("JUICE-8")
    page.get_by_role("button", name="Back to review").click()
    expect(page.get_by_test_id("step-review")).to_contain_text("JUICE-8")
    _assert_not_reloaded(page)
    assert not Customer.objects.filter(external_id__startswith="JUICE").exists()  # nothing written yet

    # 5. Create: the panel shows the customer provisioning, then provisioned, without reloading.
    page.get_by_test_id("wizard-create").click()
    customer_url = re.compile(rf"/partner/{acme.webex_id}/customers/[A-Za-z0-9_-]+/$")
    expect(page).to_have_url(customer_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pure Juice Bar")
    status = page.get_by_test_id("customer-status")
    expect(status).to_contain_text("Provisioning")
    expect(page.get_by_test_id("customer-live")).to_have_attribute("hx-trigger", "every 1s")
    shot("panel-provisioning")
    customer = Customer.objects.get(external_id="JUICE-8")
    assert len(held_tasks) == 1
    _mark_document(page)
    with page.expect_response(re.compile(r"/progress/$")):
        customer_provision(customer_id=customer.id)
    expect(status).to_contain_text("Provisioned")
    expect(page.get_by_test_id("customer-live")).to_have_attribute("data-status", "provisioned")
    expect(page.get_by_test_id("customer-live")).not_to_have_attribute("hx-trigger", "every 1s")
    expect(page.get_by_test_id("package-row")).to_have_count(2)
    expect(page.get_by_test_id("customer-live")).to_contain_text("owner@purejuice.test")
    _assert_not_reloaded(page)
    shot("panel-provisioned")

    page.get_by_test_id("open-control-hub").click()
    expect(page).to_have_url(re.compile(rf"/org/{customer.org.webex_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pure Juice Bar")
    shot("control-hub")
