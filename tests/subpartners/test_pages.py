"""Partner Hub's Indirect providers (search, status filter, counts, no cap, fixed query count), set-up,
suspend and remove pages; the operator's queue; the cross-launch way back and exclusions."""

import pytest
from django.urls import reverse

from apps.accounts.permissions import Action, may
from apps.core.models import AuditEvent, Organization, OrgKind, OrgStatus
from apps.partners.services import partner_create
from apps.subpartners.models import SetupState, SubPartnerSetupRequest
from apps.subpartners.permissions import CROSS_LAUNCH_EXCLUDED, subtract
from apps.subpartners.services import setup_policy_update, subpartner_set_status
from tests.conftest import fresh


def url(world, name, **kwargs):
    return reverse(f"partner:{name}", kwargs={"org_id": world.acme.webex_id} | kwargs)


def test_the_list_counts_customers_and_subscribers_and_filters_by_status(world, page_client):
    partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="s@sw.test"
    )
    southwind = Organization.objects.get(name="Southwind Reseller")
    subpartner_set_status(actor=world.acme_admin, subpartner=southwind, status="suspended", reason="Unpaid")
    client = page_client(world.acme_admin)
    response = client.get(url(world, "subpartner_list"))
    rows = {r["org"].name: r for r in response.context["rows"]}
    assert list(rows) == ["Northwind Reseller", "Southwind Reseller"]
    # Riverside Bakery, whose first administrator is its one subscriber.
    shown = {name: (row["customers_shown"], row["subscribers_shown"]) for name, row in rows.items()}
    assert shown == {"Northwind Reseller": ("1", "1"), "Southwind Reseller": ("0", "0")}
    page = response.content.decode()
    assert "Unpaid" in page and "Set up indirect provider" in page
    suspended = client.get(url(world, "subpartner_list"), {"status": "suspended"}).context["rows"]
    assert [r["org"].name for r in suspended] == ["Southwind Reseller"]
    found = client.get(url(world, "subpartner_list"), {"q": "north"}).context["rows"]
    assert [r["org"].name for r in found] == ["Northwind Reseller"]
    # A wholesale admin (partner full + wholesale admin, no full admin) sees the list but sets nothing up.
    page = page_client(world.acme_wholesale).get(url(world, "subpartner_list")).content.decode()
    assert 'data-testid="setup-subpartner"' not in page and 'data-testid="subpartner-status"' not in page


def test_the_list_is_paginated_with_a_fixed_query_count(world, page_client, django_assert_max_num_queries):
    for n in range(30):
        Organization.objects.create(name=f"Reseller {n:02}", kind=OrgKind.PARTNER, parent=world.acme)
    client = page_client(world.acme_admin)
    client.get(url(world, "subpartner_list"))  # warm the session
    with django_assert_max_num_queries(12):
        first = client.get(url(world, "subpartner_list"))
    assert len(first.context["rows"]) == 25 and first.context["page"].has_next
    with django_assert_max_num_queries(12):
        second = client.get(url(world, "subpartner_list"), {"page": 2})
    assert len(second.context["rows"]) == 6  # 30 + Northwind: no cap


def test_setting_up_from_the_page(world, page_client):
    client = page_client(world.acme_admin)
    assert client.get(url(world, "subpartner_setup")).status_code == 200
    response = client.post(url(world, "subpartner_setup"), {"name": "", "admin_email": "bad"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url(world, "subpartner_setup"),
        {"name": "Eastwind Reseller", "admin_email": "admin@eastwind.test", "billing_start_date": ""},
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Eastwind Reseller").parent == world.acme
    # A duplicate name lands on the field.
    response = client.post(
        url(world, "subpartner_setup"), {"name": "eastwind reseller", "admin_email": "two@eastwind.test"}
    )
    assert "already has an indirect provider" in str(response.context["form"].errors["name"])


def test_with_the_policy_the_request_waits_in_the_operators_queue(world, page_client):
    setup_policy_update(actor=world.operator, needs_approval=True)
    client = page_client(world.acme_admin)
    assert b"needs-approval" in client.get(url(world, "subpartner_setup")).content
    client.post(
        url(world, "subpartner_setup"), {"name": "Eastwind Reseller", "admin_email": "a@eastwind.test"}
    )
    assert b"Waiting for the operator" in client.get(url(world, "subpartner_list")).content
    request = SubPartnerSetupRequest.objects.get(name="Eastwind Reseller")
    ops = page_client(world.operator)
    queue = ops.get(reverse("ops:setup_request_list"))
    assert [r.name for r in queue.context["page"].rows] == ["Eastwind Reseller"]
    decide = reverse("ops:setup_request_decide", kwargs={"setup_request_id": request.id})
    assert ops.get(decide).status_code == 200
    assert ops.post(decide, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.state == SetupState.APPROVED and request.subpartner.parent == world.acme
    # Partners never reach the queue (the platform is out of their scope).
    assert page_client(world.acme_admin).get(reverse("ops:setup_request_list")).status_code == 404


def test_the_operator_turns_the_policy_on_from_the_queue_page(world, page_client):
    ops = page_client(world.operator)
    assert ops.post(reverse("ops:setup_request_list"), {"setup_needs_approval": "on"}).status_code == 302
    assert AuditEvent.objects.filter(action="subpartner.policy_update").exists()


def test_suspending_and_reactivating_from_the_page(world, page_client):
    client = page_client(world.acme_admin)
    status_url = url(world, "subpartner_status", subpartner_id=world.northwind.webex_id)
    assert b"Suspend Northwind Reseller" in client.get(status_url).content
    response = client.post(status_url, {"status": "suspended", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(status_url, {"status": "suspended", "reason": "Unpaid"}).status_code == 302
    world.northwind.refresh_from_db()
    assert world.northwind.status == OrgStatus.SUSPENDED
    assert b"Reactivate Northwind Reseller" in client.get(status_url).content
    assert client.post(status_url, {"status": "active"}).status_code == 302
    world.northwind.refresh_from_db()
    assert world.northwind.status == OrgStatus.ACTIVE


def test_removing_one_with_customers_says_why(world, page_client):
    client = page_client(world.acme_admin)
    response = client.post(url(world, "subpartner_remove", subpartner_id=world.northwind.webex_id))
    assert response.status_code == 200
    assert "still manages 1 customer organisation" in response.content.decode()
    assert Organization.objects.filter(pk=world.northwind.pk).exists()


def test_back_from_a_subpartners_customer_returns_to_the_subpartners_list(world, page_client):
    client = page_client(world.acme_admin)
    northwind_list = reverse("partner:customer_list", kwargs={"org_id": world.northwind.webex_id})
    client.get(northwind_list, HTTP_REFERER=url(world, "subpartner_list"))
    riverside = f"/org/{world.riverside.org.webex_id}/"
    response = client.get(riverside, HTTP_REFERER=f"http://testserver{northwind_list}")
    assert response.context["back_link"] == (northwind_list, "Northwind Reseller customers")
    # Navigating inside the customer keeps that way back.
    response = client.get(riverside + "users/", HTTP_REFERER=f"http://testserver{riverside}")
    assert response.context["back_link"] == (northwind_list, "Northwind Reseller customers")
    # Northwind's own hub still leads back to Acme's indirect providers.
    response = client.get(northwind_list)
    assert response.context["back_link"][0] == url(world, "subpartner_list")
    # Found through Acme's own customer search instead, it returns there.
    search = url(world, "customer_list") + "?q=riverside"
    response = client.get(riverside, HTTP_REFERER=f"http://testserver{search}")
    assert response.context["back_link"] == (search, "Acme Telecom customers")


def test_a_forged_referer_names_nothing_out_of_scope(world, page_client):
    client = page_client(world.northwind_admin)
    riverside = f"/org/{world.riverside.org.webex_id}/"
    globex = reverse("partner:customer_list", kwargs={"org_id": world.globex.webex_id})
    response = client.get(riverside, HTTP_REFERER=f"http://testserver{globex}")
    assert "Globex" not in response.content.decode()


def test_cross_launched_the_guides_exclusions_are_refused_by_the_permission_function(world):
    acme_admin = fresh(world.acme_admin)
    excluded = {a for a in Action if a.value in CROSS_LAUNCH_EXCLUDED}
    # Whatever such actions exist (billing's reports among them), none is allowed in a sub-partner's hub.
    assert excluded <= subtract(actor=acme_admin, org=world.northwind)
    assert not any(may(acme_admin, a, world.northwind) for a in excluded)
    # ... while the sub-partner's own admins, and the parent in its own hub, keep them.
    assert not subtract(actor=fresh(world.northwind_admin), org=world.northwind)
    assert not subtract(actor=acme_admin, org=world.acme)


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_the_banner_and_badge_show_a_subpartner(world, page_client, status):
    if status == "suspended":
        subpartner_set_status(actor=world.acme_admin, subpartner=world.northwind, status=status, reason="x")
    page = page_client(world.acme_admin).get(
        reverse("partner:overview", kwargs={"org_id": world.northwind.webex_id})
    )
    assert page.status_code == 200 and b"cross-launch-banner" in page.content


@pytest.mark.parametrize(
    ("language", "open_label", "remove_label"),
    [("en", "Open Partner Hub of", "Remove"), ("fr", "Ouvrir le Partner Hub de", "Supprimer")],
)
def test_a_rows_buttons_name_the_provider_escaped_in_the_readers_language(
    world, page_client, language, open_label, remove_label
):
    partner_create(actor=world.operator, parent=world.acme, name="R&D <Resellers>", admin_email="r@rd.test")
    admin = fresh(world.acme_admin)
    admin.language = language
    admin.save(update_fields=["language"])
    page = page_client(admin).get(url(world, "subpartner_list")).content.decode()
    assert f'aria-label="{open_label} R&amp;D &lt;Resellers&gt;"' in page
    assert f'aria-label="{remove_label} R&amp;D &lt;Resellers&gt;"' in page
    assert "<Resellers>" not in page
