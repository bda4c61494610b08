"""The operations console pages of denied-party screening: the list, the CSV import, the review queue and the
decision page, and the existing-organisations page. Only the platform operator reaches them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.customers.models import CustomerStatus
from apps.screening import services as svc
from apps.screening.models import HoldState, ScreeningEntry, ScreeningHold
from apps.screening.services import screening_gate, screening_recheck_all
from tests.factories import CustomerFactory

PAGES = ["screening_list", "screening_import", "screening_template", "screening_review_list"]


@pytest.fixture
def held(world):
    """Two held customers: one pending, one escalated after 72 hours."""
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets", country="IR", note="List A")
    pending = CustomerFactory(actor=world.acme_admin, partner=world.acme, name="Sanctioned Widgets Ltd")
    escalated = CustomerFactory(
        actor=world.globex_admin, partner=world.globex, name="Widgets Sanctioned GmbH"
    )
    screening_gate(customer=pending)
    long_ago = svc.timezone.now() - timedelta(hours=80)
    screening_gate(customer=escalated, now=long_ago)
    screening_recheck_all()
    return ScreeningHold.objects.get(customer=pending), ScreeningHold.objects.get(customer=escalated)


def test_the_operator_reaches_every_page(world, page_client, held):
    client = page_client(world.operator)
    for name in PAGES:
        assert client.get(reverse(f"ops:{name}")).status_code == 200, name
    assert client.get(reverse("ops:screening_review", kwargs={"hold_id": held[0].id})).status_code == 200
    nav = [item["name"] for item in client.get(reverse("ops:screening_list")).context["nav"]]
    assert {"screening_list", "screening_review_list", "existing_org_create"} <= set(nav)


@pytest.mark.parametrize("person", ["acme_admin", "acme_wholesale", "blue_admin", "globex_admin"])
def test_nobody_else_learns_the_pages_exist(world, page_client, held, person):
    client = page_client(getattr(world, person))
    urls = [reverse(f"ops:{name}") for name in PAGES]
    urls.append(reverse("ops:screening_review", kwargs={"hold_id": held[0].id}))
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "X", "decision": "clear"}).status_code == 404, url
    entry = ScreeningEntry.objects.get()
    assert (
        client.post(reverse("ops:screening_entry_remove", kwargs={"entry_id": entry.id})).status_code == 404
    )
    held[0].refresh_from_db()
    assert held[0].state == HoldState.PENDING and ScreeningEntry.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("ops:screening_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_operator_adds_and_removes_entries(world, page_client):
    client = page_client(world.operator)
    url = reverse("ops:screening_list")
    response = client.post(url, {"name": "", "country": "QQ"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "country"}
    assert not ScreeningEntry.objects.exists()
    response = client.post(
        url, {"name": "Evil Corp", "country": "US", "address": "1 Main St", "note": "OFAC"}
    )
    assert response.status_code == 302
    entry = ScreeningEntry.objects.get()
    response = client.get(url)
    assert b"Evil Corp" in response.content and b"OFAC" in response.content
    # The search swaps the results region only.
    response = client.get(url, {"q": "evil"}, headers={"HX-Request": "true"})
    assert b"Evil Corp" in response.content and b"<html" not in response.content
    nobody = client.get(url, {"q": "nobody"}).content.split(b'id="results"')[1]
    assert b"Evil Corp" not in nobody and b"No party matches" in nobody
    remove = reverse("ops:screening_entry_remove", kwargs={"entry_id": entry.id})
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not ScreeningEntry.objects.exists()
    assert client.post(reverse("ops:screening_entry_remove", kwargs={"entry_id": "nope"})).status_code == 404


def test_the_csv_template_downloads(world, page_client):
    response = page_client(world.operator).get(reverse("ops:screening_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines()[0] == "name,address,country,note"


def test_a_csv_upload_reports_every_bad_row_and_imports_nothing(world, page_client):
    client = page_client(world.operator)
    url = reverse("ops:screening_import")
    bad = SimpleUploadedFile("list.csv", b"name,country\nGood Ltd,US\n,US\nBad Country,ZZ\n", "text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        "Line 3, name: Enter the party's name.",
        "Line 4, country: “ZZ” is not an ISO 3166 country code.",
    ]
    assert "Line 3, name" in response.content.decode()
    assert not ScreeningEntry.objects.exists()
    assert client.post(url, {}).context["form"].errors["file"]  # no file at all
    good = SimpleUploadedFile("list.csv", b"name,country\nGood Ltd,US\nOther AG,DE\n", "text/csv")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert ScreeningEntry.objects.count() == 2


def test_the_queue_shows_open_holds_escalated_first(world, page_client, held):
    pending, escalated = held
    client = page_client(world.operator)
    response = client.get(reverse("ops:screening_review_list"))
    assert [h.id for h in response.context["page"].rows] == [escalated.id, pending.id]
    assert dict((v, n) for v, _, n in response.context["queues"]) == {
        "open": 2,
        "pending": 1,
        "escalated": 1,
        "decided": 0,
    }
    assert [
        h.id
        for h in client.get(reverse("ops:screening_review_list"), {"queue": "pending"}).context["page"].rows
    ] == [pending.id]
    assert not client.get(reverse("ops:screening_review_list"), {"queue": "decided"}).context["page"].rows
    assert client.get(reverse("ops:screening_review_list"), {"queue": "bogus"}).context["queue"] == "open"


def test_the_review_page_explains_the_match(world, page_client, held):
    response = page_client(world.operator).get(
        reverse("ops:screening_review", kwargs={"hold_id": held[1].id})
    )
    content = response.content.decode()
    assert "Sanctioned Widgets" in content
    assert "The words are in a different order." in content
    assert "Company suffixes ignored: gmbh." in content
    assert "onboarding stopped" in content


def test_the_operator_rejects_with_a_reason_then_the_hold_is_read_only(world, page_client, held):
    pending = held[0]
    client = page_client(world.operator)
    url = reverse("ops:screening_review", kwargs={"hold_id": pending.id})
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    pending.refresh_from_db()
    assert pending.state == HoldState.PENDING
    response = client.post(url, {"decision": "reject", "note": "Confirmed listed party"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == HoldState.REJECTED and pending.customer.status == CustomerStatus.ERROR
    response = client.get(url)
    assert b'data-testid="clear"' not in response.content and b"Confirmed listed party" in response.content
    response = client.post(url, {"decision": "clear"})  # too late: decided
    assert response.status_code == 200 and "already rejected" in str(
        response.context["form"].non_field_errors()
    )
    assert AuditEvent.objects.filter(action="customer.screening_reject").count() == 1


def test_the_operator_clears_and_provisioning_resumes(world, page_client, held, monkeypatch):
    resumed = []
    monkeypatch.setattr(
        "apps.provisioning.services.provisioning.customer_provision_enqueue",
        lambda *, customer: resumed.append(customer.pk),
    )
    escalated = held[1]
    url = reverse("ops:screening_review", kwargs={"hold_id": escalated.id})
    response = page_client(world.operator).post(url, {"decision": "clear", "note": ""})
    assert response.status_code == 302
    escalated.refresh_from_db()
    assert escalated.state == HoldState.CLEARED and escalated.decided_by == world.operator
    assert resumed == [escalated.customer_id]


def test_the_operator_records_an_existing_organisation(world, page_client):
    client = page_client(world.operator)
    url = reverse("ops:existing_org_create")
    response = client.post(url, {"name": "Contoso Ltd", "admin_email": "bad", "domains": "x.example maybe"})
    assert response.status_code == 200
    assert {"admin_email", "domains"} <= set(response.context["form"].errors)
    response = client.post(
        url,
        {
            "name": "Contoso Ltd",
            "admin_email": "admin@contoso.example",
            "people": "a@contoso.example\nb@contoso.example",
            "domains": "contoso.example verified",
            "licences": "Webex Meetings, 10, suspended",
        },
    )
    assert response.status_code == 302
    [org] = client.get(url).context["page"].rows
    assert org.name == "Contoso Ltd" and org.people_count == 3 and org.parent is None
    assert page_client(world.acme_admin).get(url).status_code == 404


def test_a_french_operator_reads_the_queue_and_the_reasons_of_a_match_in_french(world, page_client, held):
    """Issue 12 item 12: a hold keeps its reasons as English text and values; each reader gets them in their
    own language, the record stays English."""
    world.operator.language = "fr"
    world.operator.save(update_fields=["language"])
    client = page_client(world.operator)
    queue = client.get(reverse("ops:screening_review_list")).content.decode()
    assert "File de vérification du contrôle de conformité" in queue and "Review queue" not in queue
    review = client.get(reverse("ops:screening_review", kwargs={"hold_id": held[0].id})).content.decode()
    assert "<h2>Correspondances</h2>" in review and "par nom" in review
    assert "Suffixes de société ignorés\u00a0: ltd." in review
    assert "Company suffixes ignored: ltd." in held[0].matches[0]["reasons"]
