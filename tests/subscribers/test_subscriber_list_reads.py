"""``GET /v1/wholesale/subscribers`` reads the columns its body shows, not the customer's or the person's wide
ones, in the same queries as before."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_the_list_reads_only_what_it_shows(world, api_client):
    client = api_client(world.acme_admin)
    client.get("/v1/wholesale/subscribers")  # the token's first use is recorded once a minute: out of the way
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/v1/wholesale/subscribers", {"max": "100"})
    assert response.status_code == 200 and response.json()["items"]
    listing = next(
        q["sql"] for q in queries if 'FROM "subscribers_subscriber"' in q["sql"] and "LIMIT" in q["sql"]
    )
    for wide in (
        '"customers_customer"."template_settings"',
        '"accounts_user"."password"',
        '"customers_customer"."calling_location"',
    ):
        assert wide not in listing
    provisioned = [s for s in response.json()["items"] if s["status"] == "provisioned"]
    assert provisioned and all(s["personId"] and s["customerId"] for s in provisioned)
