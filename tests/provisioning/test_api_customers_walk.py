"""``GET /v1/wholesale/customers`` of an actor who sees every customer of the partner walks the customers by
the partner filed on their rows (``customer_partner_walk``), without their organisations; any other actor's
list goes through their organisations as before. Either way the list is every customer the actor sees under
the partner, oldest first."""

from dataclasses import fields

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.core.pagination import DEEP_OFFSET
from apps.customers.selectors import customers_for_api, customers_visible_to
from apps.onboarding.models import OnboardingTemplate
from tests.bench.seed import bulk_customers
from tests.conftest import fresh


def _personas(world) -> list[User]:
    return [fresh(getattr(world, f.name)) for f in fields(world) if isinstance(getattr(world, f.name), User)]


def test_every_persona_lists_the_customers_it_sees_under_each_partner_oldest_first(world):
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 10, 5)
    compared = 0
    for actor in _personas(world):
        for partner in (world.acme, world.northwind, world.globex, world.platform):
            seen = customers_visible_to(actor=actor).filter(org__parent=partner).order_by("created", "id")
            for statuses in ([], ["provisioned"], ["error", "provisioning"]):
                expected = list(seen.filter(status__in=statuses) if statuses else seen)
                listed = customers_for_api(actor=actor, partner=partner, statuses=statuses)
                assert [row["id"] for row in listed.page(offset=0, limit=500)] == [c.pk for c in expected]
                assert [row["id"] for row in listed.page(offset=2, limit=3)] == [c.pk for c in expected[2:5]]
                compared += len(expected)
    assert compared > 50


def _page_sql(actor, partner, offset: int) -> str:
    with CaptureQueriesContext(connection) as queries:
        customers_for_api(actor=actor, partner=partner).page(offset=offset, limit=101)
    (sql,) = [q["sql"] for q in queries if "customers_customer" in q["sql"]]
    return sql


def test_an_actor_who_sees_every_customer_walks_them_by_partner_without_their_organisations(world):
    for actor, by_partner in (
        (world.acme_admin, True),
        (world.operator, True),
        (world.acme_partner_admin, False),  # a partner admin of assigned customers
    ):
        for offset in (0, 5, DEEP_OFFSET + 900):
            sql = _page_sql(fresh(actor), world.acme, offset)
            assert ('"partner_uuid" =' in sql) is by_partner, (actor.email, offset)
            assert ("core_organization" in sql) is not by_partner, (actor.email, offset)
