"""Attaching wholesale services through the provisioning request (``orgId`` given): automatic or waiting for
the organisation's administrator, who approves or declines in Control Hub; and the guide's "Conditions of
Org Attachment" once attached."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.selectors import roles_of, user_get_by_email
from apps.core.errors import ErrorCode
from apps.core.exceptions import ConflictError
from apps.core.models import AuditEvent
from apps.customers.models import (
    AttachRequestState,
    AttachState,
    CustomerStatus,
    LicenseStatus,
    OrgAuthMode,
    PartnerAccess,
)
from apps.provisioning.services import attach as svc
from apps.provisioning.services.attach import existing_org_create
from tests.conftest import fresh
from tests.factories import provision_customer


def existing(world, *, people=3, domains=(), licences=(), **facts):
    return existing_org_create(
        actor=world.operator,
        name="Contoso Ltd",
        admin_email="admin@contoso.test",
        people=[f"user{n}@contoso.test" for n in range(people)],
        domains=domains,
        licences=licences,
        **facts,
    )


def attach(world, org, *, partner=None, actor=None, **order):
    return provision_customer(
        actor=actor or world.acme_admin,
        partner=partner or world.acme,
        org_id=org.webex_id,
        admin_email=order.pop("admin_email", "it@contoso.test"),
        packages=order.pop("packages", ["webex_calling"]),
        **order,
    )


# --- Automatic attachment -----------------------------------------------------------------------------------


def test_a_small_organisation_without_live_licences_is_attached_automatically_with_full_admin(world):
    org = existing(world, licences=[("Meetings", 10, LicenseStatus.CANCELLED)])
    customer = attach(world, org)
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.attach_state == AttachState.AUTOMATIC
    assert customer.partner_access == PartnerAccess.FULL_ADMIN
    assert not hasattr(customer, "attach_request")
    event = AuditEvent.objects.get(action="customer.attach_automatic")
    assert event.after["partner_access"] == PartnerAccess.FULL_ADMIN


def test_with_a_live_licence_the_partner_is_provisioning_admin(world):
    org = existing(world, licences=[("Meetings", 10, LicenseStatus.ACTIVE)])
    customer = attach(world, org)
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.partner_access == PartnerAccess.PROVISIONING_ADMIN


def test_conditions_of_org_attachment(world):
    """The first user provisioned is not made admin; authentication settings and the name are kept;
    restricted-by-partner mode is off."""
    org = existing(world, auth_mode=OrgAuthMode.SSO_SAML, idp_name="Contoso Okta")
    customer = attach(world, org, name="A New Name Ltd", admin_email="first@contoso.test")
    assert customer.status == CustomerStatus.PROVISIONED
    org.refresh_from_db()
    assert org.name == "Contoso Ltd"
    assert (org.profile.auth_mode, org.profile.idp_name) == (OrgAuthMode.SSO_SAML, "Contoso Okta")
    first = user_get_by_email(email="first@contoso.test")
    assert first.org == org and roles_of(fresh(first)) == frozenset()
    assert customer.subscribers.get(email="first@contoso.test")  # it got the package, not a role
    assert roles_of(fresh(user_get_by_email(email="admin@contoso.test"))) == {Role.FULL_ADMIN}  # untouched
    assert customer.restricted_by_partner is False
    # A customer created from scratch keeps restricted-by-partner mode on, and its first user is full admin.
    new = provision_customer(
        actor=world.acme_admin, partner=world.acme, name="Fresh Start", admin_email="admin@fresh.test"
    )
    assert new.restricted_by_partner is True
    assert roles_of(fresh(user_get_by_email(email="admin@fresh.test"))) == {Role.FULL_ADMIN}


def test_the_template_decides_whether_the_first_user_of_an_attached_org_is_invited(world):
    org = existing(world)
    attach(world, org, admin_email="first@contoso.test")
    assert not user_get_by_email(email="first@contoso.test").invitations.exists()


# --- Approval -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "domains", "reason"),
    [
        (99, [], "The organisation has 100 users (100 or more)."),
        (0, [("contoso.test", True, False)], "The organisation has a verified e-mail domain: contoso.test."),
        (0, [("contoso.test", False, True)], "The organisation's domain is claimed: contoso.test."),
    ],
)
def test_approval_is_needed_and_the_customer_waits(world, people, domains, reason):
    org = existing(world, people=people, domains=domains)
    customer = attach(world, org, admin_email="admin@contoso.test")
    assert customer.status == CustomerStatus.PROVISIONING
    assert customer.attach_state == AttachState.PENDING_APPROVAL
    assert customer.provisioned_at is None and not customer.org.locations.exists()
    request = customer.attach_request
    assert request.state == AttachRequestState.PENDING and request.partner == world.acme
    assert request.reasons == [reason] and request.packages == ["webex_calling"]
    assert AuditEvent.objects.get(action="customer.attach_request").acting_org == org
    # Provisioning running again (a retried task) still waits and asks nothing twice.
    assert svc.attach_gate(customer=customer) is False
    assert AuditEvent.objects.filter(action="customer.attach_request").count() == 1


def admin_of(org):
    return fresh(user_get_by_email(email="admin@contoso.test"))


def test_the_admin_approves_and_provisioning_resumes(world, django_capture_on_commit_callbacks):
    org = existing(world, domains=[("contoso.test", True, True)], licences=[("Calling", 5, "active")])
    customer = attach(world, org)
    with django_capture_on_commit_callbacks(execute=True):
        svc.attach_request_approve(actor=admin_of(org), customer=customer)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.attach_state == AttachState.APPROVED
    assert customer.partner_access == PartnerAccess.FULL_ADMIN  # granted by the administrator
    assert customer.restricted_by_partner is False
    request = customer.attach_request
    assert request.state == AttachRequestState.APPROVED and request.decided_by == admin_of(org)
    assert AuditEvent.objects.get(action="customer.attach_approve").actor == admin_of(org)
    with pytest.raises(ValidationError, match="no wholesale request waiting"):
        svc.attach_request_decline(actor=admin_of(org), customer=customer)


def test_the_admin_declines_and_onboarding_stops_with_a_clear_error(world):
    org = existing(world, domains=[("contoso.test", True, False)])
    customer = attach(world, org)
    svc.attach_request_decline(actor=admin_of(org), customer=customer, note="We did not order this.")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR
    assert customer.attach_state == AttachState.DECLINED
    assert customer.errors == [
        {
            "errorCode": ErrorCode.ATTACH_DECLINED,
            "description": "The organisation's administrator declined the request to add wholesale services: "
            "We did not order this.",
        }
    ]
    assert customer.attach_request.note == "We did not order this."
    assert AuditEvent.objects.get(action="customer.attach_decline").after["status"] == CustomerStatus.ERROR
    assert svc.attach_gate(customer=customer) is False  # a retried task does not go ahead either


def test_only_the_organisations_full_admin_decides(world):
    org = existing(world, domains=[("contoso.test", True, False)])
    customer = attach(world, org)
    reader = user_get_by_email(email="user0@contoso.test")  # a person of the organisation, no role
    for person in (world.acme_admin, world.operator, world.blue_admin, reader):
        with pytest.raises(PermissionDenied):
            svc.attach_request_approve(actor=fresh(person), customer=customer)
        with pytest.raises(PermissionDenied):
            svc.attach_request_decline(actor=fresh(person), customer=customer)
    customer.refresh_from_db()
    assert customer.attach_state == AttachState.PENDING_APPROVAL


def test_another_partner_cannot_attach_once_the_organisation_is_taken(world):
    org = existing(world)
    attach(world, org)
    with pytest.raises(ConflictError):
        attach(world, org, partner=world.globex, actor=world.globex_admin, admin_email="x@contoso.test")


# --- The Control Hub page -----------------------------------------------------------------------------------


def test_the_overview_shows_a_banner_while_a_request_waits(world, page_client):
    org = existing(world, domains=[("contoso.test", True, False)])
    attach(world, org)
    client = page_client(admin_of(org))
    response = client.get(reverse("control:overview", kwargs={"org_id": org.webex_id}))
    assert b'data-testid="attach-request-banner"' in response.content
    assert b"Acme Telecom" in response.content
    assert reverse("control:attach_request", kwargs={"org_id": org.webex_id}).encode() in response.content
    # Nobody else's overview has it.
    response = page_client(world.blue_admin).get(
        reverse("control:overview", kwargs={"org_id": world.blue_harbor.org.webex_id})
    )
    assert b"attach-request-banner" not in response.content


def test_the_request_page_approves(world, page_client, django_capture_on_commit_callbacks):
    org = existing(world, domains=[("contoso.test", True, False)])
    customer = attach(world, org)
    client = page_client(admin_of(org))
    url = reverse("control:attach_request", kwargs={"org_id": org.webex_id})
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Acme Telecom" in content and "verified e-mail domain: contoso.test" in content
    assert 'data-testid="approve"' in content
    response = client.post(url, {"decision": "maybe"})
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    response = client.get(url)
    assert b'data-testid="approve"' not in response.content and b"attach-decided" in response.content
    assert (
        b"attach-request-banner"
        not in client.get(reverse("control:overview", kwargs={"org_id": org.webex_id})).content
    )


def test_the_request_page_declines(world, page_client):
    org = existing(world, people=120)
    customer = attach(world, org)
    url = reverse("control:attach_request", kwargs={"org_id": org.webex_id})
    response = page_client(admin_of(org)).post(url, {"decision": "decline", "note": "No thanks"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR and customer.attach_state == AttachState.DECLINED


def test_the_request_page_is_for_full_admins(world, page_client):
    org = existing(world, domains=[("contoso.test", True, False)])
    customer = attach(world, org)
    # Outsiders and people without an admin role: 404; a read-only admin: 403 (see below).
    url = reverse("control:attach_request", kwargs={"org_id": org.webex_id})
    plain = fresh(user_get_by_email(email="user0@contoso.test"))
    assert page_client(plain).get(url).status_code == 404  # no role: not even the overview
    assert page_client(world.blue_admin).get(url).status_code == 404
    assert page_client(world.globex_admin).post(url, {"decision": "approve"}).status_code == 404
    # The requesting partner reaches the organisation but never decides its own request.
    assert page_client(world.acme_admin).post(url, {"decision": "approve"}).status_code == 403
    customer.refresh_from_db()
    assert customer.attach_state == AttachState.PENDING_APPROVAL


def test_without_a_request_the_page_says_so(world, page_client):
    url = reverse("control:attach_request", kwargs={"org_id": world.blue_harbor.org.webex_id})
    client = page_client(world.blue_admin)
    response = client.get(url)
    assert response.status_code == 200 and b"No wholesale request" in response.content
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 200
    assert "no wholesale request" in str(response.context["form"].non_field_errors()).lower()
    assert page_client(world.blue_readonly).get(url).status_code == 403


# --- firsthour: the state shown is the state that holds (issue 12, item 1) --------------------------------


def test_waiting_for_approval_is_its_own_status_and_the_mode_stays_off(world, page_client):
    org = existing(world, people=0, domains=[("contoso.test", True, False)])
    customer = attach(world, org, admin_email="admin@contoso.test")
    assert customer.attach_state == AttachState.PENDING_APPROVAL
    # The approval page promises "Restricted-by-partner mode stays off": it is off while waiting, too.
    assert customer.restricted_by_partner is False
    assert customer.shown_status == ("pending_customer_approval", "Waiting for customer approval")
    assert customer.status == CustomerStatus.PROVISIONING  # the API's Webex status is unchanged

    partner = page_client(world.acme_admin)
    listing = partner.get(reverse("partner:customer_list", kwargs={"org_id": world.acme.webex_id}))
    body = listing.content.decode()
    assert "Waiting for customer approval" in body
    panel = partner.get(
        reverse(
            "partner:customer_detail",
            kwargs={"org_id": world.acme.webex_id, "customer_id": customer.webex_id},
        )
    ).content.decode()
    assert "Waiting for customer approval" in panel and 'data-enabled="off"' in panel

    control = page_client(admin_of(org)).get(reverse("control:overview", kwargs={"org_id": org.webex_id}))
    assert "restricts" not in control.content.decode()
