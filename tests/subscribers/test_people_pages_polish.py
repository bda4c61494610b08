"""The markup the people pages' polish relies on, checked without a browser: the search form's sort follows
a column header (out of band), the search box is a search box, the person panel carries its close button
only in the drawer, an unoffered ``?package=`` gives no calling hint, and a list region is replaced, never
nested."""

import re

import pytest
from django.urls import reverse

from apps.subscribers.models import Subscriber
from tests.html import squash

pytestmark = pytest.mark.django_db


def url(name: str, org, **kwargs) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id, **kwargs})


def test_a_sorted_partial_updates_the_search_forms_sort(world, page_client):
    client = page_client(world.blue_admin)
    html = client.get(f"{url('user_list', world.blue_harbor.org)}?sort=-email", HTTP_HX_REQUEST="true")
    html = html.content.decode()
    assert '<input type="hidden" name="sort" id="user-sort" value="-email" hx-swap-oob="true">' in squash(
        html
    )
    page = client.get(f"{url('user_list', world.blue_harbor.org)}?sort=drop").content.decode()
    assert 'id="user-sort" value="name"' in squash(page)  # an unknown sort falls back, and the form says so


def test_the_users_search_box_is_one_search_input(world, page_client):
    page = page_client(world.blue_admin).get(url("user_list", world.blue_harbor.org)).content.decode()
    box = re.search(r'<input id="user-search"[^>]*>', page).group(0)
    assert box.count("type=") == 1 and 'type="search"' in box
    assert '<label class="sr-only" for="user-search">Search users</label>' in squash(page)


def test_the_panel_has_a_close_button_only_as_a_drawer(world, page_client):
    client = page_client(world.blue_admin)
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    detail = url("user_detail", world.blue_harbor.org, subscriber_id=tom.webex_id)
    drawer = client.get(detail, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="user-panel-close"' in drawer and 'id="user-panel-title"' in drawer
    assert drawer.count('data-testid="user-status"') == 1
    page = client.get(detail).content.decode()
    assert 'data-testid="user-panel-close"' not in page and page.count('data-testid="user-status"') == 1


def test_an_unoffered_package_in_the_query_gives_no_calling_hint(world, page_client):
    tom = Subscriber.objects.get(email="tom@blueharbor.test")  # Blue Harbor holds Calling and Suite only
    response = page_client(world.acme_admin).get(
        url("user_package", world.blue_harbor.org, subscriber_id=tom.webex_id) + "?package=webex_meetings"
    )
    assert response.status_code == 200
    assert 'data-testid="calling-hint"' not in response.content.decode()


@pytest.mark.parametrize("page", ["user_list", "location_list", "workspace_list"])
def test_list_regions_are_replaced_not_nested(world, page_client, page):
    html = page_client(world.acme_admin).get(url(page, world.blue_harbor.org)).content.decode()
    card = re.search(r'<div class="card card-flush"[^>]*>', html).group(0)
    assert 'hx-swap="outerHTML"' in card
    assert html.count('id="results"') == 1


def test_partner_customer_list_region_is_replaced_not_nested(world, page_client):
    html = page_client(world.acme_admin).get(
        reverse("partner:customer_list", kwargs={"org_id": world.acme.webex_id})
    )
    card = re.search(r'<div class="card card-flush"[^>]*>', html.content.decode()).group(0)
    assert 'hx-swap="outerHTML"' in card


def test_an_empty_workspace_list_offers_the_next_step(world, page_client):
    html = page_client(world.acme_admin).get(url("workspace_list", world.blue_harbor.org)).content.decode()
    assert 'data-testid="workspace-empty"' in html and "Add the first workspace" in html
    assert "<table" not in html
    restricted = page_client(world.blue_admin).get(url("workspace_list", world.blue_harbor.org))
    assert "Add the first workspace" not in restricted.content.decode()
