"""The brand on every page: CPU per request of the floor page (the base layout, no acting organisation: the
sign-in host's brand, else the product's) and Partner Hub's Settings page (the partner's own brand), with
the brand as every page reads it and with a constant brand in its place (what the brand costs), batches of
the two taken in turn; the brand's own CPU inside those pages (the context's brand resolved and read as the
templates read it, median of 300 requests: steadier than a difference of two page times); and the parts of
one brand: the layers' query with its model instances, the merge,
the CSS variables, and ``branding_for`` itself (cached: apps.branding.cache)."""

import statistics
import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.branding import context_processors
from apps.branding.models import BrandLayer
from apps.branding.selectors import _resolve, brand_layers_of, branding_for
from apps.branding.services import brand_update
from tests.bench.floor import FLOOR_PAGE
from tests.conftest import fresh

pytestmark = pytest.mark.bench

BATCHES, PER_BATCH = 12, 25
OWN = {"primary_light": "#5a189a", "accent_light": "#3c096c", "support_url": "https://help.acme.test/"}


def batch_cpu_ms(call, per_batch: int) -> float:
    started = time.process_time()
    for _ in range(per_batch):
        call()
    return (time.process_time() - started) * 1000 / per_batch


def best_cpu_ms(call, per_batch: int) -> float:
    """The CPU milliseconds of one call, best batch of ``BATCHES`` (the machine is shared)."""
    call()
    return min(batch_cpu_ms(call, per_batch) for _ in range(BATCHES))


def test_what_the_brand_costs_a_page(world, client, settings, capsys):
    settings.ROOT_URLCONF = "tests.bench.floor"
    brand_update(actor=world.acme_admin, org=world.acme, layer=BrandLayer.OWN, values=OWN)
    client.force_login(fresh(world.acme_admin))
    pages = {
        "floor": FLOOR_PAGE,
        "settings": reverse("partner:settings", kwargs={"org_id": world.acme.webex_id}),
    }
    resolved = _resolve(brand_layers_of(org=world.acme))
    constant = SimpleNamespace(  # what the templates read, computed once
        css_variables=resolved.css_variables,
        logo_light_url=resolved.logo_light_url,
        logo_dark_url=resolved.logo_dark_url,
    )
    brand_of_request = context_processors._brand_of
    variants = {"brand": brand_of_request, "constant": lambda request: constant}

    def get(url):
        assert client.get(url).status_code == 200

    best = {}
    try:
        for _ in range(BATCHES):
            for page, url in pages.items():
                for variant, brand_of in variants.items():
                    context_processors._brand_of = brand_of
                    get(url)
                    ms = batch_cpu_ms(lambda url=url: get(url), PER_BATCH)
                    best[page, variant] = min(best.get((page, variant), ms), ms)
    finally:
        context_processors._brand_of = brand_of_request
    inside = {}
    try:
        for page, url in pages.items():
            spent = []

            def timed(request, spent=spent):
                started = time.process_time()
                brand = brand_of_request(request)
                brand.css_variables, brand.logo_light_url, brand.logo_light_url, brand.logo_dark_url  # noqa: B018
                spent.append((time.process_time() - started) * 1000)
                return brand

            context_processors._brand_of = timed
            for _ in range(300):
                get(url)
            inside[page] = statistics.median(spent)
    finally:
        context_processors._brand_of = brand_of_request
    rows = brand_layers_of(org=world.acme)
    parts = {
        "layers (query + instances)": best_cpu_ms(lambda: brand_layers_of(org=world.acme), 200),
        "merge": best_cpu_ms(lambda: _resolve(rows), 2000),
        "css variables": best_cpu_ms(lambda: _resolve(rows).css_variables, 2000)
        - best_cpu_ms(lambda: _resolve(rows), 2000),
        "branding_for (as pages call it)": best_cpu_ms(lambda: branding_for(world.acme), 200),
    }
    with capsys.disabled():
        print()
        for page in pages:
            touched, untouched = best[page, "brand"], best[page, "constant"]
            print(
                f"{page:>10}: {touched:.3f} ms CPU with the brand, {untouched:.3f} ms with a constant one: "
                f"the brand costs {touched - untouched:.3f} ms; inside the page {inside[page] * 1000:.0f} µs"
            )
        for name, ms in parts.items():
            print(f"{name:>32}: {ms * 1000:.1f} µs")
