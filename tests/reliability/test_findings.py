"""Issue 11's findings from outside, each with the answer it must get now (every one failed before)."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import person_set_roles
from apps.core.models import AuditEvent
from apps.customers.models import AttachState, Customer
from apps.locations.services.locations import location_clean
from apps.partners.services import partner_settings_update
from apps.provisioning.services.attach import existing_org_create
from apps.subscribers.models import Subscriber
from apps.subscribers.services import holders
from apps.subscribers.services.subscribers import subscriber_remove, subscriber_remove_problem
from tests.conftest import PASSWORD, fresh
from tests.factories import provision_customer
from tests.provisioning.test_api_customers import LIST, VALIDATE, body  # noqa: F401  (the order fixture)

SUBSCRIBERS = "/v1/wholesale/subscribers"


def webex_error(response) -> str:
    data = response.json()
    assert set(data) >= {"message", "errors", "trackingId"}, data
    return " ".join(e["description"] for e in data["errors"])


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


# --- bad input --------------------------------------------------------------------------------------------


def test_a_body_past_the_upload_limit_is_a_413_with_the_webex_body(acme, body):  # noqa: F811
    big = json.dumps(body(externalId="x" * 3_000_000))
    response = acme.post(LIST, big, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in webex_error(response)
    assert not Customer.objects.filter(external_id__startswith="xxxx").exists()


@pytest.mark.parametrize("path", [VALIDATE, LIST])
def test_a_primary_email_past_254_characters_is_refused_at_once(acme, body, path):  # noqa: F811
    order = body()
    order["customerInfo"]["primaryEmail"] = "a" * 250 + "@pizza.test"
    response = acme.post(path, order, format="json")
    assert response.status_code == 400, response.content
    assert "254" in webex_error(response)
    assert not Customer.objects.filter(external_id=order["externalId"]).exists()


@pytest.mark.parametrize(
    "name", ["Evil\u202eCorp", "Bell\x07 Inc", "Two\u2066Faced\u2069", "Line\u2028Break"]
)
def test_a_customer_name_with_control_or_direction_characters_is_refused(acme, body, name):  # noqa: F811
    order = body()
    order["customerInfo"]["name"] = name
    response = acme.post(LIST, order, format="json")
    assert response.status_code == 400, response.content
    assert "control or text-direction" in webex_error(response)


def test_a_name_in_a_script_that_needs_a_zero_width_joiner_is_accepted(acme, body):  # noqa: F811
    order = body()
    order["customerInfo"]["name"] = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 Ltd"
    assert acme.post(LIST, order, format="json").status_code == 202


def test_subscriber_and_location_names_refuse_control_characters(world, acme):
    package = Subscriber.objects.filter(customer=world.blue_harbor).first().package
    response = acme.post(
        SUBSCRIBERS,
        {
            "customerId": world.blue_harbor.webex_id,
            "email": "spoof@blueharbor.test",
            "package": package,
            "provisioningParameters": {"firstName": "Ad\u202emin", "extension": "4567"},
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "control or text-direction" in webex_error(response)
    assert not Subscriber.objects.filter(email="spoof@blueharbor.test").exists()
    with pytest.raises(ValidationError) as refused:
        location_clean({"name": "Head\u202eOffice", "address_line1": "1 Main St", "city": "Austin"})
    assert "control or text-direction" in str(refused.value.message_dict["name"])


def test_a_put_racing_a_delete_of_the_same_subscriber_is_a_404(world, acme, monkeypatch):
    subscriber = next(
        s
        for s in Subscriber.objects.filter(customer=world.blue_harbor)
        if not subscriber_remove_problem(subscriber=s)
    )
    locked_customer = holders.locked_customer

    def delete_commits_first(customer):
        """The DELETE commits between the PUT's read of the subscriber and its lock."""
        locked = locked_customer(customer)
        subscriber_remove(actor=world.acme_admin, subscriber=Subscriber.objects.get(pk=subscriber.pk))
        return locked

    monkeypatch.setattr(holders, "locked_customer", delete_commits_first)
    response = acme.put(f"{SUBSCRIBERS}/{subscriber.webex_id}", {"package": "webex_meetings"}, format="json")
    assert response.status_code == 404, response.content
    webex_error(response)


# --- rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [VALIDATE, f"{SUBSCRIBERS}/validate"])
def test_prechecks_are_for_partner_full_admins(world, api_client, body, path):  # noqa: F811
    order = body()
    if path != VALIDATE:
        order = {
            "customerId": world.blue_harbor.webex_id,
            "email": "new@blueharbor.test",
            "package": Subscriber.objects.filter(customer=world.blue_harbor).first().package,
            "provisioningParameters": {"extension": "4568"},
        }
    refused = api_client(world.acme_partner_admin).post(path, order, format="json")
    assert refused.status_code == 403
    assert "partner full administrators" in webex_error(refused)
    allowed = api_client(world.acme_admin).post(path, order, format="json")
    assert allowed.status_code == 200, allowed.content


def test_an_api_token_is_refused_while_required_two_factor_is_missing(world, api_client):
    client = api_client(world.acme_admin)
    assert client.get(LIST).status_code == 200
    partner_settings_update(actor=world.acme_admin, org=world.acme, require_admin_mfa=True)
    refused = client.get(LIST)
    assert refused.status_code == 403
    assert "two-factor authentication" in webex_error(refused)
    Authenticator.objects.create(user=world.acme_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(LIST).status_code == 200


def test_the_last_platform_operator_cannot_drop_the_role(world):
    with pytest.raises(ValidationError, match="platform operator"):
        person_set_roles(actor=world.operator, org=world.platform, person=world.operator, roles=[])
    assert Role.PLATFORM_OPERATOR in {r.role for r in fresh(world.operator).role_rows.all()}


# --- the audit log before an attach is approved -----------------------------------------------------------


def test_before_approval_the_partner_audit_shows_only_its_own_request(world, api_client, page_client):
    org = existing_org_create(
        actor=world.operator,
        name="Fabrikam Inc",
        admin_email="admin@fabrikam.test",
        people=[f"user{n}@fabrikam.test" for n in range(3)],
        domains=[("fabrikam.test", True, False)],
    )
    customer = provision_customer(
        actor=world.acme_admin, partner=world.acme, org_id=org.webex_id, admin_email="admin@fabrikam.test"
    )
    assert customer.attach_state == AttachState.PENDING_APPROVAL
    theirs = AuditEvent.objects.filter(acting_org=org).exclude(actor_org=world.acme)
    assert theirs.exists()  # Fabrikam's own history: its creation, its people and domains

    events = api_client(world.acme_admin).get("/v1/partner/auditEvents", {"max": 100}).json()["items"]
    shown = {e["id"] for e in events}
    assert not shown & {e.webex_id for e in theirs}
    mine = AuditEvent.objects.filter(action="customer.provision_request", target_id=str(customer.pk))
    assert mine.get().webex_id in shown  # its own request

    page = page_client(world.acme_admin).get(reverse("partner:audit_list", args=[world.acme.webex_id]))
    assert page.status_code == 200
    assert b'data-action="customer.provision_request"' in page.content
    assert b'data-action="org.create_existing"' not in page.content
    assert b'data-action="customer.attach_request"' not in page.content


# --- login throttling behind the trusted proxy -------------------------------------------------------------


@override_settings(
    TRUSTED_PROXY_COUNT=1,
    ACCOUNT_RATE_LIMITS={"login": "100/m/ip", "login_failed": "3/5m/ip"},
)
def test_failed_logins_count_by_the_client_the_trusted_proxy_names(world, client):
    cache.clear()

    def login(email, password, forwarded_for):
        return client.post(
            reverse("account_login"),
            {"login": email, "password": password},
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for n in range(3):  # one attacker, behind the proxy; it forges the left part of the header
        assert login(f"nobody{n}@acme.test", "wrong-password", f"6.6.6.{n}, 203.0.113.9").status_code == 200
    attacker = login("admin@acme.test", PASSWORD, "1.2.3.4, 203.0.113.9")
    assert attacker.status_code != 302  # its address is the one the proxy appended: still limited
    colleague = login("admin@acme.test", PASSWORD, "198.51.100.20")
    assert colleague.status_code == 302  # another client through the same proxy signs in
