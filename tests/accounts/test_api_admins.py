"""/v1/partner/admins and /v1/partner/auditEvents: the Administrators pages' services over the API."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from apps.accounts.models import ApiScope, Invitation, InvitationStatus
from apps.accounts.roles import Role
from apps.accounts.selectors import assigned_customers_of, roles_of
from apps.core.ids import IdType, encode_id
from apps.core.models import AuditEvent
from apps.core.wire import webex_time
from tests.conftest import fresh
from tests.core.test_api_conventions import assert_webex_error

ADMINS = "/v1/partner/admins"
AUDIT = "/v1/partner/auditEvents"
ADMIN_KEYS = {"id", "email", "firstName", "lastName", "orgId", "roles", "invitationPending"}


def admin_url(person, suffix: str = "") -> str:
    return f"{ADMINS}/{person.webex_id}{suffix}"


def audit_event(action: str, person) -> AuditEvent:
    """The latest event of this action on this person."""
    return AuditEvent.objects.filter(action=action, target_id=str(person.pk)).latest("created")


# --- invite ------------------------------------------------------------------------------------------------


def test_invite_creates_the_admin_sends_the_invitation_and_audits(
    world, api_client, django_capture_on_commit_callbacks
):
    client = api_client(world.acme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADMINS,
            {
                "email": " New.Admin@Acme.test ",
                "firstName": "New",
                "lastName": "Admin",
                "roles": ["partner_admin"],
            },
            HTTP_TRACKINGID="INVITE_1",
        )
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ADMIN_KEYS
    assert body["email"] == "new.admin@acme.test"
    assert (body["firstName"], body["lastName"]) == ("New", "Admin")
    assert body["orgId"] == world.acme.webex_id
    assert body["roles"] == ["partner_admin"]
    assert body["invitationPending"] is True
    assert client.get(f"{ADMINS}/{body['id']}").json() == body

    message = mail.outbox[-1]
    assert message.to == ["new.admin@acme.test"]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/welcome/")
    invitation = Invitation.objects.get(user__email="new.admin@acme.test")
    assert invitation.status == InvitationStatus.SENT

    event = AuditEvent.objects.get(action="admin.invite", after__email="new.admin@acme.test")
    assert (event.actor_id, event.acting_org_id, event.channel, event.tracking_id) == (
        world.acme_admin.pk,
        world.acme.pk,
        "api",
        "INVITE_1",
    )


def test_invite_into_a_managed_customer_with_org_id(world, api_client):
    client = api_client(world.acme_admin)
    response = client.post(
        f"{ADMINS}?orgId={world.blue_harbor.org.webex_id}",
        {"email": "ops@blueharbor.test", "roles": ["support_admin"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["orgId"] == world.blue_harbor.org.webex_id
    event = AuditEvent.objects.get(action="admin.invite", after__email="ops@blueharbor.test")
    assert (event.actor_org_id, event.acting_org_id) == (world.acme.pk, world.blue_harbor.org.pk)


def test_refused_invites_write_nothing(world, api_client):
    readonly, admin, partner_admin = (
        api_client(world.acme_readonly),
        api_client(world.acme_admin),
        api_client(world.acme_partner_admin),
    )
    before = (AuditEvent.objects.count(), Invitation.objects.count(), len(mail.outbox))
    assert_webex_error(readonly.post(ADMINS, {"email": "x@acme.test", "roles": ["read_only_admin"]}), 403)
    assert_webex_error(admin.post(ADMINS, {"email": "admin@globex.test", "roles": ["read_only_admin"]}), 400)
    assert_webex_error(admin.post(ADMINS, {"email": "x@acme.test", "roles": ["support_admin"]}), 400)
    cedar = f"{ADMINS}?orgId={world.cedar_pine.org.webex_id}"  # not assigned to this partner admin
    assert_webex_error(partner_admin.post(cedar, {"email": "x@cedarpine.test", "roles": ["full_admin"]}), 404)
    assert (AuditEvent.objects.count(), Invitation.objects.count(), len(mail.outbox)) == before


# --- list and get ------------------------------------------------------------------------------------------


def test_list_shows_the_admins_of_the_organisation(world, api_client):
    items = api_client(world.acme_admin).get(ADMINS).json()["items"]
    assert [item["email"] for item in items] == sorted(
        ["admin@acme.test", "readonly@acme.test", "partneradmin@acme.test", "wholesale@acme.test"]
    )
    assert all(set(item) == ADMIN_KEYS for item in items)
    customer = (
        api_client(world.acme_admin).get(ADMINS, {"orgId": world.blue_harbor.org.webex_id}).json()["items"]
    )
    assert {item["email"] for item in customer} >= {"admin@blueharbor.test", "readonly@blueharbor.test"}


def test_get_an_admin(world, api_client):
    response = api_client(world.acme_readonly).get(admin_url(world.acme_wholesale))
    assert response.status_code == 200
    assert response.json()["roles"] == ["partner_full_admin", "wholesale_admin"]
    assert response.json()["id"] == world.acme_wholesale.webex_id


def test_a_person_of_another_organisation_is_not_found_through_mine(world, api_client):
    # Blue Harbor's admin exists and is visible to Acme, but not as a person of Acme itself.
    assert_webex_error(api_client(world.acme_admin).get(admin_url(world.blue_admin)), 404)
    assert (
        api_client(world.acme_admin)
        .get(admin_url(world.blue_admin), {"orgId": world.blue_harbor.org.webex_id})
        .status_code
        == 200
    )


# --- roles and removal -------------------------------------------------------------------------------------


def test_put_replaces_roles_and_audits(world, api_client):
    client = api_client(world.acme_admin)
    response = client.put(
        admin_url(world.acme_readonly),
        {"roles": ["full_admin", "partner_full_admin"]},
        HTTP_TRACKINGID="ROLES_1",
    )
    assert response.status_code == 200, response.content
    assert response.json()["roles"] == ["full_admin", "partner_full_admin"]
    assert roles_of(fresh(world.acme_readonly)) == {Role.FULL_ADMIN, Role.PARTNER_FULL_ADMIN}
    event = audit_event("admin.roles_set", world.acme_readonly)
    assert event.before == {"roles": ["partner_read_only_admin", "read_only_admin"]}
    assert event.after == {"roles": ["full_admin", "partner_full_admin"]}
    assert (event.channel, event.tracking_id) == ("api", "ROLES_1")


def test_an_organisation_keeps_one_full_admin(world, api_client):
    client = api_client(world.acme_admin)
    body = assert_webex_error(client.put(admin_url(world.acme_admin), {"roles": ["partner_full_admin"]}), 400)
    assert "full administrator" in body["message"]
    assert_webex_error(client.delete(admin_url(world.acme_admin)), 400)
    assert Role.FULL_ADMIN in roles_of(fresh(world.acme_admin))
    assert not AuditEvent.objects.filter(
        action="admin.roles_set", target_id=str(world.acme_admin.pk)
    ).exists()
    # With a second full admin the first may step down.
    assert client.put(admin_url(world.acme_readonly), {"roles": ["full_admin"]}).status_code == 200
    assert client.put(admin_url(world.acme_admin), {"roles": ["partner_full_admin"]}).status_code == 200


@pytest.mark.parametrize(
    "payload", [{}, {"roles": "full_admin"}, {"roles": ["emperor"]}, {"roles": ["support_admin"]}]
)
def test_put_with_bad_roles_is_400(world, api_client, payload):
    assert_webex_error(api_client(world.acme_admin).put(admin_url(world.acme_readonly), payload), 400)


def test_delete_removes_every_admin_role(world, api_client):
    client = api_client(world.acme_admin)
    response = client.delete(admin_url(world.acme_wholesale), HTTP_TRACKINGID="DEL_1")
    assert response.status_code == 204
    assert response.content == b""
    assert roles_of(fresh(world.acme_wholesale)) == frozenset()
    assert world.acme_wholesale.webex_id not in [item["id"] for item in client.get(ADMINS).json()["items"]]
    event = audit_event("admin.roles_set", world.acme_wholesale)
    assert event.after == {"roles": []}
    assert (event.channel, event.tracking_id) == ("api", "DEL_1")


def test_only_admin_managers_change_roles(world, api_client):
    readonly = api_client(world.acme_readonly)
    assert_webex_error(readonly.put(admin_url(world.acme_wholesale), {"roles": ["full_admin"]}), 403)
    assert_webex_error(readonly.delete(admin_url(world.acme_wholesale)), 403)
    assert roles_of(fresh(world.acme_wholesale)) == {Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN}


# --- customer assignments ----------------------------------------------------------------------------------


def test_assign_customers_to_a_partner_admin(world, api_client):
    client = api_client(world.acme_admin)
    url = admin_url(world.acme_partner_admin, "/customers")
    assert client.get(url).json() == {"customerOrgIds": [world.blue_harbor.org.webex_id]}
    wanted = [world.blue_harbor.org.webex_id, world.cedar_pine.org.webex_id]
    response = client.put(url, {"customerOrgIds": wanted}, HTTP_TRACKINGID="ASSIGN_1")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["customerOrgIds"]) == sorted(wanted)
    assert sorted(client.get(url).json()["customerOrgIds"]) == sorted(wanted)
    event = audit_event("admin.customers_assign", world.acme_partner_admin)
    assert event.after == {"customers": ["Blue Harbor Dental", "Cedar & Pine Legal"]}
    assert (event.channel, event.tracking_id) == ("api", "ASSIGN_1")

    # The partner admin now reaches Cedar & Pine through the API, and loses it when unassigned.
    partner_admin = api_client(world.acme_partner_admin)
    cedar = {"orgId": world.cedar_pine.org.webex_id}
    assert partner_admin.get(ADMINS, cedar).status_code == 200
    assert client.put(url, {"customerOrgIds": []}).json() == {"customerOrgIds": []}
    assert_webex_error(partner_admin.get(ADMINS, cedar), 404)


def test_assignment_refuses_non_partner_admins(world, api_client):
    client = api_client(world.acme_admin)
    for person in (world.acme_readonly, world.acme_wholesale):
        response = client.put(
            admin_url(person, "/customers"), {"customerOrgIds": [world.blue_harbor.org.webex_id]}
        )
        assert "partner administrator" in assert_webex_error(response, 400)["message"]
        assert list(assigned_customers_of(user=person)) == []


@pytest.mark.parametrize("customer", ["initech", "riverside"])
def test_assignment_refuses_customers_of_another_partner(world, api_client, customer):
    client = api_client(world.acme_admin)
    org_id = getattr(world, customer).org.webex_id
    response = client.put(admin_url(world.acme_partner_admin, "/customers"), {"customerOrgIds": [org_id]})
    assert_webex_error(response, 400)
    assert list(assigned_customers_of(user=world.acme_partner_admin)) == [world.blue_harbor.org]


@pytest.mark.parametrize(
    "payload", [{}, {"customerOrgIds": "x"}, {"customerOrgIds": [None]}, {"customerOrgIds": ["x"]}]
)
def test_assignment_with_bad_ids_is_400(world, api_client, payload):
    response = api_client(world.acme_admin).put(admin_url(world.acme_partner_admin, "/customers"), payload)
    assert_webex_error(response, 400)


def test_assignment_needs_people_write_scope_and_admin_management(world, api_client):
    url = admin_url(world.acme_partner_admin, "/customers")
    payload = {"customerOrgIds": [world.cedar_pine.org.webex_id]}
    assert_webex_error(api_client(world.acme_admin, scopes=[ApiScope.PEOPLE_READ]).put(url, payload), 403)
    assert_webex_error(api_client(world.acme_readonly).put(url, payload), 403)
    assert api_client(world.acme_readonly).get(url).status_code == 200


# --- audit events ------------------------------------------------------------------------------------------


def test_audit_events_list_and_filters(world, api_client):
    client = api_client(world.acme_admin)
    client.post(ADMINS, {"email": "audited@acme.test", "roles": ["read_only_admin"]}, HTTP_TRACKINGID="AUD_1")

    everything = client.get(AUDIT).json()["items"]
    assert everything and all(
        {"id", "created", "actorEmail", "action", "targetName", "trackingId", "channel"} <= set(e)
        for e in everything
    )
    newest = everything[0]
    assert (newest["action"], newest["channel"], newest["trackingId"]) == ("admin.invite", "api", "AUD_1")
    assert newest["after"]["email"] == "audited@acme.test"
    assert newest["actorEmail"] == "admin@acme.test"
    assert newest["actingOrgId"] == world.acme.webex_id

    invites = client.get(AUDIT, {"action": "admin.invite"}).json()["items"]
    assert invites and all(e["action"] == "admin.invite" for e in invites)
    by_admin = client.get(AUDIT, {"actorEmail": "admin@acme.test"}).json()["items"]
    assert by_admin and all(e["actorEmail"] == "admin@acme.test" for e in by_admin)
    assert client.get(AUDIT, {"actorEmail": "nobody@nowhere.test"}).json()["items"] == []

    today = timezone.now().date()
    assert len(
        client.get(AUDIT, {"from": today.isoformat(), "to": today.isoformat()}).json()["items"]
    ) == len(everything)
    assert client.get(AUDIT, {"from": (today + timedelta(days=1)).isoformat()}).json()["items"] == []
    assert client.get(AUDIT, {"to": (today - timedelta(days=1)).isoformat()}).json()["items"] == []


def test_audit_events_of_a_managed_customer(world, api_client):
    client = api_client(world.acme_admin)
    blue = {"orgId": world.blue_harbor.org.webex_id}
    items = client.get(AUDIT, blue).json()["items"]
    assert items and all(e["actingOrgId"] == world.blue_harbor.org.webex_id for e in items)
    assert {"admin@blueharbor.test"} <= {e["actorEmail"] for e in items}
    # The partner's log covers its customers; a customer's covers only itself.
    partner_items = client.get(AUDIT).json()["items"]
    assert {e["id"] for e in items} <= {e["id"] for e in partner_items}
    assert_webex_error(client.get(AUDIT, {"orgId": world.initech.org.webex_id}), 404)
    # A partner admin reads the log of the customer it is assigned, not its partner's.
    partner_admin = api_client(world.acme_partner_admin)
    assigned_view = partner_admin.get(AUDIT, blue).json()["items"]
    assert {e["id"] for e in assigned_view} == {e["id"] for e in items}
    assert_webex_error(partner_admin.get(AUDIT, {"orgId": world.cedar_pine.org.webex_id}), 404)


def test_audit_events_need_the_scope_and_the_permission(world, api_client):
    assert_webex_error(api_client(world.acme_admin, scopes=[ApiScope.PEOPLE_READ]).get(AUDIT), 403)
    assert_webex_error(api_client(world.acme_partner_admin).get(AUDIT), 403)  # the partner's own log
    assert api_client(world.acme_readonly).get(AUDIT).status_code == 200


def test_an_audit_events_body_holds_its_ids_and_its_instant_as_webex_writes_them(world, api_client):
    """The list is built from plain rows (``audit_event_body``): each field as the event holds it, ids in
    their Webex form (null where there is none), the instant in UTC with milliseconds, as every other body
    of the API writes one; every page of the cursor walk the same."""
    client = api_client(world.acme_admin)
    AuditEvent.objects.create(acting_org=world.acme, action="x.system", target_type="org", channel="task")
    items, url = [], AUDIT + "?max=7"
    while url:
        response = client.get(url)
        items += response.json()["items"]
        url = dict(
            (rel, link) for link, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))
        ).get("next")
    events = {e.webex_id: e for e in AuditEvent.objects.select_related("acting_org", "actor_org")}
    assert len(items) == len({item["id"] for item in items}) > 7
    for item in items:
        event = events[item["id"]]
        assert item == {
            "id": event.webex_id,
            "created": webex_time(event.created),
            "actorId": encode_id(IdType.PEOPLE, event.actor_id) if event.actor_id else None,
            "actorEmail": event.actor_email,
            "actorOrgId": event.actor_org.webex_id if event.actor_org else None,
            "actingOrgId": event.acting_org.webex_id if event.acting_org else None,
            "action": event.action,
            "targetType": event.target_type,
            "targetId": event.target_id,
            "targetName": event.target_repr,
            "before": event.before,
            "after": event.after,
            "trackingId": event.tracking_id,
            "channel": event.channel,
        }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", items[0]["created"])
    assert any(item["actorId"] is None for item in items)  # the system's event
