"""Indirect providers in French (issue 12, item 12): the list, the suspension page and its flash message, and
the refusals a suspended partner and a refused removal show, in the reader's language."""

from django.urls import reverse
from django.utils import translation

from apps.accounts.permissions import Action, refusal_reason
from apps.core.exceptions import ConflictError
from apps.subpartners.services import subpartner_remove, subpartner_set_status
from tests.html import squash


def url(world, name, **kwargs):
    return reverse(f"partner:{name}", kwargs={"org_id": world.acme.webex_id} | kwargs)


def _choose_french(user):
    user.language = "fr"
    user.save(update_fields=["language"])


def test_the_indirect_providers_read_in_french(world, page_client):
    _choose_french(world.acme_admin)
    client = page_client(world.acme_admin)
    page = client.get(url(world, "subpartner_list")).content.decode()
    assert "<h1>Fournisseurs indirects</h1>" in page
    assert "Configurer un fournisseur indirect" in page and 'placeholder="Rechercher par nom"' in page
    assert 'aria-label="Suspendre Northwind Reseller"' in squash(page)
    assert "Set up indirect provider" not in page and ">Suspend<" not in page

    status_url = url(world, "subpartner_status", subpartner_id=world.northwind.webex_id)
    assert "<h1>Suspendre Northwind Reseller</h1>" in squash(client.get(status_url).content)
    response = client.post(status_url, {"status": "suspended", "reason": "Impayé"}, follow=True)
    assert "Northwind Reseller suspendu." in response.content.decode()


def test_a_suspended_partner_and_a_refused_removal_explain_themselves_in_french(world):
    subpartner_set_status(
        actor=world.acme_admin, subpartner=world.northwind, status="suspended", reason="Impayé"
    )
    world.northwind.refresh_from_db()
    with translation.override("fr"):
        reason = refusal_reason(world.northwind_admin, Action.CUSTOMER_CREATE, world.northwind)
        assert reason.startswith("Northwind Reseller est suspendu (Impayé) : il peut seulement supprimer")
        try:
            subpartner_remove(actor=world.acme_admin, subpartner=world.northwind)
        except ConflictError as exc:
            refused = exc.message
    assert refused == "Northwind Reseller gère encore 1 organisation cliente : supprimez-la d'abord."
