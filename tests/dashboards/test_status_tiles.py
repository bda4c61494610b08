"""The partner overview's status tiles (issue 12, item 1): a customer whose attach request waits for its own
administrator's approval is stored as ``provisioning`` (the API's status) but reads "Waiting for customer
approval" everywhere; the tiles count it under that status, not under Provisioning. And the overview pages
read French for a person who reads French (issue 12, item 12)."""

import re

from django.urls import reverse
from django.utils.html import escape

from apps.customers.models import AttachState, Customer, CustomerStatus
from apps.dashboards.selectors import WAITING_FOR_APPROVAL, customer_overview


def _tiles(world) -> dict[str, tuple[str, int]]:
    tiles = customer_overview(actor=world.acme_admin, partner=world.acme).tiles
    return {key: (str(label), n) for label, key, n in tiles}


def _wait_for_approval(customer) -> None:
    Customer.objects.filter(pk=customer.pk).update(
        status=CustomerStatus.PROVISIONING, attach_state=AttachState.PENDING_APPROVAL
    )


def test_customers_waiting_for_approval_count_under_their_own_status(world):
    before = _tiles(world)
    assert before[WAITING_FOR_APPROVAL] == ("Waiting for customer approval", 0)
    _wait_for_approval(world.cedar_pine)
    after = _tiles(world)
    assert after[WAITING_FOR_APPROVAL] == ("Waiting for customer approval", 1)
    assert after["provisioning"] == before["provisioning"]  # not counted as Provisioning
    assert sum(n for _label, n in after.values()) == Customer.objects.filter(org__parent=world.acme).count()
    # The tile follows Provisioning, as a person reads the states in order.
    keys = list(after)
    assert keys.index(WAITING_FOR_APPROVAL) == keys.index("provisioning") + 1


def _tile_count(html: str, label: str) -> int:
    """The number of a status tile: a link to the filtered list, or (a status the list cannot filter by)
    the number alone beside its label."""
    match = re.search(rf'aria-label="(\d+) {re.escape(escape(label.lower()))}"', html) or re.search(
        rf'<div class="label">{re.escape(escape(label))}</div><div class="value">(\d+)</div>', html
    )
    assert match, label
    return int(match.group(1))


def test_the_overview_shows_the_waiting_tile(world, page_client):
    url = reverse("partner:overview", kwargs={"org_id": world.acme.webex_id})
    client = page_client(world.acme_admin)
    provisioning = _tile_count(client.get(url).content.decode(), "Provisioning")
    _wait_for_approval(world.cedar_pine)
    html = client.get(url).content.decode()
    assert _tile_count(html, "Waiting for customer approval") == 1
    assert _tile_count(html, "Provisioning") == provisioning
    # The customer list filters by the stored status: the waiting tile does not link to an unfiltered list.
    assert f"?status={WAITING_FOR_APPROVAL}" not in html and "?status=provisioning" in html


def test_the_overviews_read_french(world, page_client):
    world.acme_admin.language = "fr"
    world.acme_admin.save(update_fields=["language"])
    _wait_for_approval(world.cedar_pine)
    client = page_client(world.acme_admin)
    html = client.get(reverse("partner:overview", kwargs={"org_id": world.acme.webex_id})).content.decode()
    assert '<html lang="fr">' in html
    for text in ("Clients par état", "Tous les clients", "Les 90 derniers jours", "Abonnés par offre"):
        assert text in html, text
    assert _tile_count(html, "En attente de l'approbation du client") == 1
    assert "Customers by status" not in html and "The numbers" not in html
    # The charts' coordinates stay numbers an SVG reads, whatever the decimal separator of the language.
    assert 'class="chart-axis"' in html
    assert not re.search(r'\b(?:x|y|x1|x2|y1|y2|cx|cy)="-?\d+,\d', html)
    control = reverse("control:overview", kwargs={"org_id": world.blue_harbor.org.webex_id})
    html = client.get(control).content.decode()
    for text in ("ID de l'organisation", "Nom de l'entreprise", "Abonnés par offre"):
        assert text in html, text
