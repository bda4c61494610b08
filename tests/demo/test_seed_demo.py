"""The demo seed (`make run`): created once through the services, with numbers, subscribers holding calling,
a free account waiting for consent, workspaces and a finished CSV import on the showcase customer. The seed
runs once for the package (``tests/demo/conftest.py``); each test reads it in a savepoint of its own."""

import re

import phonenumbers
import pytest

from apps.accounts.models import User
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.locations.models import Extension, Location, PhoneNumber
from apps.packages.catalogue import package_get
from apps.subscribers.models import ImportStatus, Subscriber, SubscriberImport, SubscriberStatus, Workspace
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db

CALLING_CUSTOMERS = [
    "Blue Harbor Dental",
    "Cedar & Pine Legal",
    "Riverside Bakery",
    "Initech Ltd",
    "Umbrella Logistics",
]


def customer(name: str) -> Customer:
    return Customer.objects.select_related("org").get(org__name=name)


def counts() -> dict:
    models = (Organization, User, Subscriber, PhoneNumber, Extension, Location, Workspace, SubscriberImport)
    return {model.__name__: model.objects.count() for model in models}


def test_the_seed_builds_a_realistic_demo_once(seeded, django_capture_on_commit_callbacks):
    out = seeded.out
    assert "Demo data created." in out

    # Numbers: a range of 10–50 at every calling customer's headquarters, valid for its country.
    for name in CALLING_CUSTOMERS:
        hq = Location.objects.get(org=customer(name).org, is_headquarters=True)
        numbers = list(PhoneNumber.objects.filter(location=hq).values_list("e164", flat=True))
        assert 10 <= len(numbers) <= 50, name
        for e164 in numbers:
            parsed = phonenumbers.parse(e164, None)
            assert phonenumbers.is_valid_number(parsed), e164
            assert phonenumbers.region_code_for_number(parsed) == hq.country, e164
    seconds = (("Blue Harbor Dental", "Cambridge Clinic"), ("Riverside Bakery", "Manchester Kitchen"))
    for name, second in seconds:
        location = Location.objects.get(org=customer(name).org, name=second)
        assert not location.is_headquarters and PhoneNumber.objects.filter(location=location).count() == 10

    # Every provisioned subscriber with a calling package holds a number or an extension, at a location.
    callers = [
        s
        for s in Subscriber.objects.filter(status=SubscriberStatus.PROVISIONED)
        if package_get(s.package).has_calling
    ]
    assert len(callers) > 20
    for subscriber in callers:
        assert subscriber.location_id is not None, subscriber.email
        assert subscriber.phone_numbers.exists() or subscriber.extensions.exists(), subscriber.email
    assert sum(s.phone_numbers.exists() for s in callers) > len(callers) // 2
    assert any(not s.phone_numbers.exists() for s in callers)  # some have an extension only
    assert Subscriber.objects.filter(location__name="Cambridge Clinic").exists()

    # The showcase customer: two pages of 25 users with a mix of the packages it holds.
    blue = customer("Blue Harbor Dental")
    users = Subscriber.objects.filter(customer=blue)
    assert 25 < users.count() <= 75
    assert set(users.values_list("package", flat=True)) == {"webex_suite", "webex_calling", "webex_meetings"}

    # A free account waiting for consent (its e-mail was sent by the queued task).
    pending = Subscriber.objects.get(status=SubscriberStatus.PENDING_USER_MIGRATION)
    assert pending.customer == blue and pending.from_free_account and pending.user.org_id is None
    assert pending.email in out and "consent link: http" in out
    assert [m.to for m in seeded.mails if "move your Webex account" in m.subject] == [[pending.email]]

    # Workspaces holding Common Area Calling, each with a number or an extension.
    workspaces = Workspace.objects.filter(customer=blue).order_by("name")
    assert [w.name for w in workspaces] == ["Front Desk", "Waiting Room"]
    for workspace in workspaces:
        assert workspace.package == "common_area_calling"
        assert workspace.phone_numbers.exists() or workspace.extensions.exists()
    assert workspaces[0].phone_numbers.exists() and workspaces[1].location.name == "Cambridge Clinic"

    # A finished CSV import with two refused rows (its queued task found it done and did nothing more).
    (job,) = SubscriberImport.objects.filter(customer=blue)
    assert job.status == ImportStatus.DONE and job.processed_rows == job.total_rows == 7
    assert (job.added_count, job.modified_count, job.deleted_count, job.failed_count) == (4, 1, 0, 2)
    assert [e["row"] for e in job.errors] == [7, 8]
    assert "Customer Assist" in job.errors[0]["errors"][0]
    assert "number inventory" in job.errors[1]["errors"][0]
    assert Subscriber.objects.get(email="ana.silva@blueharbor.example").package == "webex_suite"
    assert "CSV import new-hires.csv: done, 4 added, 1 modified, 2 failed" in out
    assert "Workspace: Front Desk at Headquarters" in out

    # A French customer (issue 12): its organisation locale is fr_FR, and its admin's login says so.
    assert customer("Umbrella Logistics").org_locale == "fr_FR"
    umbrella_login = next(line for line in out.splitlines() if "admin@umbrella.example" in line)
    assert umbrella_login.endswith("· reads French (org locale fr_FR)")
    blue_login = next(line for line in out.splitlines() if "admin@blueharbor.example" in line)
    assert "reads" not in blue_login

    # Once: a second run changes nothing and still prints what to try.
    before = counts()
    again = seed(django_capture_on_commit_callbacks)
    assert "Demo data already present." in again and "CSV import new-hires.csv" in again
    assert counts() == before


def test_the_printed_consent_link_moves_the_free_account_in(seeded, client):
    path = re.search(r"consent link: https?://[^/]+(/\S+)", seeded.out).group(1)
    assert client.post(path).status_code == 200
    subscriber = Subscriber.objects.get(email="kim.nguyen@freemail.example")
    assert subscriber.status == SubscriberStatus.PROVISIONED
    assert subscriber.user.org == customer("Blue Harbor Dental").org


def test_acme_has_an_active_and_a_suspended_subpartner(seeded):
    from apps.core.models import OrgStatus
    from apps.subpartners.selectors import billing_start_date

    acme = Organization.objects.get(name="Acme Telecom")
    subs = {o.name: o for o in Organization.objects.filter(parent=acme, kind="partner")}
    assert {name: o.status for name, o in subs.items()} == {
        "Northwind Reseller": OrgStatus.ACTIVE,
        "Southwind Reseller": OrgStatus.SUSPENDED,
    }
    assert Customer.objects.filter(org__parent=subs["Northwind Reseller"]).exists()
    assert Customer.objects.filter(org__parent=subs["Southwind Reseller"]).exists()
    assert billing_start_date(subpartner=subs["Northwind Reseller"]).day == 1
