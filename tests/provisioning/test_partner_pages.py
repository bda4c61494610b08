"""Partner Hub's customer list (create button, CSV export) and the customer panel: live progress, packages,
removal, and read-only admins who see no action and get 403 when they post one anyway."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditEvent, Organization
from apps.customers.models import Customer, CustomerStatus
from apps.locations.models import Location
from apps.onboarding.services import template_create
from tests.factories import CustomerFactory, provision_customer
from tests.html import squash


def customers_url(partner, tail: str = "") -> str:
    return f"/partner/{partner.webex_id}/customers/{tail}"


def panel_url(partner, customer, tail: str = "") -> str:
    return customers_url(partner, f"{customer.webex_id}/{tail}")


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def template(world):
    return template_create(
        actor=world.acme_admin, partner=world.acme, name="Panel tests", country="GB", language="en_GB"
    )


@pytest.fixture
def order_customer(world, template):
    """``order_customer(name, packages, location=True, run=True)``: a customer of acme through the
    provisioning service (GB address); ``run=False`` leaves it ``provisioning`` (its task not run yet)."""

    def make(name: str, packages=("webex_calling",), location: bool = True, run: bool = True) -> Customer:
        customer = provision_customer(
            actor=world.acme_admin,
            partner=world.acme,
            template=template,
            run=run,
            name=name,
            admin_email=f"admin@{name.lower().replace(' ', '')}.test",
            external_id=name.upper().replace(" ", "-"),
            country="GB",
            packages=packages,
            calling_location=location,
        )
        customer.refresh_from_db()
        return customer

    return make


# --- The list ----------------------------------------------------------------------------------------------


def test_create_button_only_for_admins_who_may_create(world, page_client):
    response = page_client(world.acme_admin).get(customers_url(world.acme))
    assert b'data-testid="create-customer"' in response.content
    response = page_client(world.acme_readonly).get(customers_url(world.acme))
    assert response.status_code == 200 and b'data-testid="create-customer"' not in response.content


def test_rows_open_the_customer_panel(world, page_client):
    response = page_client(world.acme_admin).get(customers_url(world.acme))
    assert panel_url(world.acme, world.blue_harbor).encode() in response.content


def test_the_export_link_follows_the_filter_even_after_an_htmx_search(world, page_client):
    response = page_client(world.acme_admin).get(
        customers_url(world.acme), {"q": "blue", "status": "provisioned"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="customer-export"' in body and 'hx-swap-oob="true"' in body
    assert "export.csv?q=blue&amp;status=provisioned" in body


def test_list_queries_stay_fixed_with_packages_shown(world, page_client, order_customer):
    client = page_client(world.acme_admin)
    client.get(customers_url(world.acme))
    with CaptureQueriesContext(connection) as few:
        client.get(customers_url(world.acme))
    order_customer("Dune Bakery", packages=("webex_suite", "cisco_calling_plan"))
    order_customer("Elm Dental", packages=("webex_meetings",), location=False)
    with CaptureQueriesContext(connection) as many:
        response = client.get(customers_url(world.acme))
    assert len(response.context["page"].rows) == 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- CSV export --------------------------------------------------------------------------------------------


def test_csv_export_has_the_columns_and_follows_the_filter(world, page_client, order_customer):
    order_customer("Fjord Outfitters", packages=("webex_suite",))
    client = page_client(world.acme_admin)
    response = client.get(customers_url(world.acme, "export.csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="customers-acme-telecom-')
    rows = read_csv(response)
    assert list(rows[0]) == [
        "name",
        "customer id",
        "org id",
        "external id",
        "status",
        "packages",
        "subscribers",
        "managed by",
        "created",
    ]
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"Blue Harbor Dental", "Cedar & Pine Legal", "Fjord Outfitters"}
    blue = by_name["Blue Harbor Dental"]
    assert blue["customer id"] == world.blue_harbor.webex_id
    assert blue["org id"] == world.blue_harbor.org.webex_id
    assert blue["subscribers"] == "3"  # its first administrator and two people
    assert blue["managed by"] == "Acme Telecom"
    assert by_name["Fjord Outfitters"]["packages"] == "webex_suite"
    rows = read_csv(client.get(customers_url(world.acme, "export.csv"), {"q": "fjord"}))
    assert [r["name"] for r in rows] == ["Fjord Outfitters"]
    rows = read_csv(client.get(customers_url(world.acme, "export.csv"), {"status": "error"}))
    assert rows == []
    rows = read_csv(client.get(customers_url(world.acme, "export.csv"), {"sort": "-name"}))
    assert [r["name"] for r in rows] == ["Fjord Outfitters", "Cedar & Pine Legal", "Blue Harbor Dental"]


def test_csv_export_streams_reading_customers_only_while_it_is_sent(world, page_client, monkeypatch):
    from apps.provisioning import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    for _ in range(5):
        CustomerFactory(actor=world.acme_admin, partner=world.acme)
    client = page_client(world.acme_admin)
    response = client.get(customers_url(world.acme, "export.csv"))
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as header:
        assert next(chunks).startswith(b"name,customer id")
    assert len(header) == 0  # the header goes out before any customer is read
    with CaptureQueriesContext(connection) as rest:
        lines = [next(chunks)] + list(chunks)
    assert len(lines) == 7
    # 7 customers in chunks of 2, each chunk with its own packages query: read piecemeal, not all at once.
    package_reads = [q for q in rest.captured_queries if 'FROM "customers_customerpackage"' in q["sql"]]
    assert len(package_reads) == 4


def test_csv_cells_never_start_a_formula(world, page_client):
    CustomerFactory(actor=world.acme_admin, partner=world.acme, name="=HYPERLINK(1)", external_id="+1")
    rows = read_csv(
        page_client(world.acme_admin).get(customers_url(world.acme, "export.csv"), {"q": "hyper"})
    )
    assert rows[0]["name"] == "'=HYPERLINK(1)" and rows[0]["external id"] == "'+1"


def test_csv_export_is_scoped_like_the_list(world, page_client):
    rows = read_csv(page_client(world.acme_partner_admin).get(customers_url(world.acme, "export.csv")))
    assert [r["name"] for r in rows] == ["Blue Harbor Dental"]
    assert page_client(world.globex_admin).get(customers_url(world.acme, "export.csv")).status_code == 404


# --- The panel ---------------------------------------------------------------------------------------------


def test_panel_shows_status_packages_locations_admins_and_ids(world, page_client, order_customer):
    customer = order_customer("Gale Surveyors", packages=("webex_suite", "attendant_console"))
    response = page_client(world.acme_admin).get(panel_url(world.acme, customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="customer-status"' in body and "Provisioned" in body
    assert 'data-code="webex_suite"' in body and 'data-code="attendant_console"' in body
    assert "Headquarters" in body and "admin@galesurveyors.test" in body
    assert customer.webex_id in body and customer.org.webex_id in body and customer.external_id in body
    assert 'data-copy="customer-id"' in body and 'data-copy="org-id"' in body
    assert "Panel tests" in body  # the template used
    assert "+44" in body  # a GB billing address: the EMEA call-in number
    assert 'hx-trigger="every 1s"' not in body  # settled: no polling
    for action in ("change-packages", "remove-services", "open-control-hub"):
        assert f'data-testid="{action}"' in body


def test_panel_polls_while_provisioning_and_stops_when_done(world, page_client, order_customer):
    customer = order_customer("Harbour Kitchens", run=False)
    assert customer.status == CustomerStatus.PROVISIONING
    client = page_client(world.acme_admin)
    body = client.get(panel_url(world.acme, customer)).content.decode()
    assert 'hx-trigger="every 1s"' in body and panel_url(world.acme, customer, "progress/") in body
    assert 'data-testid="change-packages"' not in body  # nothing to change while it provisions
    response = client.get(panel_url(world.acme, customer, "progress/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'hx-trigger="every 1s"' in response.content
    assert b"<html" not in response.content

    from apps.provisioning.services.provisioning import customer_provision

    customer_provision(customer_id=customer.id)
    response = client.get(panel_url(world.acme, customer, "progress/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # django-htmx's HttpResponseStopPolling
    assert b'data-status="provisioned"' in response.content and b"every 1s" not in response.content


def test_panel_query_count_does_not_grow_with_packages_locations_and_admins(
    world, page_client, order_customer
):
    small = order_customer("Ivy Opticians", packages=("webex_meetings",), location=False)
    big = order_customer("Juniper Vets", packages=("webex_suite", "cisco_calling_plan", "attendant_console"))
    client = page_client(world.acme_admin)
    client.get(panel_url(world.acme, small))
    with CaptureQueriesContext(connection) as few:
        client.get(panel_url(world.acme, small))
    with CaptureQueriesContext(connection) as many:
        client.get(panel_url(world.acme, big))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_read_only_admin_sees_no_action_and_gets_403_on_posting_one(world, page_client):
    client = page_client(world.acme_readonly)
    response = client.get(panel_url(world.acme, world.blue_harbor))
    assert response.status_code == 200
    body = response.content.decode()
    for action in ("change-packages", "remove-services"):
        assert f'data-testid="{action}"' not in body
    events = AuditEvent.objects.count()
    assert client.post(panel_url(world.acme, world.blue_harbor, "remove/")).status_code == 403
    assert client.get(panel_url(world.acme, world.blue_harbor, "packages/")).status_code == 403
    response = client.post(
        panel_url(world.acme, world.blue_harbor, "packages/"), {"packages": ["webex_suite"]}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == events
    world.blue_harbor.refresh_from_db()
    assert world.blue_harbor.status == CustomerStatus.PROVISIONED


def test_partner_admin_reaches_only_its_assigned_customers(world, page_client):
    client = page_client(world.acme_partner_admin)
    assert client.get(panel_url(world.acme, world.blue_harbor)).status_code == 200
    assert client.get(panel_url(world.acme, world.cedar_pine)).status_code == 404
    assert client.get(customers_url(world.acme, "not-an-id/")).status_code == 404


def test_changing_packages_replaces_the_list(
    world, page_client, order_customer, django_capture_on_commit_callbacks
):
    customer = order_customer("Kestrel Legal", packages=("webex_calling", "cisco_calling_plan"))
    client = page_client(world.acme_admin)
    response = client.get(panel_url(world.acme, customer, "packages/"))
    assert response.status_code == 200
    assert 'name="packages" value="webex_calling" checked' in squash(response.content)
    assert b'data-testid="calling-location"' not in response.content  # it has one already
    # Its first administrator holds Webex Calling: the package cannot go while someone holds it.
    response = client.post(panel_url(world.acme, customer, "packages/"), {"packages": ["webex_suite"]})
    assert response.status_code == 200
    assert "still hold webex_calling" in str(response.context["form"].errors["packages"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            panel_url(world.acme, customer, "packages/"),
            {"packages": ["webex_calling", "webex_suite"], "limit_webex_suite": "10"},
        )
    assert response.status_code == 302 and response["Location"] == panel_url(world.acme, customer)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.UPDATING and customer.package_limits == {"webex_suite": 10}
    body = client.get(panel_url(world.acme, customer)).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'data-testid="change-packages"' not in body


def test_changing_packages_validates_and_writes_nothing_on_error(world, page_client, order_customer):
    customer = order_customer("Linden Books", packages=("webex_calling",))
    client = page_client(world.acme_admin)
    events = AuditEvent.objects.count()
    response = client.post(panel_url(world.acme, customer, "packages/"), {"packages": ["attendant_console"]})
    assert response.status_code == 200 and "packages" in response.context["form"].errors
    response = client.post(panel_url(world.acme, customer, "packages/"), {"packages": []})
    assert "packages" in response.context["form"].errors
    assert AuditEvent.objects.count() == events
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED


def test_a_calling_package_asks_for_a_location_when_the_customer_has_none(
    world, page_client, order_customer, django_capture_on_commit_callbacks
):
    customer = order_customer("Maple Tutors", packages=("webex_meetings",), location=False)
    assert not Location.objects.filter(org=customer.org).exists()
    client = page_client(world.acme_admin)
    response = client.get(panel_url(world.acme, customer, "packages/"))
    assert b'data-testid="calling-location"' in response.content
    response = client.post(panel_url(world.acme, customer, "packages/"), {"packages": ["webex_calling"]})
    assert response.status_code == 200
    assert {"location_name", "address_line1", "city", "country", "timezone", "location_language"} <= set(
        response.context["form"].errors
    )
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    data = {
        "packages": ["webex_calling", "webex_meetings"],
        "location_name": "Studio",
        "address_line1": "3 Canal Side",
        "city": "Manchester",
        "country": "GB",
        "timezone": "Europe/London",
        "location_language": "en_GB",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(panel_url(world.acme, customer, "packages/"), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert sorted(p.code for p in customer.packages.all()) == ["webex_calling", "webex_meetings"]
    assert Location.objects.get(org=customer.org).name == "Studio"


def test_removing_wholesale_services_keeps_the_organisation(
    world, page_client, order_customer, django_capture_on_commit_callbacks
):
    customer = order_customer("Nettle Garden Centre")
    client = page_client(world.acme_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(panel_url(world.acme, customer, "remove/"))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.DELETING
    assert AuditEvent.objects.filter(target_id=str(customer.pk)).exists()
    assert client.get(panel_url(world.acme, customer, "remove/")).status_code == 405


def test_once_removed_the_polling_panel_is_sent_back_to_the_list(
    world, page_client, order_customer, django_capture_on_commit_callbacks
):
    customer = order_customer("Oriel Cafe")
    client = page_client(world.acme_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(panel_url(world.acme, customer, "remove/"))
    assert response["Location"] == customers_url(world.acme)
    response = client.get(panel_url(world.acme, customer, "progress/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'data-status="deleting"' in response.content

    from apps.provisioning.services.provisioning import customer_remove

    customer_remove(customer_id=customer.id)
    response = client.get(panel_url(world.acme, customer, "progress/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 404 and response["HX-Redirect"] == customers_url(world.acme)
    assert client.get(panel_url(world.acme, customer, "progress/")).status_code == 404  # no htmx: a plain 404
    assert Organization.objects.filter(pk=customer.org.pk).exists()  # the organisation stays


def test_a_customer_held_by_screening_says_so_and_is_not_polled(world, page_client, order_customer):
    from apps.screening.services import screening_entry_add

    screening_entry_add(actor=world.operator, name="Pelican Imports Ltd", country="GB")
    customer = order_customer("Pelican Imports")
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    body = page_client(world.acme_admin).get(panel_url(world.acme, customer)).content.decode()
    assert "Held by the denied-party screening" in body
    assert 'hx-trigger="every 1s"' not in body
    assert "Shown once provisioned" in body  # no orgId before provisioning, as in the API


def test_the_parent_partner_creates_and_manages_customers_of_its_indirect_provider(
    world, page_client, django_capture_on_commit_callbacks
):
    """Cross-launched into Northwind's Partner Hub, Acme's admin uses Northwind's template and wizard."""
    northwind = world.northwind
    client = page_client(world.acme_admin)
    url = customers_url(northwind, "new/")
    page = client.get(url)
    assert page.status_code == 200 and page.context["cross_launched"]
    template = page.context["templates"][0]
    data = {
        "name": "Quayside Books",
        "primary_email": "owner@quayside.test",
        "template": template.provisioning_id,
        "external_id": "QUAY-1",
        "packages": ["webex_meetings"],
        "location_name": "Shop",
        "address_line1": "4 Quayside",
        "city": "Newcastle",
        "country": "GB",
        "timezone": "Europe/London",
        "location_language": "en_GB",
        "supported_location": "on",
        "step": "review",
        "nav": "create",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    customer = Customer.objects.get(external_id="QUAY-1")
    assert customer.org.parent == northwind and customer.status == CustomerStatus.PROVISIONED
    assert response["Location"] == panel_url(northwind, customer)
    body = client.get(panel_url(northwind, customer)).content.decode()
    assert 'data-testid="change-packages"' in body
    # Northwind's own admin sees it too; Globex does not.
    assert page_client(world.northwind_admin).get(panel_url(northwind, customer)).status_code == 200
    assert page_client(world.globex_admin).get(panel_url(world.globex, customer)).status_code == 404


def test_the_panel_shows_how_many_hold_each_package_linking_to_them(world, page_client):
    blue = world.blue_harbor
    html = page_client(world.acme_admin).get(panel_url(world.acme, blue)).content.decode()
    users = f"/org/{blue.org.webex_id}/users/"
    # Webex Suite: the first administrator and Maria; Webex Calling: Tom.
    assert f'href="{users}?package=webex_suite" title="Open them in Control Hub">2</a>' in squash(html)
    assert f'href="{users}?package=webex_calling" title="Open them in Control Hub">1</a>' in squash(html)


def test_a_sorted_htmx_swap_updates_the_search_forms_sort(world, page_client):
    """After a column header is clicked, the next search keeps that sort: the swap carries the form's hidden
    sort input out of band."""
    response = page_client(world.acme_admin).get(
        customers_url(world.acme), {"sort": "-created"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="customer-sort" value="-created" hx-swap-oob="true"' in squash(body)
