"""Help and support: the Help page shows the resolved support links and the partner's contacts; a customer
admin's support request reaches its partner (who moves its status) and the operator, and no one else."""

from django.urls import reverse

from apps.branding.models import BrandLayer
from apps.branding.services import brand_update
from apps.core.models import AuditEvent
from apps.support.models import RequestStatus, SupportRequest
from apps.support.services import support_contacts_update


def test_help_is_built_from_the_brand_and_the_partners_contacts(world, page_client):
    brand_update(
        actor=world.acme_admin,
        org=world.acme,
        layer=BrandLayer.CUSTOMER_DEFAULT,
        values={"help_url": "https://help.acme.test/", "support_url": "https://support.acme.test/"},
    )
    support_contacts_update(
        actor=world.acme_admin, org=world.acme, phone="+1 800 555 0100", email="desk@acme.test"
    )
    page = (
        page_client(world.blue_admin)
        .get(reverse("control:help", kwargs={"org_id": world.blue_harbor.org.webex_id}))
        .content.decode()
    )
    assert "https://help.acme.test/" in page and "https://support.acme.test/" in page
    assert "+1 800 555 0100" in page and "desk@acme.test" in page
    other = (
        page_client(world.initech_admin)
        .get(reverse("control:help", kwargs={"org_id": world.initech.org.webex_id}))
        .content.decode()
    )
    assert "acme.test" not in other


def test_a_support_request_reaches_the_partner_and_the_operator(world, page_client):
    url = reverse("control:help", kwargs={"org_id": world.blue_harbor.org.webex_id})
    response = page_client(world.blue_readonly).post(
        url, {"subject": "Phones are down", "description": "Since 9am.", "escalated": "on"}
    )
    assert response.status_code == 302
    opened = SupportRequest.objects.get()
    assert (
        opened.escalated and opened.status == RequestStatus.OPEN and opened.opened_by == world.blue_readonly
    )
    partner_page = page_client(world.acme_admin).get(
        reverse("partner:help", kwargs={"org_id": world.acme.webex_id})
    )
    assert "Phones are down" in partner_page.content.decode()
    assert (
        "Phones are down"
        in page_client(world.operator).get(reverse("ops:support_request_list")).content.decode()
    )
    assert (
        "Phones are down"
        not in page_client(world.globex_admin)
        .get(reverse("partner:help", kwargs={"org_id": world.globex.webex_id}))
        .content.decode()
    )
    status_url = reverse(
        "partner:support_request_status", kwargs={"org_id": world.acme.webex_id, "request_id": str(opened.pk)}
    )
    assert page_client(world.acme_admin).post(status_url, {"status": "in_progress"}).status_code == 302
    opened.refresh_from_db()
    assert opened.status == RequestStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="support.request_status", actor=world.acme_admin).exists()
    assert page_client(world.acme_readonly).post(status_url, {"status": "resolved"}).status_code == 403
    page_client(world.acme_admin).post(status_url, {"status": "bogus"})
    opened.refresh_from_db()
    assert opened.status == RequestStatus.IN_PROGRESS


def test_an_empty_request_is_refused_on_its_fields(world, page_client):
    url = reverse("control:help", kwargs={"org_id": world.blue_harbor.org.webex_id})
    response = page_client(world.blue_admin).post(url, {"subject": "", "description": ""})
    assert response.status_code == 200 and not SupportRequest.objects.exists()


def test_no_support_requests_yet_says_where_they_come_from(world, page_client):
    """The empty list said only "No support requests." (and spanned five columns of Control Hub's four)."""
    from tests.html import squash

    help_page = reverse("partner:help", kwargs={"org_id": world.acme.webex_id})
    partner = squash(page_client(world.acme_admin).get(help_page).content)
    assert "<strong>No support requests yet</strong>" in partner
    assert "Requests your customers' administrators open on their Help page in Control Hub" in partner
    control = squash(
        page_client(world.blue_admin)
        .get(reverse("control:help", kwargs={"org_id": world.blue_harbor.org.webex_id}))
        .content
    )
    assert '<td colspan="4" class="empty"><strong>No support requests yet</strong>' in control
    assert "Open a request with the form above" in control
