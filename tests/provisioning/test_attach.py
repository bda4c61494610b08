"""Attaching wholesale services to an existing organisation (the guide's "Attaching Webex for Wholesale to an
Existing Customer Organization"): which organisations may be attached, when the organisation's administrator
must approve, what the partner becomes, and what stays as it was."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.errors import ErrorCode
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.ids import IdType, encode_id
from apps.core.models import AuditEvent
from apps.customers.models import LicenseStatus, OrgAuthMode
from apps.provisioning.services import attach as svc
from apps.provisioning.services.attach import attach_target, existing_org_create


def existing(world, name="Contoso Ltd", *, people=2, domains=(), licences=(), **facts):
    """An organisation that exists outside wholesale, with its full admin and ``people`` more users."""
    slug = name.split()[0].lower()
    return existing_org_create(
        actor=world.operator,
        name=name,
        admin_email=f"admin@{slug}.test",
        people=[f"user{n}@{slug}.test" for n in range(people)],
        domains=domains,
        licences=licences,
        **facts,
    )


# --- Which organisation may be attached ---------------------------------------------------------------------


def test_an_unmanaged_customer_organisation_is_a_target(world):
    org = existing(world)
    assert attach_target(actor=world.acme_admin, partner=world.acme, org_id=org.webex_id) == org


@pytest.mark.parametrize(
    ("org_id", "code"),
    [
        ("", ErrorCode.ORG_NOT_FOUND),
        ("not-an-id", ErrorCode.ORG_NOT_FOUND),
        (encode_id(IdType.ORGANIZATION, "00000000-0000-0000-0000-000000000000"), ErrorCode.ORG_NOT_FOUND),
        (encode_id(IdType.PEOPLE, "00000000-0000-0000-0000-000000000000"), ErrorCode.ORG_NOT_FOUND),
    ],
)
def test_an_unknown_organisation_is_refused(world, org_id, code):
    with pytest.raises(ApplicationError) as exc:
        attach_target(actor=world.acme_admin, partner=world.acme, org_id=org_id)
    assert exc.value.error_code == code and exc.value.status == 400
    assert "does not exist" in exc.value.message


def test_only_customer_organisations_are_targets(world):
    for org in (world.globex, world.platform, world.northwind):
        with pytest.raises(ApplicationError) as exc:
            attach_target(actor=world.acme_admin, partner=world.acme, org_id=org.webex_id)
        assert exc.value.error_code == ErrorCode.ORG_NOT_CUSTOMER


def test_an_organisation_another_partner_manages_is_a_conflict(world):
    # Initech is Globex's; Riverside is Northwind's (Acme's own indirect provider: still another partner).
    for customer in (world.initech, world.riverside):
        with pytest.raises(ConflictError) as exc:
            attach_target(actor=world.acme_admin, partner=world.acme, org_id=customer.org.webex_id)
        assert exc.value.status == 409 and exc.value.error_code == ErrorCode.ORG_MANAGED_ELSEWHERE
        assert exc.value.message == "This organisation is managed by another partner."


def test_an_organisation_with_wholesale_services_already_is_a_conflict(world):
    with pytest.raises(ConflictError) as exc:
        attach_target(actor=world.acme_admin, partner=world.acme, org_id=world.blue_harbor.org.webex_id)
    assert exc.value.error_code == ErrorCode.ORG_ALREADY_WHOLESALE


def test_broadworks_and_trial_organisations_are_refused(world):
    broadworks = existing(world, "Broad Co", is_broadworks=True)
    trial = existing(world, "Trial Co", is_trial=True)
    with pytest.raises(ApplicationError) as exc:
        attach_target(actor=world.acme_admin, partner=world.acme, org_id=broadworks.webex_id)
    assert exc.value.error_code == ErrorCode.ORG_BROADWORKS and "BroadWorks" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        attach_target(actor=world.acme_admin, partner=world.acme, org_id=trial.webex_id)
    assert exc.value.error_code == ErrorCode.ORG_TRIAL and "Trial" in exc.value.message


def test_only_people_who_create_customers_may_look(world):
    org = existing(world)
    with pytest.raises(PermissionDenied):
        attach_target(actor=world.acme_readonly, partner=world.acme, org_id=org.webex_id)
    with pytest.raises(PermissionDenied):
        attach_target(actor=world.globex_admin, partner=world.acme, org_id=org.webex_id)


# --- The facts the rules look at ----------------------------------------------------------------------------


def test_the_assessment_counts_real_people_and_reads_domains_and_licences(world):
    org = existing(
        world,
        people=98,
        domains=[
            ("contoso.test", True, False),
            ("contoso-mail.test", False, True),
            ("old.test", False, False),
        ],
        licences=[("Meetings", 5, LicenseStatus.SUSPENDED), ("Calling", 2, LicenseStatus.ACTIVE)],
    )
    facts = svc.attach_assess(org=org)
    assert facts.people == 99  # the admin and 98 more
    assert facts.verified_domains == ("contoso.test",)
    assert facts.claimed_domains == ("contoso-mail.test",)
    assert facts.live_licences == 1
    assert facts.reasons == [
        "The organisation has a verified e-mail domain: contoso.test.",
        "The organisation's domain is claimed: contoso-mail.test.",
    ]


@pytest.mark.parametrize(
    ("people", "domains", "approval"),
    [
        (98, [], False),  # 99 users
        (99, [], True),  # 100 users
        (0, [("contoso.test", True, False)], True),
        (0, [("contoso.test", False, True)], True),
        (0, [("contoso.test", False, False)], False),  # a domain neither verified nor claimed
    ],
)
def test_approval_is_needed_from_100_users_or_with_a_verified_or_claimed_domain(
    world, people, domains, approval
):
    org = existing(world, people=people, domains=domains)
    assert bool(svc.attach_assess(org=org).reasons) is approval


@pytest.mark.parametrize(
    ("licences", "access"),
    [
        ([], "full_admin"),
        ([("Meetings", 5, "suspended"), ("Calling", 1, "cancelled")], "full_admin"),
        ([("Meetings", 5, "suspended"), ("Calling", 1, "active")], "provisioning_admin"),
    ],
)
def test_the_partner_is_full_admin_only_when_no_licence_is_live(world, licences, access):
    org = existing(world, licences=licences)
    assert svc.attach_assess(org=org).partner_access == access


def test_recording_an_existing_organisation(world):
    with pytest.raises(PermissionDenied):
        existing_org_create(actor=world.acme_admin, name="Contoso", admin_email="a@contoso.test")
    with pytest.raises(ValidationError):
        existing_org_create(
            actor=world.operator,
            name="Contoso",
            admin_email="a@contoso.test",
            domains=[("not a domain", 1, 0)],
        )
    with pytest.raises(ValidationError):
        existing_org_create(actor=world.operator, name="  ", admin_email="a@contoso.test")
    assert not AuditEvent.objects.filter(action="org.create_existing").exists()
    org = existing(world, auth_mode=OrgAuthMode.SSO_SAML, idp_name="Contoso IdP")
    assert org.parent is None and org.is_customer
    assert org.profile.auth_mode == OrgAuthMode.SSO_SAML
    assert AuditEvent.objects.get(action="org.create_existing").after["people"] == 3
