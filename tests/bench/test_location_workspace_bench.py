"""Scale: locations, phone numbers and workspaces. Acme with 10,000 customers, each with a headquarters and
every other one a branch (15,000 locations), and one big customer (Blue Harbor Dental) with a site of 5,000
numbers and 2,000 workspaces holding the first 2,000 of them; another partner with 1,000 customers, their
locations and a big customer of the same size as the haystack. Read as Acme's admin: the Control Hub pages
(Locations, the big site's numbers: first page, a deep page, search, a status; Workspaces: first page, a deep
page, search by name, number and extension), ``GET /v1/partner/locations`` (partner-wide across Acme's
customers, deep by offset and by the next link, one customer by ``orgId``),
``GET /v1/partner/locations/{id}/numbers`` (first, deep, next link, a status) and
``GET /v1/partner/workspaces`` (partner-wide, deep, next link, one customer by ``orgId`` and by
``customerId``, one location). Each case costs the same number of queries as with a handful of rows; printed
against the floors (a trivial page, a trivial API view) measured in the same run.

Run with ``make bench`` (the figures go to the issue note).
"""

import time

import pytest
from django.urls import reverse

from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.locations.models import Extension, Location, PhoneNumber
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Workspace
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import (
    analyse,
    bench_location,
    bulk_customers,
    bulk_other_customers,
    measure,
    next_link,
    print_small_vs_large,
    seed_locations,
    seed_numbers,
    seed_workspaces,
)
from tests.conftest import fresh

pytestmark = pytest.mark.bench

CUSTOMERS = 10_000
OTHER_CUSTOMERS = 1_000
NUMBERS = 5_000
WORKSPACES = 2_000
FEW = 5  # numbers (and workspaces) of the big site before the seeding: every case lists rows
REQUESTS = 20


def test_location_and_workspace_lists_at_partner_scale(world, client, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, admin, blue = world.acme, fresh(world.acme_admin), world.blue_harbor
    client.force_login(admin)
    api = api_client(admin)
    site = bench_location(blue.org)
    seed_numbers(site, "408", FEW)
    seed_workspaces(blue, site, "408", FEW - 2)
    org = {"org_id": blue.org.webex_id}
    locations_page = reverse("control:location_list", kwargs=org)
    site_page = reverse("control:location_detail", kwargs={**org, "location_id": site.webex_id})
    workspaces_page = reverse("control:workspace_list", kwargs=org)
    numbers_api = f"/v1/partner/locations/{site.webex_id}/numbers"

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    # With a handful of rows the deep cases ask for the first page (an empty page would skip queries).
    deep = {"numbers": "1", "workspaces": "1", "locations_offset": "0", "numbers_offset": "0"}
    deep |= {
        "workspaces_offset": "0",
        "number": "4080000001",
        "held": "4080000001",
        "name": "Workspace 00001",
    }
    cases = {
        "Locations page (Control Hub)": lambda: ok(client.get(locations_page)),
        "Site's numbers page 1": lambda: ok(client.get(site_page)),
        "Site's numbers, page 150 (htmx partial)": lambda: ok(
            client.get(site_page, {"page": deep["numbers"]}, HTTP_HX_REQUEST="true")
        ),
        "Site's numbers, search": lambda: ok(
            client.get(site_page, {"q": deep["number"]}, HTTP_HX_REQUEST="true")
        ),
        "Site's numbers, available": lambda: ok(
            client.get(site_page, {"status": "available"}, HTTP_HX_REQUEST="true")
        ),
        "Workspaces page 1": lambda: ok(client.get(workspaces_page)),
        "Workspaces, page 60 (htmx partial)": lambda: ok(
            client.get(workspaces_page, {"page": deep["workspaces"]}, HTTP_HX_REQUEST="true")
        ),
        "Workspaces, search by name": lambda: ok(
            client.get(workspaces_page, {"q": deep["name"]}, HTTP_HX_REQUEST="true")
        ),
        "Workspaces, search by number": lambda: ok(
            client.get(workspaces_page, {"q": deep["held"]}, HTTP_HX_REQUEST="true")
        ),
        "Workspaces, search by extension": lambda: ok(
            client.get(workspaces_page, {"q": "800001"}, HTTP_HX_REQUEST="true")
        ),
        "GET /v1/partner/locations (Acme, max=100)": lambda: ok(
            api.get("/v1/partner/locations", {"max": "100"})
        ),
        "GET ... locations ?offset=14900": lambda: ok(
            api.get("/v1/partner/locations", {"offset": deep["locations_offset"], "max": "100"})
        ),
        "GET ... locations, the next link": lambda: ok(api.get(deep["locations_next"])),
        "GET ... locations ?orgId=Blue": lambda: ok(
            api.get("/v1/partner/locations", {"orgId": blue.org.webex_id})
        ),
        "GET .../numbers (max=100)": lambda: ok(api.get(numbers_api, {"max": "100"})),
        "GET .../numbers ?offset=4900": lambda: ok(
            api.get(numbers_api, {"offset": deep["numbers_offset"], "max": "100"})
        ),
        "GET .../numbers, the next link": lambda: ok(api.get(deep["numbers_next"])),
        "GET .../numbers ?status=available": lambda: ok(
            api.get(numbers_api, {"status": "available", "max": "100"})
        ),
        "GET /v1/partner/workspaces (Acme, max=100)": lambda: ok(
            api.get("/v1/partner/workspaces", {"max": "100"})
        ),
        "GET ... workspaces ?offset=1900": lambda: ok(
            api.get("/v1/partner/workspaces", {"offset": deep["workspaces_offset"], "max": "100"})
        ),
        "GET ... workspaces, the next link": lambda: ok(api.get(deep["workspaces_next"])),
        "GET ... workspaces ?orgId=Blue": lambda: ok(
            api.get("/v1/partner/workspaces", {"orgId": blue.org.webex_id, "max": "100"})
        ),
        "GET ... workspaces ?customerId=Blue": lambda: ok(
            api.get("/v1/partner/workspaces", {"customerId": blue.webex_id, "max": "100"})
        ),
        "GET ... workspaces ?locationId=site": lambda: ok(
            api.get("/v1/partner/workspaces", {"locationId": site.webex_id, "max": "100"})
        ),
    }
    floors = {"page": lambda: ok(client.get(FLOOR_PAGE)), "api": lambda: ok(api.get(FLOOR_API))}

    def links(size: str):
        """The next links followed by the cursor cases: of a page of ``size`` rows at the deep offset."""
        paths = {
            "locations": "/v1/partner/locations",
            "numbers": numbers_api,
            "workspaces": "/v1/partner/workspaces",
        }
        for key, path in paths.items():
            start = max(int(deep[f"{key}_offset"]) - int(size), 0)
            deep[f"{key}_next"] = next_link(api.get(path, {"offset": str(start), "max": size}))

    links("2")
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    started = time.perf_counter()
    template = OnboardingTemplate.objects.get(partner=acme)
    bulk_customers(acme, template, 0, CUSTOMERS)
    benched = Organization.objects.filter(parent=acme, name__startswith="Bench Customer").order_by("name")
    seed_locations(list(benched.values_list("pk", flat=True)), "acme")
    seed_numbers(site, "408", NUMBERS - FEW, first=FEW)
    seed_workspaces(blue, site, "408", WORKSPACES - (FEW - 2), first=FEW - 2)
    other = Organization.objects.create(name="Bench Other Partner", kind="partner", parent=world.platform)
    others = bulk_other_customers(other, OTHER_CUSTOMERS)
    seed_locations([c.org_id for c in others], "other")
    other_site = bench_location(others[0].org)
    seed_numbers(other_site, "650", NUMBERS)
    seed_workspaces(others[0], other_site, "650", WORKSPACES)
    analyse(Organization, Customer, CustomerPackage, Location, PhoneNumber, Workspace, Extension)
    took = time.perf_counter() - started
    assert Location.objects.filter(org__parent=acme).count() >= CUSTOMERS * 1.5
    assert PhoneNumber.objects.filter(location=site, workspace__isnull=False).count() == WORKSPACES

    deep.update(numbers="150", workspaces="60", locations_offset="14900", numbers_offset="4900")
    deep.update(workspaces_offset="1900", number="4080004321", held="4080001234", name="Workspace 01234")
    links("100")
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    with capsys.disabled():
        print(
            f"\n\nLocations, numbers and workspaces: a handful vs {CUSTOMERS:,} customers of Acme (1.5 "
            f"locations each), {NUMBERS:,} numbers and {WORKSPACES:,} workspaces at one site, and another "
            f"partner's as many (seeded in {took:.1f} s)"
        )
        print_small_vs_large(
            cases,
            small,
            large,
            small_floor,
            large_floor,
            labels=("@few", "@large"),
            width=48,
            requests=REQUESTS,
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of rows"
