"""Control Hub organisation settings: company name, e-mail settings, authentication, services, Webex
Assistant, and domains (add, verify by a DNS TXT record, claim). Each service asks the permission function for
its own action — the one the restricted-mode registry takes from customer admins — validates before writing
and audits."""

import re
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, Errors, refuse, text
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.core.validators import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from apps.customers.dns import txt_records
from apps.customers.models import Customer, OrgAuthMode, OrgDomain, OrgSettings
from apps.customers.selectors import org_settings_of
from apps.packages.catalogue import enables_webex_assistant
from apps.packages.locales import SUPPORTED_LOCALES

TXT_PREFIX = "wholesalehub-site-verification="
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SETTINGS_FIELDS = (
    "email_locale",
    "suppress_admin_invite_email",
    "auth_mode",
    "webex_assistant_off",
    "migrations_enabled",
    "connected_uc_enabled",
)


def _snapshot(settings: OrgSettings) -> dict:
    return {name: getattr(settings, name) for name in _SETTINGS_FIELDS}


def _settings_update(*, actor, org: Organization, action: Action, audit: str, **changes) -> OrgSettings:
    require(actor, action, org)
    settings = org_settings_of(org=org, for_update=True)
    before = _snapshot(settings)
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    audit_record(
        actor=actor, acting_org=org, action=audit, target=settings, before=before, after=_snapshot(settings)
    )
    return settings


@transaction.atomic
def company_name_update(*, actor, org: Organization, name) -> Organization:
    require(actor, Action.COMPANY_NAME_MANAGE, org)
    name = text(name)
    if not name or len(name) > 255 or "%" in name:
        refuse("name", ErrorCode.NAME_INVALID, _("Give a company name of 1 to 255 characters, without “%”."))
    if has_unsafe_characters(name):  # the rule of every other name a person types (customers, users, sites)
        refuse("name", ErrorCode.NAME_INVALID, UNSAFE_CHARACTERS_MESSAGE)
    before = org.name
    org.name = name
    org.save(update_fields=["name", "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action="org.rename",
        target=org,
        before={"name": before},
        after={"name": name},
    )
    return org


@transaction.atomic
def email_settings_update(
    *, actor, org: Organization, email_locale, suppress_admin_invite_email: bool
) -> OrgSettings:
    locale = text(email_locale)
    if locale and locale not in SUPPORTED_LOCALES:
        refuse("email_locale", ErrorCode.LANGUAGE_UNSUPPORTED, _("Choose one of the supported languages."))
    return _settings_update(
        actor=actor,
        org=org,
        action=Action.EMAIL_SETTINGS_MANAGE,
        audit="org.email_settings",
        email_locale=locale,
        suppress_admin_invite_email=bool(suppress_admin_invite_email),
    )


def sign_in_choices(*, customer: Customer | None) -> list[str]:
    """Webex always; single sign-on only with the identity provider the onboarding template named."""
    chosen = (customer.template_settings or {}) if customer else {}
    sso = chosen.get("auth_mode") if chosen.get("idp_name") or chosen.get("idp_entity_id") else None
    return [OrgAuthMode.WEBEX, *([sso] if sso in OrgAuthMode.values and sso != OrgAuthMode.WEBEX else [])]


@transaction.atomic
def auth_settings_update(*, actor, org: Organization, auth_mode) -> OrgSettings:
    customer = Customer.objects.filter(org=org).first()
    if auth_mode not in sign_in_choices(customer=customer):
        refuse(
            "auth_mode",
            ErrorCode.SETTING_INVALID,
            _("Choose Webex, or the single sign-on your partner set up."),
        )
    return _settings_update(
        actor=actor,
        org=org,
        action=Action.AUTH_SETTINGS_MANAGE,
        audit="org.authentication",
        auth_mode=auth_mode,
    )


@transaction.atomic
def services_settings_update(
    *, actor, org: Organization, migrations_enabled: bool, connected_uc_enabled: bool
):
    return _settings_update(
        actor=actor,
        org=org,
        action=Action.SERVICES_MANAGE,
        audit="org.services",
        migrations_enabled=bool(migrations_enabled),
        connected_uc_enabled=bool(connected_uc_enabled),
    )


@transaction.atomic
def webex_assistant_set(*, actor, org: Organization, enabled: bool) -> Customer:
    """Partner and customer admins may turn Webex Assistant off (and back on, where the packages include
    it: Meetings and Suite). Not a restricted control."""
    require(actor, Action.ORG_MANAGE, org)
    customer = Customer.objects.select_for_update().get(org=org)
    codes = list(customer.packages.values_list("code", flat=True))
    if enabled and not enables_webex_assistant(codes):
        refuse(
            "enabled",
            ErrorCode.PACKAGES_INVALID,
            _("Webex Assistant comes with the Meetings and Suite packages."),
        )
    before = customer.webex_assistant_enabled
    customer.webex_assistant_enabled = bool(enabled)
    customer.save(update_fields=["webex_assistant_enabled", "modified"])
    _settings_update(
        actor=actor,
        org=org,
        action=Action.ORG_MANAGE,
        audit="org.webex_assistant",
        webex_assistant_off=not enabled,
    )
    audit_record(
        actor=actor,
        acting_org=org,
        action="customer.webex_assistant",
        target=customer,
        before={"webex_assistant_enabled": before},
        after={"webex_assistant_enabled": customer.webex_assistant_enabled},
    )
    return customer


# --- domains ---


@transaction.atomic
def domain_add(*, actor, org: Organization, name) -> OrgDomain:
    require(actor, Action.DOMAINS_MANAGE, org)
    name = text(name).lower().rstrip(".")
    errors = Errors()
    if not _DOMAIN.match(name):
        errors.add("name", ErrorCode.DOMAIN_INVALID, _("Give a domain name, such as example.com."))
    elif OrgDomain.objects.filter(org=org, name=name).exists():
        errors.add(
            "name",
            ErrorCode.DOMAIN_INVALID,
            _("%(domain)s is already one of your domains.") % {"domain": name},
        )
    errors.raise_if_any()
    domain = OrgDomain.objects.create(org=org, name=name, verification_token=secrets.token_urlsafe(24))
    audit_record(actor=actor, acting_org=org, action="domain.add", target=domain, after={"name": name})
    return domain


@transaction.atomic
def domain_verify(*, actor, domain: OrgDomain) -> OrgDomain:
    """Verified when the domain publishes ``TXT_PREFIX + token`` (through ``settings.DNS_RESOLVER``)."""
    require(actor, Action.DOMAINS_MANAGE, domain.org)
    expected = TXT_PREFIX + domain.verification_token
    if expected not in txt_records(domain.name):
        refuse(
            "name",
            ErrorCode.DOMAIN_NOT_VERIFIED,
            _("No TXT record “%(record)s” was found for %(domain)s. Publish it, wait for DNS, and try again.")
            % {"record": expected, "domain": domain.name},
        )
    domain.verified = True
    domain.save(update_fields=["verified", "modified"])
    audit_record(
        actor=actor, acting_org=domain.org, action="domain.verify", target=domain, after={"verified": True}
    )
    return domain


@transaction.atomic
def domain_claim(*, actor, domain: OrgDomain) -> OrgDomain:
    """A verified domain claimed: its addresses belong to this organisation (no other may claim it)."""
    require(actor, Action.DOMAINS_MANAGE, domain.org)
    if not domain.verified:
        refuse(
            "name",
            ErrorCode.DOMAIN_NOT_VERIFIED,
            _("Verify %(domain)s before you claim it.") % {"domain": domain.name},
        )
    if OrgDomain.objects.filter(name=domain.name, claimed=True).exclude(pk=domain.pk).exists():
        refuse(
            "name",
            ErrorCode.DOMAIN_CLAIMED_ELSEWHERE,
            _("%(domain)s is claimed by another organisation.") % {"domain": domain.name},
        )
    domain.claimed = True
    domain.save(update_fields=["claimed", "modified"])
    audit_record(
        actor=actor, acting_org=domain.org, action="domain.claim", target=domain, after={"claimed": True}
    )
    return domain
