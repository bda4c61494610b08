"""Phone numbers and extensions: E.164 validation, all-or-nothing ranges, platform-wide uniqueness, the
assignment services, the Control Hub number actions and the partner API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.customers.models import Customer
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import (
    e164_parse,
    extension_release,
    extension_reserve,
    number_assign,
    number_delete,
    number_release,
    numbers_add,
    numbers_add_range,
)


def hq(customer) -> Location:
    return Location.objects.get(org=customer.org, is_headquarters=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("+1 415-555-0100", "+14155550100"), ("+14155550100", "+14155550100")],
)
def test_e164_normalised(value, expected):
    assert e164_parse(value) == expected


@pytest.mark.parametrize(
    "value", ["", "4155550100", "+1", "+999123456", "+1415555010a", "+" + "1" * 40, 5, None]
)
def test_e164_refused(value):
    with pytest.raises(ValidationError):
        e164_parse(value)


def test_range_by_count_and_by_end(world):
    location = hq(world.blue_harbor)
    added = numbers_add_range(actor=world.acme_admin, location=location, start="+14155550100", count=5)
    assert [n.e164 for n in added] == [f"+1415555010{i}" for i in range(5)]
    added = numbers_add_range(
        actor=world.acme_admin, location=location, start="+14155550200", end="+14155550209"
    )
    assert len(added) == 10
    assert AuditEvent.objects.filter(action="numbers.add").count() == 2


def test_range_is_all_or_nothing(world):
    location = hq(world.blue_harbor)
    numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155550105"])
    with pytest.raises(ValidationError, match="already in the inventory"):
        numbers_add_range(actor=world.acme_admin, location=location, start="+14155550100", count=10)
    assert PhoneNumber.objects.filter(location=location).count() == 1
    with pytest.raises(ValidationError, match="not of US"):
        numbers_add(
            actor=world.acme_admin, location=location, phone_numbers=["+14155550300", "+442071234567"]
        )
    with pytest.raises(ValidationError, match="not a valid"):
        numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155550301", "+1999"])
    with pytest.raises(ValidationError, match="listed twice"):
        numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155550302", "+14155550302"])
    with pytest.raises(ValidationError, match="1,000"):
        numbers_add_range(actor=world.acme_admin, location=location, start="+14155550100", count=1001)
    with pytest.raises(ValidationError, match="at most 1,000"):
        numbers_add_range(actor=world.acme_admin, location=location, start="+14155550000", end="+14155552000")
    assert PhoneNumber.objects.filter(location=location).count() == 1


def test_numbers_are_unique_across_the_platform(world):
    numbers_add(actor=world.acme_admin, location=hq(world.blue_harbor), phone_numbers=["+14155550400"])
    with pytest.raises(ValidationError, match="already in the inventory"):
        numbers_add(actor=world.acme_admin, location=hq(world.cedar_pine), phone_numbers=["+1 415 555 0400"])


def test_inventory_needs_org_manage(world):
    with pytest.raises(PermissionDenied):
        numbers_add(actor=world.blue_readonly, location=hq(world.blue_harbor), phone_numbers=["+14155550500"])


def test_assign_release_delete(world):
    number = numbers_add(
        actor=world.acme_admin, location=hq(world.blue_harbor), phone_numbers=["+14155550600"]
    )[0]
    maria = world.blue_harbor.subscribers.get(email="maria@blueharbor.test")
    tom = world.blue_harbor.subscribers.get(email="tom@blueharbor.test")
    number_assign(actor=world.blue_admin, number=number, holder=maria)
    with pytest.raises(ValidationError, match="already assigned"):
        number_assign(actor=world.blue_admin, number=number, holder=tom)
    with pytest.raises(ValidationError, match="assigned"):
        number_delete(actor=world.acme_admin, number=number)
    number_release(actor=world.blue_admin, number=number)
    number.refresh_from_db()
    assert number.subscriber_id is None
    number_delete(actor=world.acme_admin, number=number)
    assert not PhoneNumber.objects.filter(pk=number.pk).exists()
    assert {"number.assign", "number.release", "number.delete"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_holder_of_another_organisation_is_refused(world):
    from apps.subscribers.services.subscribers import subscriber_add

    number = numbers_add(
        actor=world.acme_admin, location=hq(world.cedar_pine), phone_numbers=["+14155550700"]
    )[0]
    maria = world.blue_harbor.subscribers.get(email="maria@blueharbor.test")
    with pytest.raises(ValidationError, match="another organisation"):
        number_assign(actor=world.acme_admin, number=number, holder=maria)
    assert subscriber_add  # the subscriber service exists beside these


def test_extensions_unique_within_the_org_and_validated(world):
    org = world.blue_harbor.org
    maria = world.blue_harbor.subscribers.get(email="maria@blueharbor.test")
    tom = world.blue_harbor.subscribers.get(email="tom@blueharbor.test")
    extension_reserve(actor=world.blue_admin, org=org, extension="1001", holder=maria)
    extension_reserve(actor=world.blue_admin, org=org, extension="1001", holder=maria)  # idempotent
    with pytest.raises(ValidationError, match="already in use"):
        extension_reserve(actor=world.blue_admin, org=org, extension="1001", holder=tom)
    for bad in ("1", "12345678901", "12a4", "", 1001):
        with pytest.raises(ValidationError):
            extension_reserve(actor=world.blue_admin, org=org, extension=bad, holder=tom)
    extension_release(actor=world.blue_admin, org=org, extension="1001")
    extension_reserve(actor=world.blue_admin, org=org, extension="1001", holder=tom)
    assert Extension.objects.get(org=org, extension="1001").subscriber == tom


def test_extension_length_of_the_template_snapshot(world):
    org = world.blue_harbor.org
    Customer.objects.filter(pk=world.blue_harbor.pk).update(template_settings={"extension_length": 3})
    tom = world.blue_harbor.subscribers.get(email="tom@blueharbor.test")
    with pytest.raises(ValidationError, match="3 digits"):
        extension_reserve(actor=world.blue_admin, org=org, extension="1001", holder=tom)
    extension_reserve(actor=world.blue_admin, org=org, extension="101", holder=tom)


# --- pages -------------------------------------------------------------------------------------------------


def test_customer_admins_never_manage_the_inventory(world, page_client):
    """The guide: phone number management is disabled for customer admins, whatever the mode."""
    location = hq(world.blue_harbor)
    with pytest.raises(PermissionDenied, match="Phone number management is disabled"):
        numbers_add(actor=world.blue_admin, location=location, phone_numbers=["+14155550990"])
    number = numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155550991"])[0]
    with pytest.raises(PermissionDenied):
        number_delete(actor=world.blue_admin, number=number)
    client = page_client(world.blue_admin)
    org_id = world.blue_harbor.org.webex_id
    detail = client.get(
        reverse("control:location_detail", kwargs={"org_id": org_id, "location_id": location.webex_id})
    )
    assert b'data-testid="numbers-restricted"' in detail.content
    assert b'data-testid="number-add-form"' not in detail.content
    assert b'data-testid="delete-number"' not in detail.content
    # The pages refuse them at the door, as the services do: no form they could not use, no redirect that
    # reports a failure only afterwards.
    add = reverse("control:number_add", kwargs={"org_id": org_id, "location_id": location.webex_id})
    assert client.get(add).status_code == 403
    assert client.post(add, {"first": "+14155550992"}).status_code == 403
    delete = reverse("control:number_delete", kwargs={"org_id": org_id, "number_id": number.webex_id})
    assert client.post(delete).status_code == 403
    assert PhoneNumber.objects.filter(pk=number.pk).exists()
    assert not PhoneNumber.objects.filter(e164="+14155550992").exists()


def test_location_page_adds_filters_and_deletes_numbers(world, page_client):
    client = page_client(world.acme_admin)  # cross-launched: partner admins manage numbers
    location = hq(world.blue_harbor)
    org_id = world.blue_harbor.org.webex_id
    add = reverse("control:number_add", kwargs={"org_id": org_id, "location_id": location.webex_id})
    response = client.post(add, {"first": "+14155550800", "count": "3"})
    assert response.status_code == 302
    response = client.post(add, {"first": "+14155550802", "count": "3"})  # overlaps
    assert response.status_code == 200 and b"already in the inventory" in response.content
    assert PhoneNumber.objects.filter(location=location).count() == 3
    assert client.post(add, {"first": "not a number"}).status_code == 200
    detail = reverse("control:location_detail", kwargs={"org_id": org_id, "location_id": location.webex_id})
    maria = world.blue_harbor.subscribers.get(email="maria@blueharbor.test")
    number = PhoneNumber.objects.get(e164="+14155550800")
    number_assign(actor=world.blue_admin, number=number, holder=maria)
    assigned = client.get(detail + "?status=assigned")
    assert assigned.content.count(b'data-testid="number-row"') == 1
    release = reverse("control:number_release", kwargs={"org_id": org_id, "number_id": number.webex_id})
    assert client.post(release).status_code == 302
    delete = reverse("control:number_delete", kwargs={"org_id": org_id, "number_id": number.webex_id})
    assert client.post(delete).status_code == 302
    assert PhoneNumber.objects.filter(location=location).count() == 2


def test_location_detail_query_count_is_fixed(world, page_client):
    client = page_client(world.blue_admin)
    location = hq(world.blue_harbor)
    url = reverse(
        "control:location_detail",
        kwargs={"org_id": world.blue_harbor.org.webex_id, "location_id": location.webex_id},
    )
    numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155550900"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    numbers_add_range(actor=world.acme_admin, location=location, start="+14155550901", count=20)
    for number, subscriber in zip(
        PhoneNumber.objects.all()[:2], world.blue_harbor.subscribers.all(), strict=False
    ):
        number_assign(actor=world.blue_admin, number=number, holder=subscriber)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.count(b'data-testid="number-row"') == 21
    assert len(many) == len(one)


# --- API ---------------------------------------------------------------------------------------------------


def test_api_numbers(world, api_client):
    client = api_client(world.acme_admin)
    org_id = world.blue_harbor.org.webex_id
    base = f"/v1/partner/locations/{hq(world.blue_harbor).webex_id}/numbers?orgId={org_id}"
    response = client.post(base, {"start": "+14155551100", "count": 3}, format="json")
    assert response.status_code == 201 and len(response.json()["items"]) == 3
    response = client.post(base, {"phoneNumbers": ["+14155551200", "+14155551102"]}, format="json")
    assert response.status_code == 400 and "already in the inventory" in response.json()["message"]
    assert not PhoneNumber.objects.filter(e164="+14155551200").exists()
    for bad in (
        {},
        {"start": "+14155551300"},
        {"phoneNumbers": []},
        {"start": "+1", "count": 2},
        {"count": "x"},
    ):
        response = client.post(base, bad, format="json")
        assert response.status_code == 400, bad
        assert set(response.json()) == {"message", "errors", "trackingId"}
    page = client.get(base + "&max=2&status=available")
    assert len(page.json()["items"]) == 2 and 'rel="next"' in page["Link"]
    assert client.get(base + "&status=bogus").status_code == 400
    number_id = page.json()["items"][0]["id"]
    got = client.get(f"/v1/partner/numbers/{number_id}?orgId={org_id}")
    assert got.status_code == 200 and got.json()["status"] == "available"
    assert client.delete(f"/v1/partner/numbers/{number_id}?orgId={org_id}").status_code == 204
    assert (
        api_client(world.globex_admin).get(f"/v1/partner/numbers/{page.json()['items'][1]['id']}").status_code
        == 404
    )
