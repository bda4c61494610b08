"""Partner Hub and operations console pages: content, search, pagination, fixed query counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent, Organization
from apps.partners.services import partner_create
from tests.factories import CustomerFactory


def partner_url(org, page=""):
    return f"/partner/{org.webex_id}/{page}"


def test_overview_counts_customers_by_status_and_subscribers_by_package(world, page_client):
    response = page_client(world.acme_admin).get(partner_url(world.acme))
    assert response.status_code == 200
    counts = dict((key, n) for _, key, n in response.context["status_counts"])
    assert counts["provisioned"] == 2  # Blue Harbor, Cedar & Pine (Riverside belongs to Northwind)
    packages = {row["package"]: row["n"] for row in response.context["package_counts"]}
    # maria and tom, plus each first administrator (Blue Harbor: suite, Cedar & Pine: calling)
    assert packages == {"webex_suite": 2, "webex_calling": 2}


def test_customer_list_shows_own_customers_and_search_reaches_indirect_ones(world, page_client):
    client = page_client(world.acme_admin)
    rows = client.get(partner_url(world.acme, "customers/")).context["page"].rows
    assert [c.org.name for c in rows] == ["Blue Harbor Dental", "Cedar & Pine Legal"]
    rows = client.get(partner_url(world.acme, "customers/"), {"q": "riverside"}).context["page"].rows
    assert [c.org.name for c in rows] == ["Riverside Bakery"]
    # A read-only partner admin without wholesale admin does not reach indirect customers.
    rows = page_client(world.acme_readonly).get(partner_url(world.acme, "customers/"), {"q": "riverside"})
    assert rows.context["page"].rows == []


def test_a_users_email_finds_their_customer_and_only_a_visible_one(world, page_client):
    client = page_client(world.acme_admin)
    rows = (
        client.get(partner_url(world.acme, "customers/"), {"q": "Tom@BlueHarbor.test"}).context["page"].rows
    )
    assert [c.org.name for c in rows] == ["Blue Harbor Dental"]
    # Globex does not learn that Acme's customer has this person.
    globex = page_client(world.globex_admin).get(
        partner_url(world.globex, "customers/"), {"q": "tom@blueharbor.test"}
    )
    assert globex.context["page"].rows == []


def test_customer_list_htmx_renders_only_the_results(world, page_client):
    response = page_client(world.acme_admin).get(
        partner_url(world.acme, "customers/"), {"q": "blue"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body and "Blue Harbor Dental" in body


def test_partner_admin_lists_only_assigned_customers(world, page_client):
    rows = (
        page_client(world.acme_partner_admin).get(partner_url(world.acme, "customers/")).context["page"].rows
    )
    assert [c.org.name for c in rows] == ["Blue Harbor Dental"]


def test_customer_list_queries_do_not_grow_with_customers(world, page_client, django_assert_num_queries):
    client = page_client(world.acme_admin)
    url = partner_url(world.acme, "customers/")
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        CustomerFactory(actor=world.acme_admin, partner=world.acme)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].rows) == 25
    assert len(many) == len(few), [q["sql"] for q in many]


def test_pagination_pages_through_all_customers(world, page_client):
    for _ in range(30):
        CustomerFactory(actor=world.acme_admin, partner=world.acme)
    client = page_client(world.acme_admin)
    first = client.get(partner_url(world.acme, "customers/")).context["page"]
    second = client.get(partner_url(world.acme, "customers/"), {"page": 2}).context["page"]
    assert first.has_next and not second.has_next
    assert len({c.pk for c in first.rows} | {c.pk for c in second.rows}) == 32


def test_operator_creates_partner_and_subpartner_with_first_admin(world, page_client):
    client = page_client(world.operator)
    response = client.post(
        "/ops/partners/new/", {"name": "Initrode", "admin_email": "boss@initrode.test", "parent": ""}
    )
    assert response.status_code == 302
    initrode = Organization.objects.get(name="Initrode")
    assert initrode.is_partner and not initrode.is_subpartner
    assert initrode.people.get().email == "boss@initrode.test"
    response = client.post(
        "/ops/partners/new/",
        {"name": "Initrode East", "admin_email": "east@initrode.test", "parent": initrode.webex_id},
    )
    assert Organization.objects.get(name="Initrode East").parent == initrode
    assert AuditEvent.objects.filter(action="subpartner.create", actor=world.operator).exists()


def test_create_partner_form_shows_field_errors(world, page_client):
    response = page_client(world.operator).post(
        "/ops/partners/new/", {"name": "Acme Telecom", "admin_email": "x"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "admin_email" in form.errors
    response = page_client(world.operator).post(
        "/ops/partners/new/", {"name": "Acme Telecom", "admin_email": "new@acme.test"}
    )
    assert "name" in response.context["form"].errors  # duplicate name


def test_subpartners_are_one_level_only_and_only_operators_create_partners(world):
    with pytest.raises(ValidationError):
        partner_create(actor=world.operator, name="Deep", admin_email="deep@x.test", parent=world.northwind)
    with pytest.raises(PermissionDenied):
        partner_create(actor=world.acme_admin, name="Rogue", admin_email="rogue@x.test")


def test_ops_console_is_for_platform_operators_only(world, page_client):
    assert page_client(world.acme_admin).get("/ops/").status_code == 404  # the platform is out of its scope
    response = page_client(world.operator).get("/ops/")
    names = [p.name for p in response.context["page"].rows]
    assert {"Acme Telecom", "Northwind Reseller", "Globex Communications"} <= set(names)


def test_indirect_providers_page_lists_subpartners_for_full_and_wholesale_admins(world, page_client):
    response = page_client(world.acme_admin).get(partner_url(world.acme, "indirect-providers/"))
    assert [p.name for p in response.context["page"].rows] == ["Northwind Reseller"]
    assert (
        page_client(world.acme_readonly).get(partner_url(world.acme, "indirect-providers/")).status_code
        == 403
    )


def test_parent_cross_launches_into_subpartner_hub_and_its_customers(world, page_client):
    client = page_client(world.acme_admin)
    response = client.get(partner_url(world.northwind))
    assert response.status_code == 200
    assert response.context["cross_launched"]
    response = client.get(f"/org/{world.riverside.org.webex_id}/")
    assert response.status_code == 200
    assert b"cross-launch-banner" in response.content


def test_settings_require_mfa_toggle_is_audited(world, page_client):
    assert page_client(world.acme_readonly).post(partner_url(world.acme, "settings/"), {}).status_code == 403
    response = page_client(world.acme_admin).post(
        partner_url(world.acme, "settings/"), {"require_admin_mfa": "on"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="partner.settings_update")
    assert event.before == {"require_admin_mfa": False} and event.after == {"require_admin_mfa": True}


def test_audit_page_filters(world, page_client):
    client = page_client(world.acme_admin)
    rows = client.get(partner_url(world.acme, "audit/"), {"action": "admin.invite"}).context["page"].rows
    assert rows and all(e.action == "admin.invite" for e in rows)
    rows = client.get(partner_url(world.acme, "audit/"), {"actor": "nobody@"}).context["page"].rows
    assert rows == []
    # The partner's log includes what happened in its customers; Globex's does not show Acme's events.
    rows = client.get(partner_url(world.acme, "audit/"), {"action": "subscriber.create"}).context["page"].rows
    assert {e.acting_org for e in rows} == {world.blue_harbor.org}
    rows = page_client(world.globex_admin).get(partner_url(world.globex, "audit/")).context["page"].rows
    assert all(e.acting_org in (world.globex, world.initech.org) for e in rows)
