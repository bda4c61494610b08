"""``GET /v1/wholesale/customers`` reads the columns its body shows, not the wide ones (the template snapshot,
the calling location, package limits), in a fixed number of queries; the body is unchanged."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import provision_customer

LIST = "/v1/wholesale/customers"


def test_the_list_reads_only_what_it_shows(world, api_client):
    client = api_client(world.acme_admin)
    client.get(LIST)  # the token's first use is recorded once a minute: out of the way
    with CaptureQueriesContext(connection) as few:
        first = client.get(LIST, {"max": "100"})
    for n in range(3):
        provision_customer(
            actor=world.acme_admin, partner=world.acme, name=f"Wide {n}", admin_email=f"a@wide{n}.test"
        )
    with CaptureQueriesContext(connection) as more:
        second = client.get(LIST, {"max": "100"})
    assert first.status_code == second.status_code == 200
    assert len(second.json()["items"]) == len(first.json()["items"]) + 3
    assert len(more) == len(few)
    listing = next(q["sql"] for q in more if 'FROM "customers_customer"' in q["sql"] and "LIMIT" in q["sql"])
    for wide in ("template_settings", "calling_location", "package_limits"):
        assert f'"customers_customer"."{wide}"' not in listing
    shown = second.json()["items"][-1]
    assert {"id", "orgId", "address", "status", "packages", "resourceDetails"} <= set(shown)
