"""What ``POST /v1/wholesale/subscribers`` costs the database (issue 11): a fixed number of queries, whatever
the size of the customer, and no savepoint beyond the service's own transaction.

The statements of a new person with a calling package and an extension (the benchmark's body):
the token, the person's roles, the partner's two-factor policy (authentication); the customer's row
through the scoping selector, locked (shared: adds to one customer do not wait for each other) — 404 when
out of scope; the customer with every answer the order's checks need about its e-mail, extension and
package and its headquarters (the subscriber's location) — 403 with its restrictions answered from that
row; then the five rows written: the person, the subscriber, the
extension, the package interval and the audit entry. The test runs in a transaction, so the service's own
transaction is a savepoint here (BEGIN and COMMIT in production)."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditEvent
from apps.customers.models import Customer
from apps.locations.services.locations import location_create
from apps.subscribers.models import PackageAssignment, Subscriber
from tests.factories import SubscriberFactory

LIST = "/v1/wholesale/subscribers"
# Reads and writes, without the savepoint and its release: the new rows (the person, the subscriber, its
# extension, its package interval and count, the audit entry) go as one chained statement on PostgreSQL
# (core.inserts), each its own INSERT elsewhere.
STATEMENTS = {"postgresql": 5, "sqlite": 10}
LOCATION = {
    "address_line1": "1 Harbour Way",
    "city": "Boston",
    "state_or_province": "MA",
    "zip_or_postal_code": "02110",
    "country": "US",
    "timezone": "America/New_York",
    "language": "en_US",
}


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


def _body(blue, n: int, **params) -> dict:
    return {
        "customerId": blue.webex_id,
        "email": f"queries-{n}@blueharbor.test",
        "package": "webex_suite",
        "provisioningParameters": {"firstName": "Query", "lastName": str(n), "extension": str(3500 + n)}
        | params,
    }


def _post(acme, body) -> tuple[list[str], list[str]]:
    """(statements, savepoint statements) of one POST that succeeds."""
    with CaptureQueriesContext(connection) as captured:
        response = acme.post(LIST, body, format="json")
    assert response.status_code == 200, response.content
    sql = [query["sql"] for query in captured.captured_queries]
    savepoints = [s for s in sql if s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]
    return [s for s in sql if s not in savepoints], savepoints


def test_a_post_costs_a_fixed_number_of_queries_at_any_customer_size(world, acme):
    blue = world.blue_harbor
    acme.post(LIST, _body(blue, 0), format="json")  # the token's first use is recorded once a minute
    statements, savepoints = _post(acme, _body(blue, 1))
    assert len(statements) <= STATEMENTS[connection.vendor], "\n".join(s[:120] for s in statements)
    assert len(savepoints) == 2  # the service's transaction (SAVEPOINT, RELEASE): no nested one
    assert Subscriber.objects.filter(email="queries-1@blueharbor.test").exists()

    for n in range(15):
        SubscriberFactory(
            actor=world.acme_admin,
            customer=blue,
            email=f"bulk{n}@blueharbor.test",
            package="webex_suite",
            extension=f"36{n:02d}",
        )
    for n in range(5):
        location_create(actor=world.acme_admin, org=blue.org, values=LOCATION | {"name": f"Branch {n}"})
    more, more_savepoints = _post(acme, _body(blue, 2))
    assert len(more) == len(statements)
    assert len(more_savepoints) == 2


def test_the_fewer_queries_still_write_every_row(world, acme):
    blue = world.blue_harbor
    acme.post(LIST, _body(blue, 0), format="json")
    _post(acme, _body(blue, 3))
    subscriber = Subscriber.objects.get(email="queries-3@blueharbor.test")
    assert subscriber.user.email == subscriber.email
    assert subscriber.location is not None
    assert [e.extension for e in subscriber.extensions.all()] == ["3503"]
    assert PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk, ended_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="subscriber.create", target_id=str(subscriber.pk))
    assert event.after["extensions"] == ["3503"]


def test_a_refusal_costs_no_more_and_writes_nothing(world, acme):
    blue = world.blue_harbor
    acme.post(LIST, _body(blue, 0), format="json")
    with CaptureQueriesContext(connection) as captured:
        response = acme.post(LIST, _body(blue, 4, extension="3500"), format="json")  # 3500 is taken
    assert response.status_code == 409  # Webex answers a taken extension with a conflict
    assert len(captured.captured_queries) <= STATEMENTS[connection.vendor] + 2
    assert not Subscriber.objects.filter(email="queries-4@blueharbor.test").exists()


def test_the_customers_reads_are_compiled_once_per_process(world, acme):
    """The customer's scoped, locked row and the customer with the order's answers are the same SQL for every
    add by an actor of the same reach, of a package with as many codes to check: Django builds and compiles
    them once per process (``core.compiled``), not per request."""
    blue = world.blue_harbor
    compiled = []
    as_sql = SQLCompiler.as_sql

    def spy(self, *args, **kwargs):
        if self.query.model is Customer:
            compiled.append("order" if "email_in_use" in self.query.annotations else "scope")
        return as_sql(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", spy):
        for n in (5, 6, 7):
            response = acme.post(LIST, _body(blue, n), format="json")
            assert response.status_code == 200, response.content
    # none when an earlier test of this process compiled them
    assert compiled.count("order") <= 1 and compiled.count("scope") <= 1, compiled
    assert Subscriber.objects.filter(email__startswith="queries-", customer=blue).count() == 3
