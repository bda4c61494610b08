"""The consoles' error pages (issue 12, item 4): branded 404/403/500 that say what happened and offer the way
back, also with DEBUG on for the 404s and 403s the app raises itself and for an address no route knows; a 403
that a restriction causes names the partner's restriction, not the roles."""

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.core.views import server_error
from apps.restrictions.services import restricted_mode_set

BRANDED = 'class="error-code"'


def _control(name: str, org) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id})


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_gets_the_branded_404(world, page_client, debug):
    client = page_client(world.acme_admin)
    with override_settings(DEBUG=debug):
        response = client.get("/partner/not-a-real-org/customers/nope/")
    assert response.status_code == 404
    body = response.content.decode()
    assert BRANDED in body and "Page not found" in body and "Go to my console" in body
    assert "URLconf" not in body  # not Django's debug page


@pytest.mark.parametrize("debug", [True, False])
def test_an_organisation_out_of_scope_gets_the_branded_404(world, page_client, debug):
    client = page_client(world.globex_admin)
    with override_settings(DEBUG=debug):
        response = client.get(_control("user_list", world.blue_harbor.org))
    assert response.status_code == 404
    assert BRANDED in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_a_page_restricted_mode_takes_away_says_the_partner_restricted_it(world, page_client, debug):
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=True)
    client = page_client(world.blue_admin)
    with override_settings(DEBUG=debug):
        response = client.get(_control("user_add", world.blue_harbor.org))
    assert response.status_code == 403
    body = response.content.decode()
    assert BRANDED in body and "Restricted by your partner" in body
    assert "Restricted by Partner Mode is enabled for Blue Harbor Dental" in body
    assert "Your roles" not in body


def test_a_page_the_roles_refuse_names_the_roles(world, page_client):
    client = page_client(world.blue_readonly)
    with override_settings(DEBUG=True):
        response = client.get(_control("user_add", world.blue_harbor.org))
    assert response.status_code == 403
    body = response.content.decode()
    assert BRANDED in body and "Not allowed" in body and "Your roles do not allow you to" in body


def test_the_api_keeps_its_webex_error_body_for_an_unknown_path(world, client):
    with override_settings(DEBUG=True):
        response = client.get("/v1/not-an-endpoint")
    assert response.status_code == 404 and "trackingId" in response.json()


def test_a_missing_slash_is_still_redirected(world, page_client):
    client = page_client(world.acme_admin)
    with override_settings(DEBUG=True):
        response = client.get(f"/partner/{world.acme.webex_id}/customers")
    assert response.status_code == 301 and response["Location"].endswith("/customers/")


def test_the_500_page_is_branded(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500 and BRANDED in response.content.decode()
