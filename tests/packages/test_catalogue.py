"""The package catalogue is data that covers the Wholesale API's packages, and Partner Hub compares them."""

import json
from pathlib import Path

import pytest

from apps.packages.catalogue import (
    COMMON_AREA_FEATURES,
    PACKAGE_GROUPS,
    PACKAGES,
    WEBEX_CALLING_FEATURES,
    CallingLevel,
    calling_features,
)
from apps.packages.locales import language_choices, locale_label

OPENAPI = Path("/work/shared/reference/webex-wholesale.openapi.json")


def openapi_customer_packages() -> set[str]:
    if not OPENAPI.exists():
        pytest.skip("the official OpenAPI file is not on this machine")
    schemas = json.loads(OPENAPI.read_text())["components"]["schemas"]
    return set(schemas["WholesalePackagesCustomer"]["enum"])


def test_every_package_of_the_api_is_in_the_catalogue_with_its_facts():
    assert set(PACKAGES) == openapi_customer_packages()
    skus = [p.sku for p in PACKAGES.values()]
    assert len(set(skus)) == len(skus)
    for package in PACKAGES.values():
        assert package.name and package.sku and package.description
        assert package.base or package.requires_one_of, f"{package.code}: an add-on says what it needs"
        if package.meetings:
            assert package.meeting_participants > 0


def test_the_guides_package_facts():
    assert PACKAGES["webex_suite"].meeting_participants == 1000
    assert (
        PACKAGES["webex_meetings"].meeting_participants == 1000 and not PACKAGES["webex_meetings"].has_calling
    )
    assert PACKAGES["common_area_calling"].calling is CallingLevel.COMMON_AREA
    assert not PACKAGES["common_area_calling"].messaging and not PACKAGES["common_area_calling"].meetings
    assert not PACKAGES["webex_voice"].messaging and not PACKAGES["webex_voice"].meetings  # calling only
    assert (
        PACKAGES["cx_essentials"].calling is CallingLevel.PROFESSIONAL
        and PACKAGES["cx_essentials"].contact_centre
    )
    assert set(PACKAGES["attendant_console"].requires_one_of) == {
        "webex_calling",
        "webex_suite",
        "cx_essentials",
    }
    assert set(PACKAGES["cisco_calling_plan"].requires_one_of) == {
        "common_area_calling",
        "webex_calling",
        "webex_suite",
        "webex_voice",
        "cx_essentials",
        "webex_calling_standard",
    }


def test_the_page_groups_show_every_package_once():
    codes = [code for group in PACKAGE_GROUPS for code in group.codes]
    assert sorted(codes) == sorted(PACKAGES) and len(codes) == len(set(codes))
    add_ons = PACKAGE_GROUPS[-1]
    assert all(not p.base for p in add_ons.packages)


def test_the_calling_feature_list_marks_the_common_area_subset():
    features = calling_features()
    assert len(features) == len(WEBEX_CALLING_FEATURES) == 67
    assert {f for f, common in features if common} == set(COMMON_AREA_FEATURES)
    assert set(COMMON_AREA_FEATURES) <= set(WEBEX_CALLING_FEATURES)


def test_locale_labels_read_well():
    assert locale_label("en_GB") == "English (United Kingdom)"
    assert locale_label("fr") == "French"
    choices = dict(language_choices())
    assert choices["pt_BR"] == "Portuguese (Brazil)" and len(choices) == 29


# --- the page -----------------------------------------------------------------------------------------------


def url(org):
    return f"/partner/{org.webex_id}/packages/"


@pytest.mark.parametrize("who", ["acme_admin", "acme_readonly", "acme_partner_admin", "acme_wholesale"])
def test_the_packages_page_compares_every_package(world, page_client, who):
    response = page_client(getattr(world, who)).get(url(world.acme))
    assert response.status_code == 200
    body = response.content.decode()
    for package in PACKAGES.values():
        assert package.name in body and package.sku in body and f'data-code="{package.code}"' in body
    assert 'data-testid="compare-table"' in body and "1,000 participants" in body
    assert "Needs one of" in body and "Most complete" in body
    for feature in WEBEX_CALLING_FEATURES:
        assert feature.replace("&", "&amp;") in body
    assert body.count('class="badge badge-success">Common Area</span>') >= len(COMMON_AREA_FEATURES)


def test_a_subpartner_sees_the_same_catalogue(world, page_client):
    assert page_client(world.northwind_admin).get(url(world.northwind)).status_code == 200


@pytest.mark.parametrize("who", ["globex_admin", "northwind_admin", "blue_admin"])
def test_outsiders_get_404(world, page_client, who):
    assert page_client(getattr(world, who)).get(url(world.acme)).status_code == 404


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(url(world.acme))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
