"""The permission function, four ways (NetBox): anonymous, without permission, with permission, and with a
permission constrained to one object (the other must 404). The table below is the specification: every
persona of the world against every organisation of it, exactly the actions ``may`` allows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.permissions import Action, may
from apps.accounts.selectors import (
    children_visible_q,
    orgs_visible_to,
    sees_all_customers_of,
    user_get_by_email,
    visible_orgs_q,
)
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customer_get, customer_scoped
from apps.partners.services import partner_create
from tests.conftest import fresh
from tests.factories import provision_customer

A = Action
OV, OM, AV, AM, AU = A.ORG_VIEW, A.ORG_MANAGE, A.ADMINS_VIEW, A.ADMINS_MANAGE, A.AUDIT_VIEW
TM, CV, CC, SV = A.TOKENS_MANAGE, A.CUSTOMERS_VIEW, A.CUSTOMER_CREATE, A.SUBPARTNERS_VIEW
UV, UM, UP, PM = A.USERS_VIEW, A.USERS_MANAGE, A.USERS_PROVISION, A.PARTNERS_MANAGE
TE, WM, SR, AA = A.TEMPLATES_MANAGE, A.WHOLESALE_MANAGE, A.SCREENING_REVIEW, A.ATTACH_APPROVE
NM = A.NUMBERS_MANAGE
# issue 13: branding, and one action per control of the restricted-mode registry.
BR, SST = A.BRANDING_MANAGE, A.SERVICES_STATUS_VIEW
ORG_SETTINGS = {
    A.COMPANY_NAME_MANAGE,
    A.DOMAINS_MANAGE,
    A.EMAIL_SETTINGS_MANAGE,
    A.AUTH_SETTINGS_MANAGE,
    A.SERVICES_MANAGE,
    A.CALL_PRIORITY_MANAGE,
    A.CALLING_BEHAVIOR_MANAGE,
    A.PSTN_MANAGE,
    A.PSTN_OPTIONS_MANAGE,
    A.CALL_RECORDING_MANAGE,
    A.LOCATION_CALLING_SETUP,
}
USER_CONTROLS = {A.USERS_CLAIM, A.AUTO_ASSIGN_MANAGE, A.DIRECTORY_SYNC_MANAGE, A.PRIMARY_NUMBER_MANAGE}
WP = A.WHOLESALE_PRECHECK  # the Pre-Provisioning Check API: partner full admins only
CR, UR, SM = A.CUSTOMER_REMOVE, A.USERS_REMOVE, A.SUBPARTNERS_MANAGE
BV, BM, BO = A.BILLING_VIEW, A.BILLING_MANAGE, A.BILLING_OPERATE  # billing (issue 10)

CONTROL_READ = {OV, AV, AU, UV, SST}
CONTROL_ALL = CONTROL_READ | {OM, AM, UM, UP, UR, NM, BR} | ORG_SETTINGS | USER_CONTROLS
# A customer's own full admin also answers wholesale attach requests; restricted-by-partner mode (on for every
# customer of the world) takes adding users and changing packages away from customer admins, and the number
# inventory is always the partner's.
# Nor do they hold the registry's other controls under the mode, nor branding unless the partner allows it.
CUSTOMER_FULL = (CONTROL_ALL - {UP, UR, NM, BR, SST} - ORG_SETTINGS - USER_CONTROLS) | {AA}
PARTNER_ON_CUSTOMER = CONTROL_ALL | {WM, CR}  # partners manage the customer's wholesale services too
PLATFORM_READ = {OV, AV, AU, CV, UV, SV}
# Full admin + partner full admin + wholesale admin (a partner's first administrator) in their own partner.
PARTNER_FULL = {OV, OM, AV, AM, AU, TM, CV, CC, TE, WP, BV, BM, BR}
TOP_PARTNER_FULL = PARTNER_FULL | {SV, SM}  # ... of a top-level partner: it has indirect providers
INDIRECT_PROVIDER = {OV, AV, AU, CV, CC, TE, WP}  # a parent's partner full + wholesale admin in a sub-partner

ORGS = ("platform", "acme", "northwind", "globex", "blue_harbor", "cedar_pine", "riverside", "initech")

# persona → {organisation → the actions allowed}; an organisation left out allows nothing.
EXPECTED: dict[str, dict[str, set[Action]]] = {
    "anonymous": {},
    "operator": {"platform": PLATFORM_READ | {AM, PM, SR, BO}}
    | {o: PLATFORM_READ for o in ORGS if o != "platform"}
    | {o: PLATFORM_READ | {SM} for o in ("acme", "globex")},  # sets up and suspends their sub-partners
    "acme_admin": {
        "acme": TOP_PARTNER_FULL,
        "blue_harbor": PARTNER_ON_CUSTOMER,
        "cedar_pine": PARTNER_ON_CUSTOMER,
        "northwind": INDIRECT_PROVIDER,  # partner full admin + wholesale admin reach the indirect provider
        "riverside": PARTNER_ON_CUSTOMER,  # ... and its customers
    },
    "acme_readonly": {
        "acme": {OV, AV, AU, TM, CV, BV},  # tokens.manage: personal tokens, never more than the person may
        "blue_harbor": CONTROL_READ,
        "cedar_pine": CONTROL_READ,
    },
    "acme_partner_admin": {
        "acme": {OV, TM, CV, CC},
        "blue_harbor": PARTNER_ON_CUSTOMER,  # assigned; Cedar & Pine is not
    },
    "acme_wholesale": {
        "acme": {OV, TM, CV, CC, SV, TE, WP, BV, BM, BR},
        "blue_harbor": PARTNER_ON_CUSTOMER,
        "cedar_pine": PARTNER_ON_CUSTOMER,
        "northwind": INDIRECT_PROVIDER,
        "riverside": PARTNER_ON_CUSTOMER,
    },
    "northwind_admin": {"northwind": PARTNER_FULL, "riverside": PARTNER_ON_CUSTOMER},  # never parent/Globex
    "globex_admin": {"globex": TOP_PARTNER_FULL, "initech": PARTNER_ON_CUSTOMER},
    "blue_admin": {"blue_harbor": CUSTOMER_FULL},
    "blue_readonly": {"blue_harbor": CONTROL_READ - {SST}},
    "blue_user_admin": {"blue_harbor": {OV, UV, UM}},
    "blue_support": {"blue_harbor": {OV, AU, UV}},
    "cedar_admin": {"cedar_pine": CUSTOMER_FULL},
    "riverside_admin": {"riverside": CUSTOMER_FULL},
    "initech_admin": {"initech": CUSTOMER_FULL},
}


def org_of(world, name: str) -> Organization:
    value = getattr(world, name)
    return value if isinstance(value, Organization) else value.org


def actor_of(world, persona: str):
    return AnonymousUser() if persona == "anonymous" else fresh(getattr(world, persona))


def effective(actor, org) -> set[Action]:
    return {a for a in Action if may(actor, a, org)}


def test_the_table_names_every_persona(world):
    personas = {name for name, value in vars(world).items() if isinstance(value, User)}
    assert personas | {"anonymous"} == set(EXPECTED)


@pytest.mark.parametrize("persona", EXPECTED)
def test_may_matches_the_table(world, persona):
    actor = actor_of(world, persona)
    allowed = {org: effective(actor, org_of(world, org)) for org in ORGS}
    expected = {org: EXPECTED[persona].get(org, set()) for org in ORGS}
    assert allowed == expected


def test_four_ways_on_managing_a_customer(world):
    blue, cedar = world.blue_harbor.org, world.cedar_pine.org
    # anonymous
    assert not may(AnonymousUser(), OV, blue)
    # without permission: sees, cannot manage
    readonly = fresh(world.acme_readonly)
    assert may(readonly, OV, blue) and not may(readonly, AM, blue) and not may(readonly, OM, blue)
    # with permission
    assert may(fresh(world.acme_admin), AM, blue) and may(fresh(world.acme_admin), AM, cedar)
    # constrained to one object: the other is not even visible
    partner_admin = fresh(world.acme_partner_admin)
    assert may(partner_admin, AM, blue) and not may(partner_admin, OV, cedar)
    assert set(orgs_visible_to(actor=partner_admin)) == {world.acme, blue}


def test_a_subpartner_never_sees_upwards_or_sideways(world):
    sibling = partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="admin@southwind.test"
    )
    sibling_customer = provision_customer(
        actor=user_get_by_email(email="admin@southwind.test"),
        partner=sibling,
        name="Sunrise Florist",
        admin_email="admin@sunrise.test",
    )
    northwind_admin = fresh(world.northwind_admin)
    for org in (
        world.acme,
        world.blue_harbor.org,
        world.globex,
        world.platform,
        sibling,
        sibling_customer.org,
    ):
        assert effective(northwind_admin, org) == set(), org.name
    assert set(orgs_visible_to(actor=northwind_admin)) == {world.northwind, world.riverside.org}
    # ... while the parent's partner full + wholesale admin reaches both sub-partners and their customers.
    acme_admin = fresh(world.acme_admin)
    assert may(acme_admin, AV, sibling) and may(acme_admin, UM, sibling_customer.org)


def test_visibility_and_may_agree_everywhere(world):
    """``org in orgs_visible_to(actor)`` ⇔ ``may(actor, org.view, org)``, for every persona and every person
    of the world (subscribers included) against every organisation in the database."""
    partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="admin@southwind.test"
    )
    orgs = list(Organization.objects.select_related("parent"))
    actors = [AnonymousUser(), *User.objects.select_related("org")]
    assert len(actors) > len(EXPECTED)  # personas and subscribers
    disagreements = []
    for actor in actors:
        visible = set(orgs_visible_to(actor=actor))
        for org in orgs:
            if (org in visible) != may(actor, OV, org):
                disagreements.append(f"{actor} / {org}: visible={org in visible}")
    assert not disagreements, "\n".join(disagreements)


def test_children_visible_q_is_orgs_visible_to_under_each_parent(world):
    """``children_visible_q`` (the wholesale lists' scope, worked out from the roles) selects exactly
    ``orgs_visible_to`` under a parent, for every persona and every person of the world against every
    organisation as the parent, read directly and from a model that points at organisations (Customer)."""
    partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="admin@southwind.test"
    )
    parents = list(Organization.objects.select_related("parent"))
    actors = [AnonymousUser(), *User.objects.select_related("org")]
    assert len(actors) > len(EXPECTED)
    disagreements = []
    for actor in actors:
        visible = set(orgs_visible_to(actor=actor).values_list("id", flat=True))
        for parent in parents:
            expected = {pk for pk in visible if pk in {o.id for o in parents if o.parent_id == parent.id}}
            direct = set(
                Organization.objects.filter(children_visible_q(actor=actor, parent=parent)).values_list(
                    "id", flat=True
                )
            )
            through = set(
                Customer.objects.filter(
                    children_visible_q(actor=actor, parent=parent, path="org__")
                ).values_list("org_id", flat=True)
            )
            customers = set(Customer.objects.filter(org_id__in=expected).values_list("org_id", flat=True))
            if direct != expected or through != customers:
                disagreements.append(f"{actor} / {parent}: {len(direct)}, {len(through)} != {len(expected)}")
    assert not disagreements, "\n".join(disagreements)


def test_visible_orgs_q_is_orgs_visible_to_from_a_model_that_points_at_organisations(world):
    """``visible_orgs_q`` (the scope of one customer read by its id, as columns) selects the customers of
    exactly the organisations ``orgs_visible_to`` holds, for everyone of the world and the anonymous."""
    actors = [AnonymousUser(), *User.objects.select_related("org")]
    disagreements = []
    for actor in actors:
        visible = set(orgs_visible_to(actor=actor).values_list("id", flat=True))
        expected = set(Customer.objects.filter(org_id__in=visible).values_list("id", flat=True))
        through = set(
            Customer.objects.filter(visible_orgs_q(actor=actor, path="org__")).values_list("id", flat=True)
        )
        if through != expected:
            disagreements.append(f"{actor}: {len(through)} != {len(expected)}")
    assert not disagreements, "\n".join(disagreements)


def test_the_compiled_customer_scope_is_the_scoping_selectors(world):
    """``customers.selectors.customer_scoped`` (one customer by its id, its SQL compiled once per reach of an
    actor and scope named) answers a customer exactly when ``customer_get`` does, for everyone of the world
    and the anonymous, every customer, without and with the partner and organisation a call names; locked
    or read, and an id that is no customer's is nobody's."""
    partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="admin@southwind.test"
    )
    actors = [AnonymousUser(), *User.objects.select_related("org")]
    customers = list(Customer.objects.select_related("org__parent"))
    disagreements = []
    for actor in actors:
        for customer in customers:
            for partner, org in ((None, None), (customer.org.parent, None), (world.globex, customer.org)):
                try:
                    expected = [
                        customer_get(actor=actor, customer_id=customer.webex_id, partner=partner, org=org)
                    ]
                except Http404:
                    expected = []
                scoped = customer_scoped(actor=actor, customer_id=customer.webex_id, partner=partner, org=org)
                read = [row.pk for row in scoped.rows()]
                if read != [c.pk for c in expected] or scoped.share_locked_pks() != read:
                    disagreements.append(f"{actor} / {customer} / {partner} / {org}: {read} != {expected}")
        nobody = customer_scoped(actor=actor, customer_id=world.acme.webex_id)  # an organisation's id
        assert nobody.rows() == [] and nobody.share_locked_pks() == []
    assert not disagreements, "\n".join(disagreements)


@pytest.mark.parametrize(
    ("persona", "hub", "org", "status"),
    [
        ("acme_readonly", "partner", "acme", 403),  # sees the page, may not invite
        ("globex_admin", "partner", "acme", 404),  # does not know Acme exists
        ("northwind_admin", "partner", "acme", 404),
        ("acme_admin", "partner", "acme", 302),
        ("blue_readonly", "control", "blue_harbor", 403),
        ("cedar_admin", "control", "blue_harbor", 404),
        ("acme_partner_admin", "control", "blue_harbor", 302),
        ("acme_partner_admin", "control", "cedar_pine", 404),
    ],
)
def test_inviting_an_administrator_403_or_404(world, page_client, persona, hub, org, status):
    target = org_of(world, org)
    role = "read_only_admin"
    url = reverse(f"{hub}:admin_list", kwargs={"org_id": target.webex_id})
    response = page_client(getattr(world, persona)).post(
        url, {"email": "new.admin@example.test", "roles": role}
    )
    assert response.status_code == status
    invited = user_get_by_email(email="new.admin@example.test")
    assert (invited is not None) == (status == 302)
    if invited:
        assert invited.org == target


def test_seeing_all_customers_of_a_partner_is_what_visibility_says(world):
    """``sees_all_customers_of`` (the customer lists' shortcut past the scope) holds only when
    ``orgs_visible_to`` holds every customer of the partner (with ``indirect``, of its indirect providers
    too), for every person of the world and every partner; and the partner's own admins are such people.
    (The indirect providers' list is scoped by ``children_visible_q``, held to ``orgs_visible_to`` above.)"""
    orgs = list(Organization.objects.select_related("parent__parent"))
    partners = [org for org in orgs if org.is_partner]
    actors = [AnonymousUser(), *User.objects.select_related("org")]
    for actor in actors:
        visible = set(orgs_visible_to(actor=actor))
        for partner in partners:
            direct = {o for o in orgs if o.is_customer and o.parent_id == partner.id}
            indirect = {o for o in orgs if o.is_customer and o.parent and o.parent.parent_id == partner.id}
            if sees_all_customers_of(actor=actor, partner=partner):
                assert direct <= visible, f"{actor} / {partner}"
            if sees_all_customers_of(actor=actor, partner=partner, indirect=True):
                assert direct | indirect <= visible, f"{actor} / {partner}: indirect"
    acme = world.acme
    assert sees_all_customers_of(actor=fresh(world.acme_admin), partner=acme, indirect=True)
    assert sees_all_customers_of(actor=fresh(world.acme_readonly), partner=acme)
    assert not sees_all_customers_of(actor=fresh(world.acme_partner_admin), partner=acme)  # assigned ones
    assert world.riverside.org.parent.parent_id == acme.id  # Acme has an indirect customer to see
