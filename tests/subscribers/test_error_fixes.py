"""Subscriber errors lead somewhere (issue 12, item 3): a refused user names the page that removes the cause
(Locations for a number missing from the inventory, Administrators for an administrator's removal, the
partner's Change packages or the Help page for a package) and offers Retry wherever the cause is fixed on
another page: the refused rows of a CSV import, an import that stopped, a refused removal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from apps.locations.models import Location
from apps.locations.services.numbers import numbers_add
from apps.subscribers.fixes import fix_for, retryable
from apps.subscribers.models import ImportStatus, Subscriber, SubscriberImport
from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_failed
from tests.html import squash

HEADER = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"
NEW_NUMBER = "+14155550177"  # not in Blue Harbor's inventory until the test adds it


def url(name: str, org, **kwargs) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id, **kwargs})


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode()


def test_a_refused_row_names_its_fixing_page_and_retry_adds_it_once_fixed(
    world, page_client, django_capture_on_commit_callbacks
):
    blue = world.blue_harbor
    org = blue.org
    client = page_client(world.acme_admin)
    data = csv_bytes(
        f"add,Nia,Park,nia@blueharbor.test,webex_calling,,{NEW_NUMBER},",  # the number: Locations
        "add,Bad,Mail,not-an-address,webex_suite,,,3301",  # its own mistake: fixed in the file
        "add,Ok,Row,ok@blueharbor.test,webex_suite,,,3302",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("user_import", org), {"file": SimpleUploadedFile("staff.csv", data, "text/csv")})
    job = SubscriberImport.objects.get()
    assert (job.status, job.added_count, job.failed_count) == (ImportStatus.DONE, 1, 2)
    assert job.errors[0]["codes"] == [ErrorCode.PHONE_NUMBER_INVALID]

    html = client.get(url("user_import_detail", org, import_id=job.webex_id)).content.decode()
    locations = url("location_list", org)
    assert f'<a href="{locations}" data-testid="import-error-fix">Add the number to a location' in html
    assert f'<a href="{url("user_import", org)}" data-testid="import-error-fix">Correct the row' in html
    assert (
        'data-testid="import-retry"' in html and "1 row was refused for a cause fixed on another page" in html
    )

    # Retrying before the fix refuses the row again (a new import, the original untouched).
    hq = Location.objects.get(org=org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=[NEW_NUMBER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("user_import_retry", org, import_id=job.webex_id))
    retry = SubscriberImport.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url("user_import_detail", org, import_id=retry.webex_id)
    assert (retry.status, retry.total_rows, retry.added_count, retry.failed_count) == (
        ImportStatus.DONE,
        1,
        1,
        0,
    )
    assert retry.file_name == "staff-retry.csv"
    nia = Subscriber.objects.get(email="nia@blueharbor.test")
    assert list(nia.phone_numbers.values_list("e164", flat=True)) == [NEW_NUMBER]
    assert not Subscriber.objects.filter(email="not-an-address").exists()
    event = AuditEvent.objects.get(action="subscriber_import.retry")
    assert event.target_id == str(retry.pk) and event.before == {"import": job.webex_id, "lines": [2]}
    job.refresh_from_db()
    assert (job.added_count, job.failed_count) == (1, 2)


def test_an_import_without_refused_rows_to_retry_is_refused_and_nothing_is_created(world, page_client):
    org = world.blue_harbor.org
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=world.blue_harbor,
        data=csv_bytes("add,,,x@blueharbor.test,webex_suite,,,3303"),
        file_name="x.csv",
    )
    client = page_client(world.acme_admin)
    assert (
        'data-testid="import-retry"'
        not in client.get(url("user_import_detail", org, import_id=job.webex_id)).content.decode()
    )
    response = client.post(url("user_import_retry", org, import_id=job.webex_id), follow=True)
    assert response.status_code == 200
    assert "This import has no refused rows to try again." in response.content.decode()
    assert SubscriberImport.objects.count() == 1


def test_a_stopped_import_offers_retry_which_resumes_it(
    world, page_client, django_capture_on_commit_callbacks
):
    blue = world.blue_harbor
    org = blue.org
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=blue,
        data=csv_bytes(
            "add,,,s1@blueharbor.test,webex_suite,,,3304", "add,,,s2@blueharbor.test,webex_suite,,,3305"
        ),
        file_name="s.csv",
    )
    subscriber_import_failed(import_id=job.pk)  # the task gave up before any row
    # A read-only administrator sees the state but no Retry.
    readonly = page_client(world.acme_readonly).get(url("user_import_detail", org, import_id=job.webex_id))
    assert 'data-testid="import-resume"' not in readonly.content.decode()
    client = page_client(world.acme_admin)
    html = client.get(url("user_import_detail", org, import_id=job.webex_id)).content.decode()
    assert 'data-testid="import-resume"' in html and "Retry to go on from where it stopped." in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("user_import_resume", org, import_id=job.webex_id))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.added_count) == (ImportStatus.DONE, 2, 2)
    event = AuditEvent.objects.get(action="subscriber_import.resume", target_id=str(job.pk))
    assert event.before == {"status": "failed"}
    # Done: resuming again is refused and changes nothing.
    client.post(url("user_import_resume", org, import_id=job.webex_id))
    assert AuditEvent.objects.filter(action="subscriber_import.resume").count() == 1


def test_a_refused_removal_links_to_administrators_and_offers_retry(world, page_client):
    org = world.blue_harbor.org
    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    client = page_client(world.acme_admin)
    remove = url("user_remove", org, subscriber_id=admin.webex_id)
    html = client.get(remove).content.decode()
    assert "is an administrator: remove their administrator roles first." in html
    assert f'<a href="{url("admin_list", org)}" data-testid="remove-fix">Remove their roles' in html
    assert 'data-testid="remove-retry"' in html
    # Retry while the roles are still there: refused again, nothing removed.
    again = client.post(remove)
    assert again.status_code == 200 and 'data-testid="remove-problem"' in again.content.decode()
    assert Subscriber.objects.filter(pk=admin.pk).exists()
    detail = client.get(url("user_detail", org, subscriber_id=admin.webex_id)).content.decode()
    assert 'data-testid="remove-fix"' in detail


def test_the_add_form_names_the_page_for_a_number_missing_from_the_inventory(world, page_client):
    org = world.blue_harbor.org
    response = page_client(world.acme_admin).post(
        url("user_add", org),
        {
            "users-TOTAL_FORMS": "1",
            "users-INITIAL_FORMS": "0",
            "users-MIN_NUM_FORMS": "0",
            "users-MAX_NUM_FORMS": "25",
            "users-0-email": "kai@blueharbor.test",
            "users-0-package": "webex_calling",
            "users-0-phone_number": NEW_NUMBER,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="form-fixes"' in html
    assert (
        f'<a href="{url("location_list", org)}" data-testid="form-fix">Add the number to a location'
        in squash(html)
    )


@pytest.mark.parametrize(
    ("person", "expected"),
    [("acme_admin", "partner:customer_packages"), ("blue_admin", "control:help")],
    ids=["the partner changes the packages", "the customer asks its partner"],
)
def test_a_package_the_customer_lacks_is_fixed_by_the_partner(world, person, expected):
    blue = world.blue_harbor
    fix = fix_for(ErrorCode.PACKAGE_NOT_HELD, actor=getattr(world, person), customer=blue)
    kwargs = (
        {"org_id": world.acme.webex_id, "customer_id": blue.webex_id}
        if expected.startswith("partner:")
        else {"org_id": blue.org.webex_id}
    )
    assert fix is not None and fix.url == reverse(expected, kwargs=kwargs)


def test_a_page_the_person_may_not_open_is_not_offered(world):
    # A support administrator does not see the Administrators page: no link to it.
    assert (
        fix_for(ErrorCode.SUBSCRIBER_IS_ADMIN, actor=world.blue_support, customer=world.blue_harbor) is None
    )
    assert fix_for(ErrorCode.SUBSCRIBER_IS_ADMIN, actor=world.blue_admin, customer=world.blue_harbor)
    assert fix_for(ErrorCode.EMAIL_INVALID, actor=world.blue_admin, customer=world.blue_harbor) is None
    assert retryable([ErrorCode.PHONE_NUMBER_INVALID, ErrorCode.PACKAGE_LIMIT_REACHED])
    assert not retryable([ErrorCode.PHONE_NUMBER_INVALID, ErrorCode.EMAIL_INVALID]) and not retryable([])
