"""Scale: a CSV import of 10,000 users into one customer, through the real upload service and the task's body
(every row through ``subscriber_add``). Prints rows/second and queries per row, with the queries of one row
split by table so that the cost of the shared subscriber service shows where it is.

Run with ``make bench`` (the figures go to the issue note).
"""

import re
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.locations.models import Extension
from apps.subscribers.models import ImportStatus, Subscriber
from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_run
from tests.factories import provision_customer

pytestmark = pytest.mark.bench

TOTAL = 10_000
HEADER = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"
_TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


class QueryCounter:
    """Counts every query (cheaper than Django's query log at 300,000 queries), by verb and first table."""

    def __init__(self):
        self.total = 0
        self.by_kind: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        verb = sql.split(None, 1)[0].upper() if sql else "?"
        table = _TABLE.search(sql)
        self.by_kind[f"{verb} {table.group(1) if table else ''}".strip()] += 1
        return execute(sql, params, many, context)


def _csv(rows: int, *, calling: bool, prefix: str = "u", first_extension: int = 10000) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        email = f"{prefix}{n:05d}@bench.test"
        if calling:
            lines.append(f"add,Bench,{n:05d},{email},webex_calling,,,{first_extension + n}")
        else:
            lines.append(f"add,Bench,{n:05d},{email},webex_meetings,,,")
    return ("\r\n".join(lines) + "\r\n").encode()


def _import(actor, customer, data: bytes):
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        job = subscriber_import_create(actor=actor, customer=customer, data=data, file_name="bench.csv")
        uploaded = time.perf_counter() - started
        job = subscriber_import_run(import_id=job.pk)
    elapsed = time.perf_counter() - started
    return job, counter, uploaded, elapsed


def _floor(customer, *, calling: bool) -> float:
    """The floor: the same number of people bulk-inserted as they are stored (users, subscribers and, for
    calling, extensions), 1,000 rows per insert in one transaction, with no check at all. Seconds."""
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, TOTAL, 1000):
            users, subscribers, extensions = [], [], []
            for n in range(start, start + 1000):
                email = f"floor{n:05d}@bench.test"
                user = User(email=email, first_name="Bench", last_name=f"{n:05d}", org_id=customer.org_id)
                user.set_unusable_password()
                users.append(user)
                subscriber = Subscriber(
                    customer=customer,
                    user=user,
                    email=email,
                    first_name=user.first_name,
                    last_name=user.last_name,
                    package="webex_calling" if calling else "webex_meetings",
                    status="provisioned",
                    status_changed=now,
                )
                subscribers.append(subscriber)
                if calling:
                    extensions.append(
                        Extension(org_id=customer.org_id, extension=str(20000 + n), subscriber=subscriber)
                    )
            User.objects.bulk_create(users)
            Subscriber.objects.bulk_create(subscribers)
            Extension.objects.bulk_create(extensions)
    return time.perf_counter() - started


@pytest.mark.parametrize("calling", [False, True], ids=["webex_meetings", "webex_calling+extension"])
def test_import_ten_thousand_users(world, capsys, calling):
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Bench Imports Ltd",
        admin_email="admin@bench-imports.test",
        packages=["webex_meetings", "webex_calling"],
    )
    # Five-digit extensions (the template's four would allow only 10,000, some taken): bench set-up only.
    customer.template_settings = {**(customer.template_settings or {}), "extension_length": 5}
    customer.save(update_fields=["template_settings"])
    before = Subscriber.objects.filter(customer=customer).count()
    # One row alone first: its queries by table show where a row's cost goes.
    one, one_counter, _, _ = _import(
        world.acme_admin, customer, _csv(1, calling=calling, prefix="warm", first_extension=99999)
    )
    assert one.added_count == 1, one.errors
    floor = _floor(customer, calling=calling)
    job, counter, uploaded, elapsed = _import(world.acme_admin, customer, _csv(TOTAL, calling=calling))
    assert job.status == ImportStatus.DONE and job.added_count == TOTAL and job.failed_count == 0, job.errors[
        :3
    ]
    assert Subscriber.objects.filter(customer=customer).count() == before + 1 + 2 * TOTAL
    with capsys.disabled():
        kind = "webex_calling + extension" if calling else "webex_meetings"
        print(f"\n\nCSV import of {TOTAL:,} {kind} users into one customer (database: {connection.vendor})")
        print(f"  upload (parse + checks + create): {uploaded * 1000:.0f} ms")
        print(
            f"  total: {elapsed:.1f} s, {TOTAL / elapsed:,.0f} rows/s,"
            f" {counter.total / TOTAL:.1f} queries/row"
        )
        print(
            f"  floor (bulk_create of the same users, subscribers{' and extensions' if calling else ''}):"
            f" {floor:.1f} s, {TOTAL / floor:,.0f} rows/s; import / floor = {elapsed / floor:.1f}x"
        )
        print(f"  one row alone: {one_counter.total} queries (upload + run), by statement and table:")
        for name, n in one_counter.by_kind.most_common():
            print(f"    {n:>3}  {name}")
        print()
    # The acceptance: within 3x the floor measured in this run (and 1,000 rows/s at least, which the printed
    # figure shows: on a machine so loaded that the floor itself is below 3,000 rows/s only the ratio holds).
    assert elapsed <= 3 * floor, (TOTAL / elapsed, elapsed / floor)
    if TOTAL / floor >= 3000:
        assert TOTAL / elapsed >= 1000, TOTAL / elapsed
