"""Every ``/v1/`` list costs a fixed number of queries, pinned here (issue 11): the same with a few rows as
with many, and at most its ceiling. A bearer-token call reads its token, person, organisation and roles in
one query (``api_token_by_hash``), then the two-factor policy of the person's organisation; a list adds its
own reads. A list added to the API must join ``LISTS`` (``test_every_api_list_is_counted``)."""

import uuid

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from apps.accounts.models import User, UserRole
from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.locations.models import Location, PhoneNumber
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Workspace
from tests.bench.seed import bulk_customers, bulk_subscribers
from tests.conftest import fresh

pytestmark = pytest.mark.django_db

# URL name → (path, query parameters, at most this many queries). The token, person, organisation and roles
# are one query; the partner's two-factor policy is the second; the list's own reads follow.
LISTS = {
    "api_customer_list": ("/v1/wholesale/customers", {"max": "100"}, 4),  # + page, packages: 1 on PostgreSQL
    "api_subscriber_list": ("/v1/wholesale/subscribers", {"max": "100"}, 3),  # + page
    # + org, restriction, page (its numbers and extensions in it on PostgreSQL, two more queries elsewhere)
    "api_workspace_list": ("/v1/partner/workspaces", {"orgId": "{blue}"}, 7),
    "api_location_list": ("/v1/partner/locations", {"orgId": "{blue}"}, 5),  # + org, restriction, page
    "api_location_numbers": ("/v1/partner/locations/{location}/numbers", {}, 4),
    "api_subpartner_list": ("/v1/wholesale/subPartners", {}, 3),  # + page (the shared subscription joined)
    "api_partner_subpartner_list": ("/v1/partner/subPartners", {}, 4),  # + page, counts
    "api_billing_report_list": ("/v1/wholesale/billing/reports", {}, 3),
    "api_setup_assist_order_list": ("/v1/partner/setupAssistOrders", {}, 3),
    "api_onboarding_template_list": ("/v1/partner/onboardingTemplates", {}, 3),
    "api_admin_list": ("/v1/partner/admins", {}, 4),
    "api_admin_customers": ("/v1/partner/admins/{admin}/customers", {}, 5),
    "api_audit_event_list": ("/v1/partner/auditEvents", {}, 3),
}


def _api_routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("v1/"):
            yield pattern


def test_every_api_list_is_counted():
    """A view that lists (its name ends in ``ListApi``, or it answers a list of another object's ids) is in
    ``LISTS``; nothing stale is."""
    lists = {
        route.name
        for route in _api_routes(get_resolver().url_patterns)
        if getattr(route.callback, "view_class", None) is not None
        and (route.callback.view_class.__name__.endswith("ListApi") or route.name in LISTS)
    }
    assert lists == set(LISTS)


def _ids(world) -> dict[str, str]:
    location = Location.objects.filter(org=world.blue_harbor.org).order_by("created").first()
    return {
        "blue": world.blue_harbor.org.webex_id,
        "location": location.webex_id,
        "admin": world.acme_partner_admin.webex_id,
    }


def _queries(client, url: str, params: dict) -> int:
    count = 0

    def counting(execute, sql, params_, many, context):
        nonlocal count
        count += 1
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(counting):
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response.json(), url
    return count


def _counts(client, ids: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, (path, params, _) in LISTS.items():
        url = path.format(**ids)
        params = {key: value.format(**ids) for key, value in params.items()}
        client.get(url, params)  # the token's last use is recorded once a minute: out of the way
        counts[name] = _queries(client, url, params)
    return counts


def _more_rows(world, tag: str, first: int, count: int) -> None:
    """``count`` more rows (numbered from ``first``) in every list the world lets us grow cheaply."""
    acme, blue = world.acme, world.blue_harbor
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 500 + first, count)
    bulk_subscribers(blue, tag, count, first=first)
    locations = Location.objects.bulk_create(
        Location(
            org=blue.org,
            name=f"{tag} {n}",
            address_line1="1 Main St",
            city="Springfield",
            country="US",
            timezone="America/New_York",
            language="en_US",
        )
        for n in range(count)
    )
    hq = Location.objects.filter(org=blue.org).order_by("created").first()
    Workspace.objects.bulk_create(
        Workspace(customer=blue, name=f"{tag} {n}", location=locations[n], package="common_area_calling")
        for n in range(count)
    )
    PhoneNumber.objects.bulk_create(
        PhoneNumber(org=blue.org, location=hq, e164=f"+1415555{first + n:04d}") for n in range(count)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(acting_org=acme, actor_org=acme, action="bench.more", target_type="bench", channel="api")
        for _ in range(count)
    )
    admins = User.objects.bulk_create(
        User(id=uuid.uuid4(), email=f"{tag}{n}@more.test", org=acme, password="!") for n in range(count)
    )
    UserRole.objects.bulk_create(UserRole(user=user, role=Role.PARTNER_READ_ONLY_ADMIN) for user in admins)


def test_every_api_list_costs_a_fixed_number_of_queries(world, api_client):
    client = api_client(fresh(world.acme_admin))
    ids = _ids(world)
    _more_rows(world, "few", 0, 2)  # rows in every list: a list without any skips its prefetches
    few = _counts(client, ids)
    _more_rows(world, "many", 2, 40)
    many = _counts(client, ids)
    assert many == few
    over = {name: count for name, count in many.items() if count > LISTS[name][2]}
    assert not over, f"more queries than the ceiling: {over}"
