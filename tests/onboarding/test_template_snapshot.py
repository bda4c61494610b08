"""Editing or deleting a template never changes the customers already onboarded with it (the guide: a
template's settings are applied when the customer is created)."""

from django.test import TestCase

from apps.onboarding.services import template_create, template_delete, template_update
from apps.provisioning.services.provisioning import customer_provision_request
from tests.factories import customer_order, provision_customer


def test_editing_a_template_leaves_onboarded_customers_as_they_were(world):
    template = template_create(
        actor=world.acme_admin,
        partner=world.acme,
        name="Germany",
        country="DE",
        language="de",
        pstn_vendor="Lumen",
    )
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        template=template,
        name="Alt Bäckerei",
        external_id="ALT",
        admin_email="admin@alt.test",
    )
    before = dict(customer.template_settings)
    assert before["language"] == "de" and before["provisioning_id"] == template.provisioning_id
    assert customer.org_locale == "de_DE"

    template_update(
        actor=world.acme_admin,
        template=template,
        name="Renamed",
        country="FR",
        language="fr",
        pstn_vendor="",
        extension_length=6,
    )
    customer.refresh_from_db()
    assert customer.template_settings == before
    assert customer.org_locale == "de_DE"
    # A customer created afterwards gets the new settings.
    later = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        template=template,
        name="Café Later",
        external_id="LATER",
        admin_email="admin@later.test",
    )
    assert later.template_settings["language"] == "fr" and later.template_settings["extension_length"] == 6
    assert later.org_locale == "fr_FR"


def test_an_edit_between_the_order_and_its_task_does_not_reach_the_customer(world):
    template = template_create(
        actor=world.acme_admin, partner=world.acme, name="Spain", country="ES", language="es"
    )
    order = customer_order(
        template=template, name="Tapas Bar", admin_email="admin@tapas.test", external_id="TAPAS"
    )
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        customer = customer_provision_request(actor=world.acme_admin, partner=world.acme, order=order)
    template_update(actor=world.acme_admin, template=template, language="it", country="IT")
    for callback in callbacks:
        callback()
    customer.refresh_from_db()
    assert customer.template_settings["language"] == "es"
    assert customer.org_locale == "es_ES"


def test_deleting_a_template_keeps_its_customers_settings(world):
    customer = world.blue_harbor
    template = customer.template
    before = dict(customer.template_settings)
    template_delete(actor=world.acme_admin, template=template)
    customer.refresh_from_db()
    assert customer.template is None
    assert customer.template_settings == before and before["name"] == "Acme Standard"
