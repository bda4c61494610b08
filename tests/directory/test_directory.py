"""The users controls: auto-assigned licence, claiming people of a claimed domain, directory sync by CSV
(SCIM 2.0: test_scim.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.customers.models import OrgDomain
from apps.customers.services import domain_add
from apps.directory.services import auto_assign_set, directory_csv_sync, users_claim
from apps.subscribers.models import Subscriber


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


def test_a_csv_sync_renames_people_as_their_details_page_does(world, blue):
    maria = Subscriber.objects.get(email="maria@blueharbor.test")
    for bad in ("M\u202earia", "x" * 151):  # a bidi override; longer than a name may be (was a 500)
        data = f"Email,First Name,Last Name\r\nmaria@blueharbor.test,{bad},Lopez\r\n".encode()
        with pytest.raises(ValidationError, match="Row 2"):
            directory_csv_sync(actor=world.acme_admin, org=blue, data=data)
        maria.refresh_from_db()
        assert (maria.first_name, maria.last_name) == ("", "")
    data = b"Email,First Name,Last Name\r\nmaria@blueharbor.test,Maria,Lopez\r\n"
    directory_csv_sync(actor=world.acme_admin, org=blue, data=data)
    event = AuditEvent.objects.get(action="subscriber.details", target_id=str(maria.pk))
    assert event.after["last_name"] == "Lopez" and event.actor == world.acme_admin
    assert User.objects.get(pk=maria.user_id).last_name == "Lopez"
