"""Partner Hub's "Create customer" wizard: every step validates on the server, the review runs the precheck,
nothing is written before "Create customer", and creating lands on the customer's panel."""

import pytest

from apps.core.models import AuditEvent, Organization
from apps.customers.models import Customer, CustomerStatus
from apps.locations.models import Location
from apps.onboarding.services import template_create
from apps.partners.services import partner_create
from tests.html import squash

INFO = {
    "name": "Oak & Ivy Florists",
    "primary_email": "owner@oakivy.test",
    "external_id": "OAK-1",
    "language": "",
}
PACKAGES = {"packages": ["webex_calling", "attendant_console"], "limit_webex_calling": "25"}
LOCATION = {
    "location_name": "Main shop",
    "address_line1": "12 Market Street",
    "address_line2": "",
    "city": "Leeds",
    "state_or_province": "",
    "zip_or_postal_code": "LS1 6DT",
    "country": "GB",
    "timezone": "Europe/London",
    "location_language": "en_GB",
    "emergency_location_identifier": "",
    "supported_location": "on",
}


@pytest.fixture
def template(world):
    return template_create(
        actor=world.acme_admin, partner=world.acme, name="Wizard small business", country="GB", language="en"
    )


@pytest.fixture
def wizard(world, page_client, template):
    """``wizard(step, nav="next", **values)``: POST one step of the acme admin's wizard with every value."""
    client = page_client(world.acme_admin)
    url = f"/partner/{world.acme.webex_id}/customers/new/"

    def post(step: str, nav: str = "next", user=None, htmx: bool = False, **values):
        data = {"template": template.provisioning_id, **INFO, **PACKAGES, **LOCATION}
        data.update(values)
        data = {k: v for k, v in data.items() if v is not None}
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        target = page_client(user) if user else client
        return target.post(url, {**data, "step": step, "nav": nav}, **headers)

    post.url = url
    post.client = client
    return post


def shown_step(response) -> str:
    return response.context["step"]


def counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        Customer.objects.count(),
        Location.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_wizard_needs_customer_create(world, page_client, template):
    url = f"/partner/{world.acme.webex_id}/customers/new/"
    response = page_client(world.acme_admin).get(url)
    assert response.status_code == 200
    assert shown_step(response) == "info"
    assert template.provisioning_id in response.content.decode()
    assert page_client(world.acme_readonly).get(url).status_code == 403
    assert page_client(world.acme_readonly).post(url, {"step": "review", "nav": "create"}).status_code == 403
    assert page_client(world.acme_wholesale).get(url).status_code == 200


def test_a_partner_without_templates_is_sent_to_create_one(world, page_client):
    partner = partner_create(actor=world.operator, name="Templateless", admin_email="admin@templateless.test")
    admin = partner.people.get()
    response = page_client(admin).get(f"/partner/{partner.webex_id}/customers/new/")
    assert b'data-testid="no-templates"' in response.content
    assert f"/partner/{partner.webex_id}/templates/new/".encode() in response.content


def test_the_only_template_is_chosen_and_several_ask_for_a_choice(world, page_client):
    partner = partner_create(actor=world.operator, name="One template", admin_email="admin@onetemplate.test")
    client = page_client(partner.people.get())
    url = f"/partner/{partner.webex_id}/customers/new/"
    only = template_create(
        actor=partner.people.get(), partner=partner, name="Only", country="GB", language="en"
    )
    field = client.get(url).context["form"]["template"]
    assert field.value() == only.provisioning_id
    template_create(actor=partner.people.get(), partner=partner, name="Second", country="US", language="en")
    field = client.get(url).context["form"]["template"]
    assert not field.value() and field.field.choices[0] == ("", "Choose a template")


def test_customer_information_step_validates_every_field(wizard, template, world):
    response = wizard("info", name="", primary_email="not-an-email", template="", external_id=" ")
    assert shown_step(response) == "info"
    errors = response.context["form"].errors
    assert {"name", "primary_email", "template", "external_id"} <= set(errors)
    response = wizard("info", name="100% Fresh")
    assert "name" in response.context["form"].errors
    # A template of another partner is not a choice.
    other = template_create(
        actor=world.globex_admin, partner=world.globex, name="Globex basic", country="US", language="en"
    )
    response = wizard("info", template=other.provisioning_id)
    assert "template" in response.context["form"].errors
    response = wizard("info", language="xx")
    assert "language" in response.context["form"].errors
    assert shown_step(wizard("info")) == "packages"


def test_packages_step_needs_a_package_a_base_for_addons_and_sane_limits(wizard):
    response = wizard("packages", packages=[])
    assert shown_step(response) == "packages"
    assert "packages" in response.context["form"].errors
    response = wizard("packages", packages=["attendant_console"])
    assert "Attendant Console is an add-on" in str(response.context["form"].errors["packages"])
    response = wizard("packages", packages=["webex_calling", "no_such_package"])
    assert "packages" in response.context["form"].errors
    response = wizard("packages", limit_webex_calling="0")
    assert "limit_webex_calling" in response.context["form"].errors
    response = wizard("packages", limit_webex_calling="many")
    assert "limit_webex_calling" in response.context["form"].errors
    assert shown_step(wizard("packages")) == "location"


def test_packages_step_shows_cards_with_what_they_include_and_need(wizard):
    response = wizard("info")
    body = response.content.decode()
    assert 'data-testid="package-webex_suite"' in body and "Meetings up to 1000 participants" in body
    assert "Add-on: needs one of Webex Calling, Webex Suite, Customer Assist" in body  # attendant console


def test_location_step_validates_address_time_zone_language_and_the_confirmation(wizard):
    response = wizard("location", supported_location=None)
    assert shown_step(response) == "location"
    assert "supported_location" in response.context["form"].errors
    response = wizard("location", address_line1="x" * 51, timezone="Mars/Olympus", location_language="xx_YY")
    errors = response.context["form"].errors
    assert {"address_line1", "timezone", "location_language"} <= set(errors)
    response = wizard("location", country="ZZ", city="")
    assert {"country", "city"} <= set(response.context["form"].errors)


def test_billing_address_is_the_headquarters_unless_it_differs(wizard):
    response = wizard("location", billing_differs="on")
    errors = response.context["form"].errors
    assert {"billing_address_line1", "billing_city", "billing_country"} <= set(errors)
    response = wizard(
        "location",
        billing_differs="on",
        billing_address_line1="1 Finance Way",
        billing_city="Berlin",
        billing_country="DE",
    )
    assert shown_step(response) == "review"
    review = response.context["review"]
    assert review["billing"].country == "DE" and review["call_in"] == ("EURO", "+49")
    response = wizard("location")
    assert response.context["review"]["billing"].city == "Leeds"
    assert response.context["review"]["call_in"] == ("EMEA", "+44")


def test_a_tampered_earlier_step_is_caught_again_later(wizard):
    """Every step passed is validated again going forward: a bad value sends the admin back to its step."""
    response = wizard("location", name="50% off")
    assert shown_step(response) == "info"
    assert "name" in response.context["form"].errors
    response = wizard("review", nav="create", packages=["cx_voice_ports"])
    assert shown_step(response) == "packages"


def test_back_and_edit_links_keep_what_was_typed(wizard, template):
    response = wizard("location", nav="back")
    assert shown_step(response) == "packages"
    body = response.content.decode()
    # The wizard engine keeps what was typed under this tab's run; the packages are shown, ticked.
    assert 'name="packages" value="webex_calling" checked' in squash(body)
    assert 'type="hidden" name="address_line1"' not in body  # no longer carried by the page
    run = response.context["run"]
    # Only the step on screen is posted from now on: the other steps come from the run.
    client = wizard.client
    response = client.post(wizard.url, {"run": run, "step": "packages", "nav": "next", **PACKAGES})
    assert shown_step(response) == "location"
    assert response.context["form"]["address_line1"].value() == "12 Market Street"
    response = client.post(wizard.url, {"run": run, "step": "location", "nav": "next", **LOCATION})
    assert shown_step(response) == "review"
    response = client.post(wizard.url, {"run": run, "step": "review", "nav": "goto:info"})
    assert shown_step(response) == "info"
    assert response.context["form"]["name"].value() == "Oak & Ivy Florists"
    info = {"template": template.provisioning_id, **INFO}
    response = client.post(wizard.url, {"run": run, "step": "info", "nav": "goto:review", **info})
    assert shown_step(response) == "review" and response.context["errors"] == []  # review was reached
    # A step not reached yet is not a step link: asking for it stays.
    assert shown_step(client.post(wizard.url, {"step": "info", "nav": "goto:review", **info})) == "info"
    # Another tab (a new run) starts empty; the first one is untouched.
    fresh = client.post(wizard.url, {"step": "info", "nav": "next"})
    assert shown_step(fresh) == "info" and "name" in fresh.context["form"].errors


def test_creating_forgets_the_run(wizard, django_capture_on_commit_callbacks):
    run = wizard("location").context["run"]
    client = wizard.client
    assert any(key.endswith(run) for key in client.session["wizards"]["customer_create"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(wizard.url, {"run": run, "step": "review", "nav": "create"})
    assert response.status_code == 302
    assert not any(key.endswith(run) for key in client.session["wizards"]["customer_create"])


def test_the_review_shows_what_provisioning_will_derive(wizard):
    response = wizard("location", language="pt")
    review = response.context["review"]
    # "pt" with the template's country GB is not a supported locale: the default sensible one, pt_PT, which
    # meeting sites do not support (English).
    assert review["org_locale"] == "pt_PT" and review["meeting_site_locale"] == "en_US"


def test_the_review_runs_the_precheck_and_nothing_is_written(wizard, world):
    before = counts()
    response = wizard("location", external_id=world.blue_harbor.external_id)  # already used by Blue Harbor
    assert shown_step(response) == "review"
    errors = response.context["errors"]
    assert errors and any(e.step == "info" for e in errors), errors
    assert b'data-testid="precheck-errors"' in response.content
    assert 'value="create" disabled' in squash(response.content)
    response = wizard("review", nav="create", external_id=world.blue_harbor.external_id)
    assert shown_step(response) == "review" and response.context["errors"]
    assert counts() == before


def test_an_email_of_another_organisation_is_a_conflict_on_review(wizard, world):
    before = counts()
    response = wizard("review", nav="create", primary_email="admin@initech.test")
    assert shown_step(response) == "review"
    assert response.context["errors"]
    assert counts() == before


def test_every_step_error_writes_nothing(wizard):
    before = counts()
    wizard("info", name="")
    wizard("packages", packages=["attendant_console"])
    wizard("location", supported_location=None)
    wizard("review", nav="create", timezone="Nowhere/Special")
    assert counts() == before


def test_creating_lands_on_the_panel_of_a_provisioned_customer(
    wizard, world, django_capture_on_commit_callbacks
):
    response = wizard("location")
    assert response.context["errors"] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard("review", nav="create")
    customer = Customer.objects.get(external_id="OAK-1", org__parent=world.acme)
    assert response.status_code == 302
    assert response["Location"] == f"/partner/{world.acme.webex_id}/customers/{customer.webex_id}/"
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.org.name == "Oak & Ivy Florists" and customer.primary_email == "owner@oakivy.test"
    assert customer.country == "GB" and customer.city == "Leeds"
    assert customer.package_limits == {"webex_calling": 25}
    assert sorted(p.code for p in customer.packages.all()) == ["attendant_console", "webex_calling"]
    location = Location.objects.get(org=customer.org)
    assert (location.name, location.timezone, location.language) == ("Main shop", "Europe/London", "en_GB")
    panel = wizard.client.get(response["Location"])
    assert panel.status_code == 200 and b"Oak &amp; Ivy Florists" in panel.content


def test_htmx_steps_swap_the_wizard_and_creating_redirects_the_browser(
    wizard, world, django_capture_on_commit_callbacks
):
    response = wizard("info", htmx=True)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="wizard"') and "<html" not in body
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard("review", nav="create", htmx=True)
    customer = Customer.objects.get(external_id="OAK-1")
    assert response["HX-Redirect"].endswith(f"/customers/{customer.webex_id}/")
