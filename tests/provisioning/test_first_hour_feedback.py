"""Feedback a new partner admin reads is true (issue 12, item 7): the customer list mentions indirect
providers only to whom it concerns, Control Hub opens only once the organisation exists, the screening note
says when it is required, a missing e-mail is called missing."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from apps.customers.selectors import customers_visible_to
from apps.provisioning.selectors import indirect_customers_reachable
from apps.screening.views import HoldDecisionForm
from apps.subscribers.services.subscribers import subscriber_precheck
from tests.conftest import fresh
from tests.provisioning.test_attach_flow import attach, existing

INDIRECT = "Searching also finds the customers of your indirect providers"


def _customers(world, client, partner):
    return client.get(reverse("partner:customer_list", kwargs={"org_id": partner.webex_id})).content.decode()


def test_only_a_partner_with_indirect_providers_is_told_search_reaches_them(world, page_client):
    assert INDIRECT in _customers(world, page_client(world.acme_admin), world.acme)
    assert INDIRECT not in _customers(world, page_client(world.globex_admin), world.globex)


PERSONAS = ["operator", "acme_admin", "acme_readonly", "acme_partner_admin", "northwind_admin"]
PERSONAS += ["globex_admin"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_whether_search_reaches_indirect_customers_is_the_scopes_answer(world, persona):
    # The compiled check of the partner's own admins answers as the scoped query does, for every partner.
    actor = fresh(getattr(world, persona))
    for partner in (world.acme, world.northwind, world.globex):
        expected = customers_visible_to(actor=actor).filter(org__parent__parent=partner).exists()
        assert indirect_customers_reachable(actor=actor, partner=partner) is expected, (persona, partner)


def test_control_hub_cannot_be_opened_before_the_organisation_exists(world, page_client):
    org = existing(world, people=0, domains=[("contoso.test", True, False)])
    waiting = attach(world, org, admin_email="admin@contoso.test")  # provisioning waits for approval
    client = page_client(world.acme_admin)
    listing = _customers(world, client, world.acme)
    assert f'aria-label="Open Control Hub of {world.blue_harbor.org.name}"' in listing
    assert "Open Control Hub of Contoso Ltd" not in listing
    assert "Control Hub of Contoso Ltd: available once the organisation is provisioned" in listing
    ids = {"org_id": world.acme.webex_id, "customer_id": waiting.webex_id}
    panel = client.get(reverse("partner:customer_detail", kwargs=ids)).content.decode()
    assert "Available once the organisation is provisioned." in panel
    assert reverse("control:overview", kwargs={"org_id": org.webex_id}) not in panel


def test_the_screening_note_says_it_is_required_to_reject():
    html = render_to_string("components/field.html", {"field": HoldDecisionForm()["note"]})
    assert "(required to reject)" in html and "(optional)" not in html


@pytest.mark.parametrize("email", ["", "   "])
def test_a_missing_email_is_called_missing_not_invalid(world, email):
    with pytest.raises(ValidationError) as refused:
        subscriber_precheck(
            actor=world.acme_admin, customer=world.blue_harbor, email=email, package="webex_calling"
        )
    assert refused.value.message_dict["email"] == ["An e-mail address is required."]
