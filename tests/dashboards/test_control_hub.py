"""Control Hub pages of a customer organisation, for its own admins and for its partner."""

from apps.accounts.roles import Role
from apps.accounts.selectors import roles_of
from apps.core.models import AuditEvent
from tests.conftest import fresh


def org_url(org, page=""):
    return f"/org/{org.webex_id}/{page}"


def test_customer_admin_sees_its_overview_without_partner_navigation(world, page_client):
    response = page_client(world.blue_admin).get(org_url(world.blue_harbor.org))
    assert response.status_code == 200
    assert not response.context["cross_launched"]
    nav = [item["name"] for item in response.context["nav"]]
    settings = ["account", "org_settings", "domain_list", "calling", "directory_sync"]  # issue 13
    assert nav == [
        "overview",
        "user_list",
        "workspace_list",
        "location_list",
        "admin_list",
        "audit_list",
        *settings,
        "help",
    ]  # Branding, Claim users, Auto-assign and Services status: taken by the partner (override, mode)
    assert response.context["subscriber_total"] == 3  # maria, tom and the first administrator


def test_customer_roles_shape_the_navigation(world, page_client):
    settings = ["account", "org_settings", "domain_list", "calling", "directory_sync"]  # issue 13: read-only
    nav = page_client(world.blue_user_admin).get(org_url(world.blue_harbor.org)).context["nav"]
    people = ["overview", "user_list", "workspace_list", "location_list"]
    assert [item["name"] for item in nav] == [*people, *settings, "help"]
    nav = page_client(world.blue_support).get(org_url(world.blue_harbor.org)).context["nav"]
    assert [item["name"] for item in nav] == [*people, "audit_list", *settings, "help"]


def test_customer_full_admin_manages_its_administrators(world, page_client):
    client = page_client(world.blue_admin)
    response = client.post(
        org_url(world.blue_harbor.org, "administrators/"),
        {"email": "second@blueharbor.test", "roles": [Role.FULL_ADMIN]},
    )
    assert response.status_code == 302
    # A partner role cannot be given inside a customer organisation.
    response = client.post(
        org_url(world.blue_harbor.org, "administrators/"),
        {"email": "third@blueharbor.test", "roles": [Role.PARTNER_FULL_ADMIN]},
    )
    assert response.status_code == 200 and "roles" in response.context["form"].errors
    person = world.blue_readonly
    response = client.post(
        org_url(world.blue_harbor.org, f"administrators/{person.webex_id}/"),
        {"form": "roles", "roles": [Role.SUPPORT_ADMIN]},
    )
    assert response.status_code == 302
    assert roles_of(fresh(person)) == {Role.SUPPORT_ADMIN}


def test_read_only_admin_cannot_change_administrators(world, page_client):
    client = page_client(world.blue_readonly)
    url = org_url(world.blue_harbor.org, "administrators/")
    assert client.get(url).status_code == 200
    assert client.post(url, {"email": "x@blueharbor.test", "roles": [Role.FULL_ADMIN]}).status_code == 403
    remove = org_url(world.blue_harbor.org, f"administrators/{world.blue_admin.webex_id}/remove/")
    assert client.post(remove).status_code == 403


def test_cross_launched_write_from_control_hub_is_audited_with_both(world, page_client):
    client = page_client(world.acme_admin)
    response = client.get(org_url(world.blue_harbor.org))
    assert response.context["cross_launched"]
    assert response.context["back_link"][0] == f"/partner/{world.acme.webex_id}/customers/"
    response = client.post(
        org_url(world.blue_harbor.org, "administrators/"),
        {"email": "helpdesk@blueharbor.test", "roles": [Role.SUPPORT_ADMIN]},
        HTTP_TRACKINGID="CROSS-42",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.invite", after__email="helpdesk@blueharbor.test")
    assert (event.actor, event.actor_org, event.acting_org) == (
        world.acme_admin,
        world.acme,
        world.blue_harbor.org,
    )
    assert (event.channel, event.tracking_id) == ("page", "CROSS-42")
    # The customer's own audit log shows it, naming where the admin came from.
    rows = page_client(world.blue_admin).get(org_url(world.blue_harbor.org, "audit/")).context["page"].rows
    assert event in rows


def test_removing_the_last_full_admin_is_refused_with_a_message(world, page_client):
    client = page_client(world.blue_admin)
    response = client.post(
        org_url(world.blue_harbor.org, f"administrators/{world.blue_admin.webex_id}/remove/"), follow=True
    )
    assert "at least one full administrator" in response.content.decode()
    assert Role.FULL_ADMIN in roles_of(fresh(world.blue_admin))
