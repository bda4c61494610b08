"""Onboarding template services: the guide's rules, who may, the audit, and the wholesale subscription."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.onboarding.models import AuthMode, OnboardingTemplate
from apps.onboarding.selectors import template_get, templates_list
from apps.onboarding.services import template_create, template_delete, template_update, template_validate
from apps.partners.selectors import partner_settings_of, partner_subscription_id
from apps.partners.services import partner_create


@pytest.fixture
def created(world):
    """The templates this test made (the world brings one per partner)."""
    before = set(OnboardingTemplate.objects.values_list("pk", flat=True))
    return lambda: OnboardingTemplate.objects.exclude(pk__in=before)


def make(world, **overrides):
    values = {"name": "Small business", "country": "US", "language": "en_US"} | overrides
    actor = values.pop("actor", world.acme_admin)
    partner = values.pop("partner", world.acme)
    return template_create(actor=actor, partner=partner, **values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- the wholesale subscription ---------------------------------------------------------------------------


def test_every_top_level_partner_gets_a_subscription_and_a_subpartner_shares_its_parents(world):
    acme_sub = partner_settings_of(org=world.acme).wholesale_subscription_id
    assert re.fullmatch(r"Sub\d{9}", acme_sub)
    assert re.fullmatch(r"Sub\d{9}", partner_settings_of(org=world.globex).wholesale_subscription_id)
    assert acme_sub != partner_settings_of(org=world.globex).wholesale_subscription_id
    assert partner_settings_of(org=world.northwind).wholesale_subscription_id == ""
    assert partner_subscription_id(partner=world.acme) == acme_sub
    assert partner_subscription_id(partner=world.northwind) == acme_sub


def test_a_template_takes_the_partners_subscription_by_default(world):
    template = make(world)
    assert template.subscription_id == partner_subscription_id(partner=world.acme)


def test_a_subpartners_template_uses_the_parents_shared_subscription(world):
    template = make(world, actor=world.northwind_admin, partner=world.northwind, name="Reseller SMB")
    assert template.subscription_id == partner_subscription_id(partner=world.acme)
    explicit = make(
        world,
        actor=world.northwind_admin,
        partner=world.northwind,
        name="Explicit",
        subscription_id=partner_subscription_id(partner=world.acme),
    )
    assert explicit.subscription_id == template.subscription_id


def test_a_subscription_of_another_partner_is_refused(world, created):
    with pytest.raises(ValidationError) as excinfo:
        make(world, subscription_id=partner_subscription_id(partner=world.globex))
    assert "subscription_id" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        make(world, actor=world.northwind_admin, partner=world.northwind, subscription_id="Sub000000000")
    assert "parent" in errors_of(excinfo)["subscription_id"][0]
    assert not created().exists()


# --- creating -----------------------------------------------------------------------------------------------


def test_create_normalises_stores_and_audits(world):
    template = make(world, name="  SMB US  ", country="us", language="EN-gb", extension_length=5)
    assert (template.name, template.country, template.language, template.extension_length) == (
        "SMB US",
        "US",
        "en_GB",
        5,
    )
    assert template.auth_mode == AuthMode.WEBEX and template.send_admin_invite_email
    assert template.voicemail_enabled and not template.allow_admin_invite_on_attach
    assert len(template.provisioning_id) > 20
    event = AuditEvent.objects.get(action="template.create", target_id=str(template.pk))
    assert event.actor == world.acme_admin and event.acting_org == world.acme
    assert event.after["provisioning_id"] == template.provisioning_id


def test_a_bare_language_is_accepted(world):
    assert make(world, language="fr").language == "fr"


def test_provisioning_ids_are_unique_and_opaque(world):
    ids = {make(world, name=f"T{n}").provisioning_id for n in range(5)}
    assert len(ids) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9]+", i) for i in ids)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"country": "USA"}, "country"),
        ({"language": "xx"}, "language"),
        ({"language": "en_ZZ"}, "language"),
        ({"language": ""}, "language"),
        ({"auth_mode": "ldap"}, "auth_mode"),
        ({"auth_mode": AuthMode.PARTNER_SAML}, "idp_entity_id"),
        ({"auth_mode": AuthMode.PARTNER_OIDC}, "idp_name"),
        ({"pstn_vendor": "Nobody Telecom"}, "pstn_vendor"),
        ({"extension_length": 1}, "extension_length"),
        ({"extension_length": 7}, "extension_length"),
        ({"extension_length": "four"}, "extension_length"),
        ({"extension_length": True}, "extension_length"),
        ({"voicemail_enabled": "yes"}, "voicemail_enabled"),
    ],
)
def test_bad_settings_are_field_errors_and_nothing_is_written(world, overrides, field, created):
    audited = AuditEvent.objects.filter(action__startswith="template.").count()
    with pytest.raises(ValidationError) as excinfo:
        make(world, **overrides)
    assert field in errors_of(excinfo)
    assert not created().exists()
    assert AuditEvent.objects.filter(action__startswith="template.").count() == audited


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ValidationError) as excinfo:
        make(world, name="", country="ZZ", language="zz", extension_length=9)
    assert set(errors_of(excinfo)) == {"name", "country", "language", "extension_length"}


def test_names_are_unique_per_partner_whatever_the_case(world):
    make(world, name="SMB")
    with pytest.raises(ValidationError) as excinfo:
        make(world, name="smb")
    assert "already exists" in errors_of(excinfo)["name"][0]
    make(world, actor=world.globex_admin, partner=world.globex, name="SMB")  # another partner's is fine


def test_sso_modes_keep_only_their_own_idp_setting(world):
    saml = make(
        world, name="SAML", auth_mode=AuthMode.PARTNER_SAML, idp_entity_id="https://idp/e", idp_name="x"
    )
    assert (saml.idp_entity_id, saml.idp_name) == ("https://idp/e", "")
    oidc = make(world, name="OIDC", auth_mode=AuthMode.PARTNER_OIDC, idp_name="Okta", idp_entity_id="y")
    assert (oidc.idp_entity_id, oidc.idp_name) == ("", "Okta")


# --- who may ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["acme_admin", "acme_wholesale"])
def test_partner_full_and_wholesale_admins_manage_templates(world, who):
    make(world, actor=getattr(world, who))


def test_a_parent_partner_admin_manages_its_indirect_providers_templates(world):
    template = make(world, actor=world.acme_admin, partner=world.northwind)
    assert template.partner == world.northwind


@pytest.mark.parametrize(
    ("who", "partner"),
    [
        ("acme_readonly", "acme"),
        ("acme_partner_admin", "acme"),
        ("globex_admin", "acme"),
        ("northwind_admin", "acme"),
        ("blue_admin", "acme"),
        ("operator", "acme"),
    ],
)
def test_others_may_not(world, who, partner):
    with pytest.raises(PermissionDenied):
        make(world, actor=getattr(world, who), partner=getattr(world, partner))
    template = make(world, name="Existing")
    with pytest.raises(PermissionDenied):
        template_update(actor=getattr(world, who), template=template, name="Renamed")
    with pytest.raises(PermissionDenied):
        template_delete(actor=getattr(world, who), template=template)
    with pytest.raises(PermissionDenied):
        template_validate(actor=getattr(world, who), partner=world.acme, name="x")
    template.refresh_from_db()
    assert template.name == "Existing"


def test_template_get_is_404_outside_the_partner_or_the_scope(world):
    template = make(world)
    pid = template.provisioning_id
    assert template_get(actor=world.acme_readonly, partner=world.acme, template_id=pid) == template
    for actor, partner in [(world.globex_admin, world.globex), (world.globex_admin, world.acme)]:
        with pytest.raises(Http404):
            template_get(actor=actor, partner=partner, template_id=pid)
    for bad in ["", "nope", "x" * 500]:
        with pytest.raises(Http404):
            template_get(actor=world.acme_admin, partner=world.acme, template_id=bad)


def test_the_list_counts_customers_and_searches(world):
    make(world, name="Alpha")
    make(world, name="Beta")
    rows = list(templates_list(actor=world.acme_admin, partner=world.acme, search="alp"))
    assert [(t.name, t.customer_count) for t in rows] == [("Alpha", 0)]
    assert list(templates_list(actor=world.globex_admin, partner=world.acme)) == []


# --- updating and deleting ----------------------------------------------------------------------------------


def test_update_changes_only_what_it_names_and_audits_the_difference(world):
    template = make(world)
    template_update(actor=world.acme_wholesale, template=template, extension_length=6, language="de")
    template.refresh_from_db()
    assert (template.extension_length, template.language, template.name) == (6, "de", "Small business")
    event = AuditEvent.objects.get(action="template.update")
    assert event.before == {"language": "en_US", "extension_length": 4}
    assert event.after == {"language": "de", "extension_length": 6}


def test_an_update_changing_nothing_writes_no_audit(world):
    template = make(world)
    template_update(actor=world.acme_admin, template=template, name="Small business")
    assert not AuditEvent.objects.filter(action="template.update").exists()


def test_a_bad_update_changes_nothing(world):
    template = make(world)
    make(world, name="Other")
    for changes in [{"name": "other"}, {"auth_mode": AuthMode.PARTNER_SAML}, {"partner": world.globex}]:
        with pytest.raises(ValidationError):
            template_update(actor=world.acme_admin, template=template, **changes)
    template.refresh_from_db()
    assert (template.name, template.auth_mode, template.partner) == ("Small business", "webex", world.acme)
    assert not AuditEvent.objects.filter(action="template.update").exists()


def test_switching_sso_mode_drops_the_stale_idp(world):
    template = make(world, auth_mode=AuthMode.PARTNER_SAML, idp_entity_id="urn:idp")
    template_update(actor=world.acme_admin, template=template, auth_mode=AuthMode.WEBEX)
    template.refresh_from_db()
    assert (template.auth_mode, template.idp_entity_id) == ("webex", "")


def test_the_name_may_keep_its_own_value_on_update(world):
    template = make(world, name="SMB")
    template_update(actor=world.acme_admin, template=template, name="SMB", country="GB")
    template.refresh_from_db()
    assert template.country == "GB"


def test_delete_is_audited(world, created):
    template = make(world)
    template_delete(actor=world.acme_admin, template=template)
    assert not created().exists()
    event = AuditEvent.objects.get(action="template.delete")
    assert event.before["name"] == "Small business" and event.acting_org == world.acme


def test_a_partner_created_later_gets_its_own_subscription(world):
    org = partner_create(actor=world.operator, name="Initrode", admin_email="admin@initrode.test")
    assert re.fullmatch(r"Sub\d{9}", partner_subscription_id(partner=org))
