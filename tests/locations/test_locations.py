"""Locations: the Control Hub pages, the service rules and the partner API (``/v1/partner/locations``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.customers.models import Customer
from apps.locations.models import Location, PhoneNumber
from apps.locations.services.locations import location_create, location_delete, location_update
from apps.locations.services.numbers import number_assign, numbers_add

VALUES = {
    "name": "Branch office",
    "address_line1": "1 Harbour Way",
    "city": "Boston",
    "state_or_province": "MA",
    "zip_or_postal_code": "02110",
    "country": "US",
    "timezone": "America/New_York",
    "language": "en_US",
}
API_BODY = {
    "name": "Branch office",
    "address": {"addressLine1": "1 Harbour Way", "city": "Boston", "country": "US"},
    "timeZone": "America/New_York",
    "preferredLanguage": "en_US",
}


def hq(customer) -> Location:
    return Location.objects.get(org=customer.org, is_headquarters=True)


def test_create_validates_every_field_and_writes_nothing_on_error(world):
    bad = {**VALUES, "address_line1": "x" * 51, "timezone": "Mars/Base", "language": "xx_XX", "country": "ZZ"}
    with pytest.raises(Exception) as exc:
        location_create(actor=world.blue_admin, org=world.blue_harbor.org, values=bad)
    assert set(exc.value.message_dict) == {"address_line1", "timezone", "language", "country"}
    assert not Location.objects.filter(name="Branch office").exists()


def test_create_update_are_audited_and_names_unique(world):
    org = world.blue_harbor.org
    location = location_create(actor=world.blue_admin, org=org, values=VALUES)
    assert AuditEvent.objects.filter(action="location.create", target_id=str(location.pk)).exists()
    with pytest.raises(Exception, match="already has a location"):
        location_create(actor=world.blue_admin, org=org, values={**VALUES, "name": "branch OFFICE"})
    location_update(actor=world.acme_admin, location=location, values={"city": "Salem"})
    event = AuditEvent.objects.get(action="location.update")
    assert (event.before, event.after) == ({"city": "Boston"}, {"city": "Salem"})


def test_permissions_read_only_admin_refused_partner_allowed(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        location_create(actor=world.blue_readonly, org=world.blue_harbor.org, values=VALUES)
    location_create(actor=world.acme_admin, org=world.blue_harbor.org, values=VALUES)


def test_headquarters_and_locations_with_assigned_numbers_are_not_deleted(world):
    with pytest.raises(Exception, match="headquarters"):
        location_delete(actor=world.blue_admin, location=hq(world.blue_harbor))
    branch = location_create(actor=world.blue_admin, org=world.blue_harbor.org, values=VALUES)
    number = numbers_add(actor=world.acme_admin, location=branch, phone_numbers=["+16175550100"])[0]
    subscriber = world.blue_harbor.subscribers.first()
    number_assign(actor=world.blue_admin, number=number, holder=subscriber)
    with pytest.raises(Exception, match="assigned"):
        location_delete(actor=world.blue_admin, location=branch)
    number.refresh_from_db()
    number.subscriber = None
    number.save()
    with pytest.raises(Exception, match="partner removes them"):
        location_delete(actor=world.blue_admin, location=branch)  # customer admins never remove numbers
    location_delete(actor=world.acme_admin, location=branch)
    assert not Location.objects.filter(pk=branch.pk).exists()
    assert not PhoneNumber.objects.filter(pk=number.pk).exists()


def test_country_change_refused_while_numbers_held(world):
    location = hq(world.blue_harbor)
    numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+16175550101"])
    with pytest.raises(Exception, match="phone numbers"):
        location_update(actor=world.blue_admin, location=location, values={"country": "CA"})


# --- pages -------------------------------------------------------------------------------------------------


def test_pages_list_add_edit_and_form_errors(world, page_client):
    client = page_client(world.blue_admin)
    org_id = world.blue_harbor.org.webex_id
    listing = client.get(reverse("control:location_list", kwargs={"org_id": org_id}))
    assert listing.status_code == 200 and b"Headquarters" in listing.content
    url = reverse("control:location_create", kwargs={"org_id": org_id})
    response = client.post(url, {**VALUES, "address_line1": "", "timezone": "Nowhere"})
    assert response.status_code == 200 and b"has-error" in response.content
    response = client.post(url, VALUES)
    assert response.status_code == 302
    branch = Location.objects.get(org=world.blue_harbor.org, name="Branch office")
    edit = reverse("control:location_edit", kwargs={"org_id": org_id, "location_id": branch.webex_id})
    assert client.post(edit, {**VALUES, "name": "Renamed"}).status_code == 302
    branch.refresh_from_db()
    assert branch.name == "Renamed"
    delete = reverse(
        "control:location_delete", kwargs={"org_id": org_id, "location_id": hq(world.blue_harbor).webex_id}
    )
    assert b"headquarters" in client.post(delete).content
    assert Location.objects.filter(org=world.blue_harbor.org, is_headquarters=True).exists()


def test_a_location_that_cannot_be_deleted_says_why_beside_its_greyed_button(world, page_client):
    """The reason stands as text under the disabled button, named by it (``aria-describedby``): a tooltip
    reaches neither a keyboard nor a touch screen, and a disabled button takes no focus."""
    client = page_client(world.blue_admin)
    org_id = world.blue_harbor.org.webex_id
    url = reverse(
        "control:location_detail", kwargs={"org_id": org_id, "location_id": hq(world.blue_harbor).webex_id}
    )
    page = client.get(url).content.decode()
    button = page[
        page.index('data-testid="delete-location"') - 200 : page.index('data-testid="delete-location"')
    ]
    assert "disabled" in button and 'aria-describedby="delete-location-why"' in button
    assert 'id="delete-location-why"' in page
    why = page.split('data-testid="delete-location-why">')[1].split("</p>")[0]
    assert "headquarters" in why.lower()


def test_read_only_admin_sees_but_cannot_add(world, page_client):
    client = page_client(world.blue_readonly)
    org_id = world.blue_harbor.org.webex_id
    response = client.get(reverse("control:location_list", kwargs={"org_id": org_id}))
    assert response.status_code == 200 and b"add-location" not in response.content
    assert client.get(reverse("control:location_create", kwargs={"org_id": org_id})).status_code == 403


def test_list_query_count_is_fixed(world, page_client):
    client = page_client(world.blue_admin)
    url = reverse("control:location_list", kwargs={"org_id": world.blue_harbor.org.webex_id})
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(10):
        location_create(
            actor=world.blue_admin, org=world.blue_harbor.org, values={**VALUES, "name": f"Site {n}"}
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.count(b'data-testid="location-row"') == 11
    assert len(many) == len(one)


# --- API ---------------------------------------------------------------------------------------------------


def test_api_crud(world, api_client):
    client = api_client(world.acme_admin)
    org_id = world.blue_harbor.org.webex_id
    created = client.post(f"/v1/partner/locations?orgId={org_id}", API_BODY, format="json")
    assert created.status_code == 201, created.content
    location_id = created.json()["id"]
    assert created.json()["address"]["city"] == "Boston" and created.json()["headquarters"] is False
    listing = client.get(f"/v1/partner/locations?orgId={org_id}").json()["items"]
    assert {row["name"] for row in listing} == {"Headquarters", "Branch office"}
    put = client.put(
        f"/v1/partner/locations/{location_id}?orgId={org_id}", {**API_BODY, "name": "Renamed"}, format="json"
    )
    assert put.status_code == 200 and put.json()["name"] == "Renamed"
    assert client.delete(f"/v1/partner/locations/{location_id}?orgId={org_id}").status_code == 204


def test_api_bad_input_is_a_webex_error(world, api_client):
    client = api_client(world.acme_admin)
    org_id = world.blue_harbor.org.webex_id
    body = {**API_BODY, "timeZone": "Mars/Base", "address": {**API_BODY["address"], "addressLine1": "y" * 51}}
    response = client.post(f"/v1/partner/locations?orgId={org_id}", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors", "trackingId"}
    hq_id = hq(world.blue_harbor).webex_id
    response = client.delete(f"/v1/partner/locations/{hq_id}?orgId={org_id}")
    assert response.status_code == 400 and "headquarters" in response.json()["message"]
    response = client.put(
        f"/v1/partner/locations/{hq_id}?orgId={org_id}", {**API_BODY, "timeZone": "Nope"}, format="json"
    )
    assert response.status_code == 400 and "timeZone" in response.json()["message"]


def test_api_scopes_and_outsiders(world, api_client):
    org_id = world.blue_harbor.org.webex_id
    reader = api_client(world.acme_admin, scopes=["spark-admin:wholesale_customers_read"])
    assert reader.get(f"/v1/partner/locations?orgId={org_id}").status_code == 200
    assert reader.post(f"/v1/partner/locations?orgId={org_id}", API_BODY, format="json").status_code == 403
    outsider = api_client(world.globex_admin)
    assert outsider.get(f"/v1/partner/locations/{hq(world.blue_harbor).webex_id}").status_code == 404
    readonly = api_client(world.acme_readonly)
    assert readonly.post(f"/v1/partner/locations?orgId={org_id}", API_BODY, format="json").status_code == 403


def test_a_french_reader_gets_the_pages_and_the_service_errors_in_french(world, page_client):
    """Issue 12 item 12: the customer's organisation locale (fr_FR) gives its admins French pages, down to
    the errors the location service raises and the flash message of a save."""
    Customer.objects.filter(pk=world.blue_harbor.pk).update(org_locale="fr_FR")
    client = page_client(world.blue_admin)
    org_id = world.blue_harbor.org.webex_id
    listing = client.get(reverse("control:location_list", kwargs={"org_id": org_id})).content.decode()
    assert "<h1>Emplacements</h1>" in listing and "Siège</span>" in listing and "Add location" not in listing
    url = reverse("control:location_create", kwargs={"org_id": org_id})
    taken = hq(world.blue_harbor).name
    refused = client.post(url, {**VALUES, "name": taken}).content.decode()
    assert f"Blue Harbor Dental a déjà un emplacement nommé «\u00a0{taken}\u00a0»." in refused
    saved = client.post(url, VALUES, follow=True).content.decode()
    assert "Emplacement «\u00a0Branch office\u00a0» enregistré." in saved


def test_the_customer_and_its_location_write_an_address_the_same_way(world, page_client):
    """In the order of the country's post (``postal_address``): the customer page wrote "02110 Boston, MA"
    where the location page wrote "Boston, MA 02110", and the locations lists showed the country's code."""
    blue = world.blue_harbor
    location = hq(blue)
    address = {
        "address_line1": "1 Harbour Way",
        "address_line2": "Suite 5",
        "city": "Boston",
        "state_or_province": "MA",
        "zip_or_postal_code": "02110",
        "country": "US",
    }
    Location.objects.filter(pk=location.pk).update(**address)
    Customer.objects.filter(pk=blue.pk).update(**address)
    org_id = blue.org.webex_id
    control = page_client(world.blue_admin)
    detail = control.get(
        reverse("control:location_detail", kwargs={"org_id": org_id, "location_id": location.webex_id})
    )
    listing = control.get(reverse("control:location_list", kwargs={"org_id": org_id}))
    partner = page_client(world.acme_admin)
    customer = partner.get(
        reverse(
            "partner:customer_detail", kwargs={"org_id": world.acme.webex_id, "customer_id": blue.webex_id}
        )
    )
    for page in (detail, customer):
        assert "1 Harbour Way<br>Suite 5<br>Boston, MA 02110<br>United States" in page.content.decode()
    for page in (listing, customer):  # the locations list, and the customer page's table of locations
        assert "Boston, MA 02110 · United States" in page.content.decode()
