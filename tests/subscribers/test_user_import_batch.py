"""The CSV import's set-based path (``subscribers_add_batch``): a chunk of ``add`` rows is checked from a few
set queries and written with one insert per table, and reports exactly what the rows one by one report —
the same rows added, the same refusals with the same messages, the same numbers, extensions, history and
audit entries. A chunk it cannot take (an existing account, another action) goes row by row."""

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, is_password_usable, make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.accounts.services import free_account_create
from apps.core.models import AuditEvent
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import numbers_add
from apps.subscribers.models import ImportStatus, PackageAssignment, Subscriber, SubscriberStatus
from apps.subscribers.services import imports as import_services
from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_run
from tests.subscribers.test_user_import import csv_bytes


class _Rollback(Exception):
    pass


def _state(customer) -> dict:
    """What an import wrote, comparable between two runs (no ids, no instants)."""
    subscribers = Subscriber.objects.filter(customer=customer)
    return {
        "subscribers": sorted(
            subscribers.values_list("email", "first_name", "last_name", "package", "status", "location__name")
        ),
        "extensions": sorted(
            Extension.objects.filter(org=customer.org).values_list("extension", "subscriber__email")
        ),
        "numbers": sorted(
            PhoneNumber.objects.filter(org=customer.org).values_list("e164", "subscriber__email")
        ),
        "intervals": sorted(
            PackageAssignment.objects.filter(customer_uuid=customer.pk).values_list(
                "subscriber_email", "package", "location__name", "ended_at"
            )
        ),
        "audit": sorted(
            (event.action, event.target_repr, sorted(event.after.items()))
            for event in AuditEvent.objects.filter(action="subscriber.create", acting_org=customer.org)
        ),
    }


def _import_and_undo(actor, customer, data: bytes, *, one_by_one: bool, monkeypatch) -> tuple[list, dict]:
    """Run an import, note its report and what it wrote, then roll it all back."""
    if one_by_one:
        monkeypatch.setattr(import_services, "_apply_batch", lambda chunk, **kwargs: None)
    outcome = {}
    try:
        with transaction.atomic():
            job = subscriber_import_create(actor=actor, customer=customer, data=data, file_name="u.csv")
            job = subscriber_import_run(import_id=job.pk)
            outcome = {
                "report": (job.status, job.added_count, job.failed_count, job.errors),
                "state": _state(customer),
            }
            raise _Rollback
    except _Rollback:
        pass
    monkeypatch.undo()
    return outcome["report"], outcome["state"]


def test_a_batched_chunk_reports_and_writes_what_rows_one_by_one_do(world, monkeypatch):
    blue = world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    branch = Location.objects.create(org=blue.org, name="Branch Office", address_line1="1 Main St")
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155550142", "+14155550143"])
    held = Subscriber.objects.filter(customer=blue, package="webex_suite").count()
    blue.package_limits = {"webex_suite": held + 6}  # the seventh webex_suite row of the file is refused
    blue.save(update_fields=["package_limits"])
    rows = [
        "add,Ada,Lovelace,ada@blueharbor.test,webex_suite,,,3001",
        "add,,,not-an-email,webex_suite,,,3002",
        "add,Ada,Again,ADA@blueharbor.test,webex_suite,,,3003",  # the same e-mail as two lines above
        "add,,,maria@blueharbor.test,webex_suite,,,3004",  # a subscriber already
        "add,,,admin@acme.test,webex_suite,,,3005",  # a person of another organisation
        "add,,,pkg@blueharbor.test,no_such_package,,,3006",
        "add,,,taken@blueharbor.test,webex_suite,,,2001",  # maria's extension
        "add,,,dup-ext@blueharbor.test,Webex Calling,,,3001",  # ada's, added three lines above
        "add,,,short@blueharbor.test,webex_suite,,,12345",  # five digits in a four-digit organisation
        "add,,,nowhere@blueharbor.test,webex_suite,Nowhere,,3007",
        f"add,,,branch@blueharbor.test,webex_suite,{branch.name.upper()},,3008",
        f"add,,,hq@blueharbor.test,webex_suite,{hq.webex_id},+1 415 555 0142,",
        "add,,,same-number@blueharbor.test,webex_calling,,+14155550142,",  # taken two lines above
        "add,,,wrong-place@blueharbor.test,webex_calling,Branch Office,+14155550143,",
        "add,,,foreign@blueharbor.test,webex_calling,,+14155550199,",
        "add,,,nothing@blueharbor.test,webex_calling,,,",  # calling without number or extension
        "add,,,extra@blueharbor.test,webex_suite,,,3009,surplus",
        "add," + "L" * 151 + ",,long@blueharbor.test,webex_suite,,,3010",
        "add,,,s1@blueharbor.test,webex_suite,,,3011",
        "add,,,s2@blueharbor.test,webex_suite,,,3012",
        "add,,,s3@blueharbor.test,webex_suite,,,3013",
        "add,,,over-limit@blueharbor.test,webex_suite,,,3014",
    ]
    data = csv_bytes(*rows)
    one_report, one_state = _import_and_undo(
        world.acme_admin, blue, data, one_by_one=True, monkeypatch=monkeypatch
    )
    batches = []
    real = import_services.subscribers_add_batch
    monkeypatch.setattr(
        import_services, "subscribers_add_batch", lambda **kwargs: batches.append(1) or real(**kwargs)
    )
    batch_report, batch_state = _import_and_undo(
        world.acme_admin, blue, data, one_by_one=False, monkeypatch=monkeypatch
    )
    assert batches == [1]  # the batch did run (and was not refused into the row-by-row path)
    status, added, failed, errors = one_report
    assert status == ImportStatus.DONE and added == 6 and failed == len(rows) - 6  # the file means this
    assert {e["row"] for e in errors} == {3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 23}
    assert batch_report == one_report
    assert batch_state == one_state


def test_a_chunk_naming_an_existing_account_goes_row_by_row(world):
    blue = world.blue_harbor
    free_account_create(email="free@example.test", first_name="Fay")
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=blue,
        data=csv_bytes(
            "add,,,new@blueharbor.test,webex_suite,,,3101",
            "add,,,free@example.test,webex_suite,,,3102",
        ),
        file_name="u.csv",
    )
    job = subscriber_import_run(import_id=job.pk)
    assert (job.added_count, job.failed_count) == (2, 0), job.errors
    assert Subscriber.objects.get(email="free@example.test").status == SubscriberStatus.PENDING_USER_MIGRATION
    assert Subscriber.objects.get(email="new@blueharbor.test").status == SubscriberStatus.PROVISIONED


def test_a_chunk_costs_a_fixed_number_of_queries(world):
    """Three chunks cost three times one chunk's queries, a few dozen (12–18 per row before)."""
    blue = world.blue_harbor
    blue.template_settings = {**(blue.template_settings or {}), "extension_length": 5}
    blue.save(update_fields=["template_settings"])
    size = import_services.BATCH_ROWS

    def run(first: int, total: int) -> int:
        data = csv_bytes(
            *(
                f"add,User,{n},u{n:05d}@blueharbor.test,webex_suite,,,{40000 + n}"
                for n in range(first, first + total)
            )
        )
        job = subscriber_import_create(actor=world.acme_admin, customer=blue, data=data, file_name="u.csv")
        with CaptureQueriesContext(connection) as queries:
            job = subscriber_import_run(import_id=job.pk)
        assert (job.status, job.added_count, job.failed_count) == (ImportStatus.DONE, total, 0), job.errors[
            :2
        ]
        return len(queries)

    one_chunk, three_chunks = run(0, size), run(size, 3 * size)
    # Lock, progress, ~10 set reads, one insert per table (SQLite splits a wide insert into 70-row parts).
    per_insert = 1 if connection.vendor == "postgresql" else -(-size // 70)
    assert one_chunk <= 20 + 6 * per_insert
    assert three_chunks <= 3 * one_chunk
    assert Extension.objects.filter(org=blue.org, extension__gte="40000").count() == 4 * size
    assert (
        PackageAssignment.objects.filter(subscriber_email__startswith="u", customer_uuid=blue.pk).count()
        == 4 * size
    )


def test_a_batched_chunk_writes_people_without_a_usable_password_and_audits_who_did_it(world):
    """The people a chunk adds get Django's unusable password (the prefix ``is_password_usable`` refuses, then
    40 random characters, a different value each), and its audit entries and extensions name the actor, the
    organisation and the holder: the batch builds them by id."""
    blue = world.blue_harbor
    emails = [f"nopass{n}@blueharbor.test" for n in range(3)]
    data = csv_bytes(*(f"add,No,Pass,{email},webex_suite,,,{3201 + n}" for n, email in enumerate(emails)))
    job = subscriber_import_create(actor=world.acme_admin, customer=blue, data=data, file_name="u.csv")
    job = subscriber_import_run(import_id=job.pk)
    assert (job.added_count, job.failed_count) == (3, 0), job.errors
    people = list(User.objects.filter(email__in=emails))
    assert len(people) == 3
    for person in people:
        assert not person.has_usable_password()
        assert not is_password_usable(person.password)
        assert person.password.startswith(UNUSABLE_PASSWORD_PREFIX)
        assert len(person.password) == len(make_password(None))
        assert not person.check_password("") and not person.check_password(person.password)
        assert authenticate(email=person.email, password="") is None
    assert len({person.password for person in people}) == 3
    subscribers = {s.email: s for s in Subscriber.objects.filter(email__in=emails)}
    events = AuditEvent.objects.filter(
        action="subscriber.create", target_id__in=[str(s.pk) for s in subscribers.values()]
    )
    assert (
        sorted((e.actor_id, e.actor_email, e.acting_org_id) for e in events)
        == [(world.acme_admin.pk, world.acme_admin.email, blue.org_id)] * 3
    )
    assert sorted(
        Extension.objects.filter(org=blue.org, extension__in=["3201", "3202", "3203"]).values_list(
            "extension", "subscriber_id"
        )
    ) == [(str(3201 + n), subscribers[email].pk) for n, email in enumerate(emails)]
