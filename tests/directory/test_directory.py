"""The users controls: auto-assigned licence, claiming people of a claimed domain, directory sync by CSV
and by SCIM 2.0 (one organisation's secret never reaches another's users)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse

from apps.accounts.models import User
from apps.customers.models import OrgDomain
from apps.customers.services import domain_add
from apps.directory.services import auto_assign_set, directory_csv_sync, scim_enable, users_claim
from apps.provisioning.services.provisioning import customer_update_request
from apps.subscribers.models import Subscriber


@pytest.fixture
def blue(world):
    """Blue Harbor, also ordering Webex Meetings (no calling: a licence that can be given automatically)."""
    customer = world.blue_harbor
    codes = sorted(set(customer.packages.values_list("code", flat=True)) | {"webex_meetings"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_update_request(actor=world.acme_admin, customer=customer, packages=codes)
    auto_assign_set(actor=world.acme_admin, org=customer.org, package="webex_meetings")
    return customer.org


def test_auto_assign_accepts_only_a_package_the_customer_holds(world, blue):
    with pytest.raises(ValidationError):
        auto_assign_set(actor=world.acme_admin, org=blue, package="webex_suite")  # calling: by hand
    with pytest.raises(ValidationError):
        auto_assign_set(actor=world.acme_admin, org=blue, package="not_a_package")


def test_people_of_a_claimed_domain_are_claimed_with_the_auto_assigned_licence(world, blue, page_client):
    User.objects.create_user(email="free@blueharbor.example", password=None)
    User.objects.create_user(email="free@elsewhere.example", password=None)
    domain = domain_add(actor=world.acme_admin, org=blue, name="blueharbor.example")
    OrgDomain.objects.filter(pk=domain.pk).update(verified=True, claimed=True)
    page = page_client(world.acme_admin).get(reverse("control:user_claim", kwargs={"org_id": blue.webex_id}))
    html = page.content.decode()
    assert "free@blueharbor.example" in html and "free@elsewhere.example" not in html
    with pytest.raises(ValidationError):
        users_claim(actor=world.acme_admin, org=blue, emails=["free@elsewhere.example"])
    users_claim(actor=world.acme_admin, org=blue, emails=["free@blueharbor.example"])
    assert Subscriber.objects.get(email="free@blueharbor.example").package == "webex_meetings"


def test_a_csv_sync_adds_and_updates_all_or_nothing(world, blue):
    data = (
        b"Email,First Name,Last Name\r\n"
        b"new@blueharbor.test,New,Person\r\nmaria@blueharbor.test,Maria,Lopez\r\n"
    )
    assert directory_csv_sync(actor=world.acme_admin, org=blue, data=data) == {
        "added": 1,
        "updated": 1,
        "rows": 2,
    }
    assert Subscriber.objects.get(email="maria@blueharbor.test").last_name == "Lopez"
    bad = b"Email,First Name,Last Name\r\nanother@blueharbor.test,A,B\r\nnot-an-address,X,Y\r\n"
    with pytest.raises(ValidationError, match="Row 3"):
        directory_csv_sync(actor=world.acme_admin, org=blue, data=bad)
    assert not Subscriber.objects.filter(email="another@blueharbor.test").exists()
    for garbage in (b"\xff\xfe\x00", b"Name\r\nx\r\n", b""):
        with pytest.raises(ValidationError):
            directory_csv_sync(actor=world.acme_admin, org=blue, data=garbage)


def test_scim_lists_creates_and_reads_users_of_its_own_organisation_only(world, blue):
    secret = scim_enable(actor=world.acme_admin, org=blue)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    users = client.get(reverse("scim_users")).json()
    assert users["totalResults"] == Subscriber.objects.filter(customer__org=blue).count()
    created = client.post(
        reverse("scim_users"),
        {"userName": "scim@blueharbor.test", "name": {"givenName": "Sam", "familyName": "Cim"}},
        content_type="application/scim+json",
    )
    assert created.status_code == 201 and created.json()["userName"] == "scim@blueharbor.test"
    again = client.post(
        reverse("scim_users"), {"userName": "scim@blueharbor.test"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"
    found = client.get(reverse("scim_users"), {"filter": 'userName eq "scim@blueharbor.test"'}).json()
    assert found["totalResults"] == 1
    assert client.get(reverse("scim_users"), {"filter": "garbage"}).status_code == 400
    assert client.post(reverse("scim_users"), b"{", content_type="application/json").status_code == 400
    # Another organisation's secret: its users only; Blue Harbor's user is a 404.
    other = Client(
        HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=world.acme_admin, org=world.cedar_pine.org)}"
    )
    user_url = reverse("scim_user", kwargs={"user_id": created.json()["id"]})
    assert client.get(user_url).status_code == 200
    assert other.get(user_url).status_code == 404
    assert "scim@blueharbor.test" not in other.get(reverse("scim_users")).content.decode()
    assert Client().get(reverse("scim_users")).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get(user_url).status_code == 401
