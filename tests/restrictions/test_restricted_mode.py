"""Restricted-by-partner mode: the registry against the guide, the one permission answer (customer admins lose
the controls; partner admins, cross-launched or not, never do; attached organisations start with the mode
off), the audited toggle in Partner Hub and on the API, the Control Hub banner, Restrictions page and
``control_state``.

Customer admins hold no API tokens (tests/test_isolation.py::test_only_partner_people_hold_api_tokens), so
"the API refuses a restricted control with 403 and a clear message" is tested through ``require`` — what every
API view calls — and the Webex exception handler that turns its PermissionDenied into the error body.
"""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory

from apps.accounts.permissions import Action, effective_actions, may, require
from apps.core.api.exceptions import webex_exception_handler
from apps.core.models import AuditEvent
from apps.customers.models import Customer
from apps.restrictions import registry
from apps.restrictions.registry import ALWAYS_RESTRICTED, CONTROLS, MODE_RESTRICTED
from apps.restrictions.selectors import restrictions_for
from apps.restrictions.services import restricted_mode_set
from tests.conftest import fresh

GUIDE = Path(__file__).resolve().parents[2].parent / "shared/reference/wholesale-rtm-solution-guide.txt"


def control_allowed(*, actor, control: str, org) -> bool:
    """What a page shows the actor for one control: its state, from the permission function's actions."""
    return (
        restrictions_for(actor=actor, org=org, actions=effective_actions(actor, org)).states[control].allowed
    )


def reread(customer: Customer) -> Customer:
    return Customer.objects.select_related("org").get(pk=customer.pk)


def set_mode(world, customer: Customer, enabled: bool) -> Customer:
    restricted_mode_set(actor=fresh(world.acme_admin), customer=customer, enabled=enabled)
    return reread(customer)


# --- The registry ------------------------------------------------------------------------------------------


def _guide_section() -> str:
    text = GUIDE.read_text()
    start = text.index("Restricted by Partner Mode\nRestricted by Partner Mode is a Partner Hub setting")
    return text[start : text.index("Enable Restricted by Partner Mode", start)]


def test_the_registry_holds_every_control_the_guide_lists():
    """Each "Restrictions" bullet of the guide (except "User details", which stays editable) and each
    always-restricted bullet is a control whose wording is the guide's."""
    if not GUIDE.exists():
        pytest.skip("the product guide is not beside the repository")
    section = _guide_section()
    for control in CONTROLS:
        assert str(control.guide) in section, control.key  # the English wording (a lazy translation)
    restrictions = section[section.index("Restrictions\nWhen Restricted") :].splitlines()[2:]
    bullets = [
        line
        for line in restrictions
        if line.strip("-") and "the following settings are not available" not in line
        and not line.startswith("User details")  # they stay editable
    ]  # fmt: skip
    assert len(bullets) == 17  # 9 users, 1 account, 3 organisation, 3 calling, 1 services: the guide today
    listed = [str(c.guide) for c in CONTROLS if c.in_mode_list]
    for bullet in bullets:
        assert any(guide in bullet for guide in listed), f"no control for the guide's “{bullet}”"
    keys = {c.key for c in CONTROLS}
    assert {
        "users.manage_users", "users.add_modify", "users.claim", "users.auto_assign_licenses",
        "users.directory_sync", "users.reset_package", "users.edit_services", "users.services_status",
        "users.primary_work_number", "account.company_name", "organization.domain",
        "organization.suppress_admin_invite_email", "organization.email_locale",
        "organization.authentication",
        "calling.call_settings", "calling.calling_behavior", "calling.location_pstn", "services.migrations",
        "services.connected_uc",
    } <= {c.key for c in CONTROLS if c.in_mode_list}  # fmt: skip
    assert {
        "calling.call_settings",
        "calling.location_setup_after_creation",
        "calling.location_pstn_management",
        "calling.call_recording",
        "calling.phone_numbers",
    } == ALWAYS_RESTRICTED
    assert len(keys) == len(CONTROLS) and not (ALWAYS_RESTRICTED & MODE_RESTRICTED)
    assert all(str(c.effect) in ("greyed", "hidden") for c in CONTROLS)


def test_an_unknown_control_fails_loudly():
    with pytest.raises(KeyError, match="registry"):
        registry.control_get("users.no_such_control")


# --- The one permission answer -----------------------------------------------------------------------------


def test_customer_admins_lose_the_user_controls_while_the_mode_is_on(world):
    blue = world.blue_harbor
    assert blue.restricted_by_partner is True  # on by default
    for person in (world.blue_admin, world.blue_user_admin):
        actor = fresh(person)
        assert not may(actor, Action.USERS_PROVISION, blue.org)
        assert may(actor, Action.USERS_MANAGE, blue.org)  # user details stay editable (the guide)
        assert not control_allowed(actor=actor, control="users.add_modify", org=blue.org)
    admin = fresh(world.blue_admin)
    assert not control_allowed(actor=admin, control="account.company_name", org=blue.org)
    assert may(admin, Action.ADMINS_MANAGE, blue.org)  # inviting administrators is not a restricted control


def test_turning_the_mode_off_gives_customer_admins_users_and_packages_back(world):
    blue = set_mode(world, world.blue_harbor, False)
    admin = fresh(world.blue_admin)
    assert may(admin, Action.USERS_PROVISION, blue.org)
    assert control_allowed(actor=admin, control="users.add_modify", org=blue.org)
    assert control_allowed(actor=admin, control="account.company_name", org=blue.org)
    # ... but what customer admins never hold stays restricted.
    for key in ALWAYS_RESTRICTED:
        assert not control_allowed(actor=admin, control=key, org=blue.org), key


@pytest.mark.parametrize("persona", ["acme_admin", "acme_partner_admin", "acme_wholesale"])
def test_partner_admins_are_never_restricted(world, persona):
    """Cross-launched into the customer's Control Hub or acting from Partner Hub: the same answer."""
    blue = world.blue_harbor
    actor = fresh(getattr(world, persona))
    assert blue.restricted_by_partner
    assert may(actor, Action.USERS_PROVISION, blue.org)
    for control in CONTROLS:
        assert control_allowed(actor=actor, control=control.key, org=blue.org), control.key


def test_a_parent_partner_on_an_indirect_customer_is_not_restricted(world):
    riverside = world.riverside
    assert riverside.restricted_by_partner
    assert may(fresh(world.acme_admin), Action.USERS_PROVISION, riverside.org)
    assert not may(fresh(world.riverside_admin), Action.USERS_PROVISION, riverside.org)


def test_read_only_roles_stay_refused_whatever_the_mode(world):
    blue = set_mode(world, world.blue_harbor, False)
    readonly = fresh(world.blue_readonly)
    assert not may(readonly, Action.USERS_PROVISION, blue.org)
    assert not control_allowed(actor=readonly, control="account.company_name", org=blue.org)
    assert not may(fresh(world.acme_readonly), Action.USERS_PROVISION, blue.org)


def test_an_attached_organisation_starts_with_the_mode_off(world):
    """Attached automatically (full admin access): its own admin keeps users and packages; the partner too."""
    from apps.accounts.selectors import user_get_by_email
    from apps.provisioning.services.attach import existing_org_create
    from tests.factories import provision_customer

    org = existing_org_create(
        actor=world.operator,
        name="Contoso Ltd",
        admin_email="admin@contoso.test",
        people=["user0@contoso.test"],
        domains=(),
        licences=(),
    )
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        org_id=org.webex_id,
        admin_email="it@contoso.test",
        packages=["webex_calling"],
    )
    assert customer.restricted_by_partner is False
    own_admin = fresh(user_get_by_email(email="admin@contoso.test"))
    assert may(own_admin, Action.USERS_PROVISION, org)
    assert control_allowed(actor=own_admin, control="users.add_modify", org=org)
    assert not control_allowed(actor=own_admin, control="calling.phone_numbers", org=org)


def test_the_refusal_says_why_on_the_api(world):
    admin = fresh(world.blue_admin)
    with pytest.raises(PermissionDenied) as refused:
        require(admin, Action.USERS_PROVISION, world.blue_harbor.org)
    assert "Restricted by Partner Mode is enabled" in str(refused.value)
    response = webex_exception_handler(refused.value, {})
    assert response.status_code == 403
    assert response.data["message"].startswith("Restricted by Partner Mode is enabled for Blue Harbor Dental")
    assert response.data["errors"][0]["description"] == response.data["message"]
    # A refusal the roles make keeps the ordinary message.
    with pytest.raises(PermissionDenied) as refused:
        require(fresh(world.blue_readonly), Action.ORG_MANAGE, world.blue_harbor.org)
    assert "Restricted" not in str(refused.value)


# --- The service -------------------------------------------------------------------------------------------


def test_toggling_is_audited_with_before_and_after(world):
    blue = set_mode(world, world.blue_harbor, False)
    assert blue.restricted_by_partner is False
    event = AuditEvent.objects.filter(action="customer.restricted_mode").latest("id")
    assert event.before == {"restricted_by_partner": True} and event.after == {"restricted_by_partner": False}
    assert event.actor_email == "admin@acme.test" and event.acting_org == blue.org
    count = AuditEvent.objects.filter(action="customer.restricted_mode").count()
    set_mode(world, blue, False)  # no change: nothing written
    assert AuditEvent.objects.filter(action="customer.restricted_mode").count() == count


@pytest.mark.parametrize("persona", ["blue_admin", "acme_readonly", "globex_admin"])
def test_only_who_manages_wholesale_services_may_toggle(world, persona):
    with pytest.raises(PermissionDenied):
        restricted_mode_set(actor=fresh(getattr(world, persona)), customer=world.blue_harbor, enabled=False)
    assert reread(world.blue_harbor).restricted_by_partner is True
    assert not AuditEvent.objects.filter(action="customer.restricted_mode").exists()


# --- Partner Hub toggle ------------------------------------------------------------------------------------


def toggle_url(world, customer) -> str:
    return f"/partner/{world.acme.webex_id}/customers/{customer.webex_id}/restricted-mode/"


def test_the_panel_toggle_turns_the_mode_off_and_on(world, page_client):
    client = page_client(world.acme_admin)
    blue = world.blue_harbor
    panel = client.get(f"/partner/{world.acme.webex_id}/customers/{blue.webex_id}/")
    body = panel.content.decode()
    assert 'data-testid="restricted-mode-toggle"' in body and "data-confirm=" in body
    response = client.post(toggle_url(world, blue), {"enabled": "off"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-enabled="off"' in response.content.decode()
    assert reread(blue).restricted_by_partner is False
    response = client.post(toggle_url(world, blue), {"enabled": "on"})
    assert response.status_code == 302 and reread(blue).restricted_by_partner is True


def test_the_panel_toggle_refuses_bad_input_and_read_only_admins(world, page_client):
    blue = world.blue_harbor
    response = page_client(world.acme_admin).post(toggle_url(world, blue), {"enabled": "maybe"})
    assert response.status_code == 302 and reread(blue).restricted_by_partner is True
    client = page_client(world.acme_readonly)
    panel = client.get(f"/partner/{world.acme.webex_id}/customers/{blue.webex_id}/").content.decode()
    assert 'data-testid="restricted-mode"' in panel and 'data-testid="restricted-mode-toggle"' not in panel
    assert client.post(toggle_url(world, blue), {"enabled": "off"}).status_code == 403
    assert reread(blue).restricted_by_partner is True


# --- Control Hub -------------------------------------------------------------------------------------------


def org_url(org, tail: str = "") -> str:
    return f"/org/{org.webex_id}/{tail}"


def test_customer_admins_see_the_banner_while_the_mode_is_on(world, page_client):
    blue = world.blue_harbor
    body = page_client(world.blue_admin).get(org_url(blue.org)).content.decode()
    assert 'data-testid="restricted-mode-banner"' in body and "Restricted Mode is enabled" in body
    assert 'data-testid="company-name" data-state="greyed"' in body and "Read-only" in body
    # Partner admins cross-launched are not restricted: no banner, no lock.
    body = page_client(world.acme_admin).get(org_url(blue.org)).content.decode()
    assert 'data-testid="restricted-mode-banner"' not in body
    assert 'data-testid="company-name" data-state="enabled"' in body
    set_mode(world, blue, False)
    body = page_client(world.blue_admin).get(org_url(blue.org)).content.decode()
    assert 'data-testid="restricted-mode-banner"' not in body
    assert 'data-testid="company-name" data-state="enabled"' in body


def test_the_restrictions_page_lists_every_control_and_whom_it_applies_to(world, page_client):
    blue = world.blue_harbor
    response = page_client(world.blue_admin).get(org_url(blue.org, "restrictions/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="restriction-row"') == len(CONTROLS)
    assert response.context["restricted_count"] == len(CONTROLS)
    response = page_client(world.acme_admin).get(org_url(blue.org, "restrictions/"))
    assert response.context["restricted_count"] == 0
    set_mode(world, blue, False)
    response = page_client(world.blue_admin).get(org_url(blue.org, "restrictions/"))
    assert response.context["restricted_count"] == len(ALWAYS_RESTRICTED)


def test_control_state_tag_answers_what_the_function_refuses(world):
    blue = world.blue_harbor
    template = Template(
        '{% load restrictions %}{% control_state "users.add_modify" %}'
        '|{% control_state "users.manage_users" %}|{% control_state "organization.domain" %}'
    )

    def render(person) -> str:
        request = RequestFactory().get("/")
        request.user = fresh(person)
        request.org = blue.org
        from apps.accounts.permissions import effective_actions

        request.actions = frozenset(effective_actions(request.user, blue.org))
        return template.render(Context({"request": request}))

    assert render(world.blue_admin) == "hidden|greyed|greyed"
    assert render(world.acme_admin) == "enabled|enabled|enabled"
    assert render(world.blue_readonly) == "hidden|greyed|greyed"  # roles refuse, shown as the guide says
    set_mode(world, blue, False)
    assert render(world.blue_admin) == "enabled|enabled|enabled"
    states = restrictions_for(
        actor=fresh(world.blue_admin), org=blue.org, actions={Action.USERS_MANAGE, Action.ORG_MANAGE}
    )
    assert states.state("calling.phone_numbers") == "greyed"  # always restricted


# --- API ---------------------------------------------------------------------------------------------------


def api_url(customer, query: str = "") -> str:
    return f"/v1/partner/customers/{customer.webex_id}/restrictedMode{query}"


def test_api_reads_and_sets_the_mode(world, api_client):
    blue = world.blue_harbor
    client = api_client(world.acme_admin)
    response = client.get(api_url(blue))
    assert response.status_code == 200
    assert response.json()["enabled"] is True
    assert {c["key"] for c in response.json()["restrictedControls"]} == {c.key for c in CONTROLS}
    response = client.put(api_url(blue), {"enabled": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["enabled"] is False
    assert {c["key"] for c in response.json()["restrictedControls"]} == ALWAYS_RESTRICTED
    assert reread(blue).restricted_by_partner is False
    assert AuditEvent.objects.filter(action="customer.restricted_mode", tracking_id__gt="").exists()


def test_api_on_behalf_of_a_sub_partner(world, api_client):
    riverside = world.riverside
    query = f"?onBehalfOfSubPartnerOrgId={world.northwind.webex_id}"
    response = api_client(world.acme_admin).put(api_url(riverside, query), {"enabled": False}, format="json")
    assert response.status_code == 200 and reread(riverside).restricted_by_partner is False


@pytest.mark.parametrize("body", [{}, {"enabled": "no"}, {"enabled": 0}, {"enabled": None}, [], "x"])
def test_api_bad_input_is_a_webex_400_and_changes_nothing(world, api_client, body):
    response = api_client(world.acme_admin).put(api_url(world.blue_harbor), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors", "trackingId"}
    assert reread(world.blue_harbor).restricted_by_partner is True


def test_api_scopes_and_roles(world, api_client):
    from apps.accounts.models import ApiScope

    blue = world.blue_harbor
    read_only = api_client(world.acme_admin, scopes=[ApiScope.WHOLESALE_CUSTOMERS_READ])
    assert read_only.get(api_url(blue)).status_code == 200
    response = read_only.put(api_url(blue), {"enabled": False}, format="json")
    assert response.status_code == 403 and "wholesale_customers_write" in response.json()["message"]
    response = api_client(world.acme_readonly).put(api_url(blue), {"enabled": False}, format="json")
    assert response.status_code == 403
    assert api_client(world.globex_admin).get(api_url(blue)).status_code == 404
    assert reread(blue).restricted_by_partner is True


def test_restricted_mode_stops_customer_admins_adding_subscribers_until_it_is_off(world):
    from django.core.exceptions import PermissionDenied

    from apps.restrictions.services import restricted_mode_set
    from apps.subscribers.services.subscribers import subscriber_add

    with pytest.raises(PermissionDenied, match="Restricted by Partner Mode"):
        subscriber_add(
            actor=fresh(world.blue_admin),
            customer=world.blue_harbor,
            email="x@blueharbor.test",
            package="webex_calling",
        )
    restricted_mode_set(actor=fresh(world.acme_admin), customer=world.blue_harbor, enabled=False)
    world.blue_harbor.refresh_from_db()
    added = subscriber_add(
        actor=fresh(world.blue_admin),
        customer=world.blue_harbor,
        email="x@blueharbor.test",
        package="webex_calling",
        extension="3001",
    )
    assert added.email == "x@blueharbor.test"


@pytest.mark.parametrize(
    ("existing_org", "attach_state", "partner_access"),
    [
        (False, "", "full_admin"),
        (False, "", "provisioning_admin"),
        (True, "pending_approval", "full_admin"),
        (True, "approved", "full_admin"),
        (True, "automatic", "provisioning_admin"),
        (True, "declined", "full_admin"),
    ],
)
def test_lists_of_people_agree_with_the_permission_function(
    world, api_client, existing_org, attach_state, partner_access
):
    """A partner's staff see a customer's people in lists (the Subscribers API, search by e-mail) exactly when
    ``may`` gives them USERS_VIEW there: the list filter is the same rule as a query."""
    from apps.accounts.permissions import Action, may
    from apps.customers.models import Customer
    from apps.customers.selectors import customers_with_people_visible_to

    blue = world.blue_harbor
    Customer.objects.filter(pk=blue.pk).update(
        existing_org=existing_org, attach_state=attach_state, partner_access=partner_access
    )
    admin = fresh(world.acme_admin)
    sees = may(admin, Action.USERS_VIEW, blue.org)
    assert customers_with_people_visible_to(actor=admin).filter(pk=blue.pk).exists() == sees
    listed = api_client(admin).get("/v1/wholesale/subscribers", {"customerId": blue.webex_id}).json()["items"]
    assert bool(listed) == sees
