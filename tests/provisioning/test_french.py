"""Partner Hub's customer pages, the wizard and Control Hub's wholesale request in French (issue 12): what a
French-speaking admin reads, while what is stored (attach reasons) and the API stay English."""

import html

from django.utils import translation

from apps.provisioning.forms import customer_language_choices
from apps.provisioning.services import attach as svc
from tests.conftest import fresh
from tests.provisioning.test_attach_flow import admin_of, attach, existing
from tests.provisioning.test_customer_wizard import template, wizard  # noqa: F401 (fixtures)
from tests.provisioning.test_partner_pages import order_customer  # noqa: F401 (a fixture)


def _in_french(user):
    user = fresh(user)
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def test_the_customer_list_and_panel_read_in_french(world, page_client):
    client = page_client(_in_french(world.acme_admin))
    body = client.get(f"/partner/{world.acme.webex_id}/customers/").content.decode()
    assert "Créer un client" in body and "Exporter en CSV" in body and "Rechercher des clients" in body
    assert "Create customer" not in body and "Export CSV" not in body
    body = client.get(
        f"/partner/{world.acme.webex_id}/customers/{world.blue_harbor.webex_id}/"
    ).content.decode()
    assert "Changer les offres" in body and "Supprimer les services Wholesale" in body
    assert "Identifiants" in body and "Langue de l'organisation" in body
    for english in ("Change packages", "Remove wholesale services", "Identifiers", "Organisation language"):
        assert english not in body


def test_the_wizard_reads_in_french_and_its_service_errors_too(world, wizard):  # noqa: F811
    _in_french(world.acme_admin)
    body = wizard("location", external_id=world.blue_harbor.external_id).content.decode()
    assert "Corrigez ces points avant de créer le client" in body
    assert "Cet ID externe est déjà utilisé par un autre client de ce partenaire." in body
    assert "This external id is already used" not in body


def test_attach_reasons_are_stored_in_english_and_shown_in_french(world, page_client):
    org = existing(world, domains=[("contoso.test", True, False)])
    customer = attach(world, org, admin_email="admin@contoso.test")
    reason = "The organisation has a verified e-mail domain: contoso.test."
    assert customer.attach_request.reasons == [reason]
    response = page_client(_in_french(admin_of(org))).get(f"/org/{org.webex_id}/wholesale-request/")
    body = html.unescape(response.content.decode())
    assert "Pourquoi une approbation est nécessaire" in body
    assert "L'organisation a un domaine de messagerie vérifié : contoso.test." in body
    assert reason not in body
    with translation.override("fr"):
        assert svc.attach_reason_translated("The organisation has 120 users (100 or more).") == (
            "L'organisation compte 120 utilisateurs (100 ou plus)."
        )
        assert svc.attach_reason_translated("Something else.") == "Something else."


def test_the_customer_language_choices_follow_the_reader_language():
    def labels(language: str) -> list[str]:
        with translation.override(language):
            choices = customer_language_choices()
            return [str(label) for _, label in choices[1][1]][:1] + [str(choices[0][1])]

    assert labels("fr")[1] == "La langue du modèle" and labels("en")[1] == "The template's language"
    assert labels("fr")[0].endswith(", avec le pays du modèle")
    assert labels("en")[0].endswith(", with the template's country")


def test_stored_errors_stay_english_and_the_panel_shows_them_in_french(
    world,
    page_client,
    order_customer,  # noqa: F811
):
    customer = order_customer("Boulangerie Paris", packages=("webex_calling", "cisco_calling_plan"))
    row = customer.packages.get(code="cisco_calling_plan")
    assert row.errors[0]["description"].startswith("Cisco Calling Plan is not offered in GB.")
    org = existing(world, domains=[("contoso.test", True, False)])
    declined = attach(world, org)
    svc.attach_request_decline(actor=admin_of(org), customer=declined, note="Pas commandé.")
    declined.refresh_from_db()
    assert declined.errors[0]["description"] == (
        "The organisation's administrator declined the request to add wholesale services: Pas commandé."
    )
    client = page_client(_in_french(world.acme_admin))
    body = html.unescape(
        client.get(f"/partner/{world.acme.webex_id}/customers/{customer.webex_id}/").content.decode()
    )
    assert "Cisco Calling Plan n'est pas proposé dans ce pays (GB)." in body
    assert "is not offered in" not in body
    body = html.unescape(
        client.get(f"/partner/{world.acme.webex_id}/customers/{declined.webex_id}/").content.decode()
    )
    assert (
        "L'administrateur de l'organisation a refusé la demande d'ajout de services Wholesale : Pas commandé."
        in body
    )
