"""The whole restricted-mode registry, walked: every control is backed by an action of the permission
function and by a page. For each, a customer admin is refused — on the page, by the services every API view
calls (customer people hold no API tokens: ``require`` is what refuses them) — while the mode is on, and
allowed when it is off (the always-restricted controls stay refused); partner admins are never restricted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.permissions import may, require
from apps.locations.models import Location
from apps.restrictions.registry import CONTROLS, When
from apps.restrictions.services import restricted_mode_set
from apps.subscribers.models import Subscriber
from tests.conftest import fresh

# control → (route, extra URL kwarg, method, body). The route is where the control lives; its guard (or the
# service behind it) is what refuses.
CASES = {
    "users.manage_users": ("control:user_add", None, "get", None),
    "users.add_modify": ("control:user_add", None, "post", {"form-TOTAL_FORMS": "0"}),
    "users.claim": ("control:user_claim", None, "get", None),
    "users.auto_assign_licenses": ("control:auto_assign", None, "get", None),
    "users.directory_sync": ("control:directory_sync", None, "post", {"operation": "scim_enable"}),
    "users.reset_package": ("control:user_package", "subscriber", "get", None),
    "users.edit_services": ("control:user_package", "subscriber", "get", None),
    "users.services_status": ("control:services_status", None, "get", None),
    "users.primary_work_number": ("control:user_package", "subscriber", "get", None),
    "account.company_name": ("control:account", None, "post", {"name": "Renamed Dental"}),
    "organization.domain": ("control:domain_list", None, "post", {"name": "walk.example"}),
    "organization.suppress_admin_invite_email": (
        "control:email_settings",
        None,
        "post",
        {"email_locale": "", "suppress_admin_invite_email": "on"},
    ),
    "organization.email_locale": ("control:email_settings", None, "post", {"email_locale": "en_GB"}),
    "organization.authentication": ("control:auth_settings", None, "post", {"auth_mode": "webex"}),
    "calling.call_settings": ("control:calling_call_priority", None, "post", {"value": "webex_app"}),
    "calling.calling_behavior": ("control:calling_calling_behavior", None, "post", {"value": "third_party"}),
    # Choosing Local Gateway happens on the PSTN route, which PSTN management (always the partner's) guards:
    # with the mode off the option itself is the customer admin's (may), the route still is not.
    "calling.location_pstn": ("control:calling_pstn", None, "post", {"value": "local_gateway"}),
    "services.migrations": ("control:services_settings", None, "post", {"migrations_enabled": "on"}),
    "services.connected_uc": ("control:services_settings", None, "post", {"connected_uc_enabled": "on"}),
    "calling.location_setup_after_creation": (
        "control:calling_location_setup",
        None,
        "post",
        {"value": "off"},
    ),
    "calling.location_pstn_management": ("control:calling_pstn", None, "post", {"value": "cloud_connected"}),
    "calling.call_recording": ("control:calling_call_recording", None, "post", {"value": "on"}),
    "calling.phone_numbers": ("control:number_add", "location", "post", {"first": "+14155559876"}),
}
ROUTE_NEEDS_AN_ALWAYS_CONTROL = {"calling.location_pstn"}


def test_every_control_has_an_action_a_page_and_a_case():
    assert set(CASES) == {c.key for c in CONTROLS}
    for control in CONTROLS:
        assert control.actions, f"{control.key} takes no action: nothing would refuse it"
        assert control.page, f"{control.key} names no page"
        reverse(control.page, kwargs={"org_id": "x"})  # the page exists


def _url(world, key: str) -> str:
    route, extra, _, _ = CASES[key]
    org = world.blue_harbor.org
    kwargs = {"org_id": org.webex_id}
    if extra == "subscriber":
        kwargs["subscriber_id"] = Subscriber.objects.get(email="maria@blueharbor.test").webex_id
    elif extra == "location":
        kwargs["location_id"] = Location.objects.get(org=org, is_headquarters=True).webex_id
    return reverse(route, kwargs=kwargs)


def _send(client, world, key: str):
    _, _, method, body = CASES[key]
    url = _url(world, key)
    return client.get(url) if method == "get" else client.post(url, body or {})


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.key)
def test_the_mode_takes_the_control_from_customer_admins_only(world, page_client, control):
    org = world.blue_harbor.org
    assert world.blue_harbor.restricted_by_partner  # on by default
    admin = fresh(world.blue_admin)
    for action in control.actions:
        assert not may(admin, action, org)
        with pytest.raises(PermissionDenied):  # what the services (and so every API view) answer
            require(admin, action, org)
    assert _send(page_client(world.blue_admin), world, control.key).status_code == 403

    # Partner admins, cross-launched into the customer, are never restricted.
    partner = fresh(world.acme_admin)
    assert all(may(partner, action, org) for action in control.actions)
    assert _send(page_client(world.acme_admin), world, control.key).status_code not in (403, 404, 500)

    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=False)
    admin = fresh(world.blue_admin)
    response = _send(page_client(world.blue_admin), world, control.key)
    if control.when is When.ALWAYS:
        assert not any(may(admin, action, org) for action in control.actions)
        assert response.status_code == 403
    else:
        assert all(may(admin, action, org) for action in control.actions)
        if control.key in ROUTE_NEEDS_AN_ALWAYS_CONTROL:
            assert response.status_code == 403
        else:
            assert response.status_code not in (403, 404, 500), response.status_code
    partner = fresh(world.acme_admin)
    assert all(may(partner, action, org) for action in control.actions)


def test_the_restrictions_page_names_links_and_says_who_and_since_when(world, page_client):
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=False)
    restricted_mode_set(actor=world.acme_admin, customer=world.blue_harbor, enabled=True)
    url = reverse("control:restriction_list", kwargs={"org_id": world.blue_harbor.org.webex_id})
    page = page_client(world.acme_admin).get(url).content.decode()
    assert "by admin@acme.test" in page
    assert reverse("control:domain_list", kwargs={"org_id": world.blue_harbor.org.webex_id}) in page
    assert ">users.claim<" not in page and "Claim users</a>" in page  # named as a person would, linked
    customer_view = page_client(world.blue_admin).get(url).content.decode()
    assert "users-claim/" not in customer_view  # a hidden control is named, not linked, for them
