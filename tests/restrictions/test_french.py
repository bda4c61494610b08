"""Restricted-by-partner mode in French (issue 12): the banner, the Restrictions page with the guide's
wording, the Partner Hub toggle and the refusal a customer admin reads; elsewhere it stays English."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from apps.accounts.permissions import Action, require
from apps.restrictions.registry import CONTROLS
from tests.conftest import fresh


def _speak_french(customer) -> None:
    customer.org_locale = "fr_FR"
    customer.save(update_fields=["org_locale"])


def test_a_french_customer_admin_reads_the_banner_and_the_restrictions_page_in_french(world, page_client):
    blue = world.blue_harbor
    _speak_french(blue)
    client = page_client(world.blue_admin)
    body = client.get(f"/org/{blue.org.webex_id}/").content.decode()
    assert "Le mode restreint est activé." in body and "Restricted Mode is enabled" not in body
    body = client.get(f"/org/{blue.org.webex_id}/restrictions/").content.decode()
    assert "Mode restreint par le partenaire" in body
    assert "Le bouton Gérer les utilisateurs est grisé." in body  # a control's guide wording
    assert f"{len(CONTROLS)} sur {len(CONTROLS)}" in body
    for english in (
        "Restricted by Partner Mode",
        "What the customer administrator sees",
        "Not in your roles",
    ):
        assert english not in body


def test_the_partner_toggle_asks_in_french(world, page_client):
    blue = world.blue_harbor
    admin = fresh(world.acme_admin)
    admin.language = "fr"
    admin.save(update_fields=["language"])
    body = (
        page_client(admin).get(f"/partner/{world.acme.webex_id}/customers/{blue.webex_id}/").content.decode()
    )
    assert "Désactiver le mode restreint par le partenaire pour Blue Harbor Dental ?" in body
    assert 'data-confirm-action="Désactiver"' in body
    assert "Turn off" not in body


def test_the_refusal_is_french_on_a_page_and_english_otherwise(world):
    admin = fresh(world.blue_admin)
    for language, start in (
        ("fr", "Le mode restreint par le partenaire est activé pour Blue Harbor Dental"),
        ("en", "Restricted by Partner Mode is enabled for Blue Harbor Dental"),
    ):
        with translation.override(language), pytest.raises(PermissionDenied) as refused:
            require(admin, Action.USERS_PROVISION, world.blue_harbor.org)
        assert str(refused.value).startswith(start)
