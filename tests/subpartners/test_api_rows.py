"""The sub-partner lists of the API render plain rows (``subpartner_rows_for_api``), not model instances: what
they answer is what the sub-partner's own record says, field for field and in the official order, and its
counts are those of the grouped ORM query they replace (on PostgreSQL, one lateral count per sub-partner)."""

import pytest
from django.db.models import Count

from apps.core.ids import IdType, decode_id
from apps.core.models import Organization, OrgKind
from apps.partners.selectors import partner_subscription_id
from apps.subpartners.selectors import (
    Counts,
    billing_start_date,
    subpartner_counts,
    subpartner_list_page,
    subpartners_of,
)
from apps.subscribers.models import Subscriber
from tests.bench.test_subpartner_list_bench import bulk_subpartners
from tests.conftest import fresh

PARTNER_LIST = "/v1/partner/subPartners"


def _grouped_counts(ids) -> dict:
    """The counts as the ORM's grouped query answers them (what the list used to run)."""
    rows = (
        Organization.objects.filter(parent_id__in=ids, kind=OrgKind.CUSTOMER)
        .values("parent_id")
        .annotate(customers=Count("customer", distinct=True), subscribers=Count("customer__subscribers"))
    )
    return {row["parent_id"]: Counts(row["customers"], row["subscribers"]) for row in rows}


def test_counts_are_those_of_the_grouped_query(world):
    bulk_subpartners(world.acme, 3)
    subs = list(Organization.objects.filter(parent=world.acme, kind=OrgKind.PARTNER))
    busy = Organization.objects.filter(parent=subs[0], kind=OrgKind.CUSTOMER).first()
    Subscriber.objects.filter(customer__org__parent=subs[1]).delete()  # customers without subscribers
    Organization.objects.create(name="Not a customer yet", kind=OrgKind.CUSTOMER, parent=subs[0])
    assert busy is not None
    ids = [sub.id for sub in subs]
    counted = subpartner_counts(subpartner_ids=ids)
    expected = _grouped_counts(ids)
    assert {k: v for k, v in counted.items() if v != Counts()} == expected
    assert all(type(n) is int for c in counted.values() for n in (c.customers, c.subscribers))
    assert subpartner_counts(subpartner_ids=[]) == {}


def test_a_listed_subpartner_is_its_own_record(world, api_client):
    bulk_subpartners(world.acme, 2)
    client = api_client(world.acme_admin)
    response = client.get(PARTNER_LIST)
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 3  # Northwind and the two
    ids = [item["orgId"] for item in items]
    counts = _grouped_counts([o.id for o in Organization.objects.filter(parent=world.acme, kind="partner")])
    subscription = partner_subscription_id(partner=world.acme)
    for item in items:
        org = Organization.objects.get(pk=decode_id(item["orgId"], IdType.ORGANIZATION))
        held = counts.get(org.id, Counts())
        profile = getattr(org, "subpartner_profile", None)
        assert list(item) == [
            "orgId",
            "subscriptionId",
            "provisioningState",
            "created",
            "billingStartDate",
            "displayName",
            "statusReason",
            "customerCount",
            "subscriberCount",
        ]
        assert item == {
            "orgId": org.webex_id,
            "subscriptionId": subscription,
            "provisioningState": org.status,
            "created": org.created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "billingStartDate": f"{billing_start_date(subpartner=org).isoformat()}T00:00:00.000Z",
            "displayName": org.name,
            "statusReason": profile.status_reason if profile else "",
            "customerCount": held.customers,
            "subscriberCount": held.subscribers,
        }
        assert client.get(f"{PARTNER_LIST}/{item['orgId']}").json() == item
    official = client.get("/v1/wholesale/subPartners").json()["items"]
    assert [list(i.items()) for i in official] == [list(i.items())[:5] for i in items]
    assert ids == [i["orgId"] for i in official]


@pytest.mark.parametrize(
    "persona", ["operator", "acme_admin", "acme_readonly", "acme_partner_admin", "globex_admin"]
)
def test_the_pages_compiled_list_is_the_selectors(world, persona):
    """The Indirect providers page's list is compiled once per shape (``subpartner_list_page``):
    the rows and order of ``subpartners_of`` for every persona and partner, searched or not."""
    bulk_subpartners(world.acme, 3)
    actor = fresh(getattr(world, persona))
    for partner in (world.acme, world.northwind, world.globex):
        for status in ("", "active", "suspended"):
            for search in ("", "Bench Reseller", "bench RESELLER 0", "a", "%", "_", "no such"):
                rows = subpartner_list_page(actor=actor, partner=partner, status=status, search=search).page(
                    offset=0, limit=1000
                )
                expected = subpartners_of(actor=actor, partner=partner, status=status, search=search)
                assert [(o.pk, o.parent, getattr(o, "subpartner_profile", None)) for o in rows] == [
                    (o.pk, o.parent, getattr(o, "subpartner_profile", None)) for o in expected
                ], (persona, partner.name, status, search)
