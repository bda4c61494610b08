"""One guard for every API view (``apps.accounts.api.guard.GuardedApi``): each view declares the action each
method needs, the organisation acted in is resolved first (404 outside the caller's reach), then the action is
checked (403 inside it) — before the body is read, so a caller without the right learns nothing from it."""

import pytest
from django.urls import URLPattern, URLResolver, reverse
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from apps.accounts.api.guard import GuardedApi
from config import api_urls
from tests.core.test_api_conventions import assert_webex_error

METHODS = ("get", "post", "put", "patch", "delete")
DOCS = (SpectacularJSONAPIView, SpectacularSwaggerView)


def _views(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns)
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
            yield entry.callback.cls


def test_every_api_view_declares_the_actions_of_its_methods():
    views = [cls for cls in _views(api_urls.urlpatterns) if not issubclass(cls, DOCS)]
    assert len(views) >= 15
    for cls in views:
        assert issubclass(cls, GuardedApi), f"{cls.__name__} is not a GuardedApi"
        for method in METHODS:
            if not hasattr(cls, method):
                continue
            action = cls.read_action if method == "get" else cls.write_action
            assert action is not None, f"{cls.__name__}.{method} declares no action"


@pytest.mark.django_db
def test_a_write_without_the_permission_is_refused_before_the_body_is_read(world, api_client):
    readonly = api_client(world.acme_readonly)
    response = readonly.post(reverse("api_customer_list"), {"nonsense": True}, format="json")
    body = assert_webex_error(response, 403)
    assert "create customers" in body["message"]

    customer_url = reverse("api_customer_detail", kwargs={"customer_id": world.blue_harbor.webex_id})
    assert_webex_error(readonly.delete(customer_url), 403)
    assert readonly.get(customer_url).status_code == 200


@pytest.mark.django_db
def test_out_of_reach_is_404_before_anything_else(world, api_client):
    outsider = api_client(world.globex_admin)
    blue = world.blue_harbor.webex_id
    url = reverse("api_restricted_mode", kwargs={"customer_id": blue})
    assert_webex_error(outsider.put(url, "not json", content_type="application/json"), 404)
    assert_webex_error(outsider.get(reverse("api_admin_list"), {"orgId": world.acme.webex_id}), 404)


@pytest.mark.django_db
def test_a_body_named_customer_is_checked_with_the_write_action(world, api_client):
    readonly = api_client(world.acme_readonly)
    order = {
        "customerId": world.blue_harbor.webex_id,
        "email": "new@blueharbor.test",
        "package": "webex_suite",
    }
    body = assert_webex_error(readonly.post(reverse("api_subscriber_list"), order, format="json"), 403)
    assert "add users" in body["message"]
    # A customer the caller cannot see is a 404, whatever it may do elsewhere.
    partner_admin = api_client(world.acme_partner_admin)
    order["customerId"] = world.cedar_pine.webex_id
    assert_webex_error(partner_admin.post(reverse("api_subscriber_list"), order, format="json"), 404)


def test_the_docs_page_answers_options_with_405_not_500(client):
    assert client.options(reverse("api_docs")).status_code == 405
    assert client.get(reverse("api_docs")).status_code == 200
