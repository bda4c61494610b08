"""Writes about onboarding templates: create, update, delete — one service each, used by the Partner Hub
pages and by ``/v1/partner/onboardingTemplates``.

A template's settings reach a customer only as the snapshot taken when the customer is onboarded
(``OnboardingTemplate.settings_snapshot``), so editing or deleting a template never changes customers
already onboarded with it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.onboarding.models import (
    CLOUD_CONNECTED_PSTN_VENDORS,
    EXTENSION_LENGTH_MAX,
    EXTENSION_LENGTH_MIN,
    SNAPSHOT_FIELDS,
    AuthMode,
    OnboardingTemplate,
)
from apps.packages.locales import LANGUAGE_LOCALES, SUPPORTED_LOCALES, is_country, normalise_locale
from apps.partners.selectors import partner_subscription_id

# Fields a caller may change with ``template_update``: every setting a customer keeps but the provisioningId.
EDITABLE_FIELDS = tuple(field for field in SNAPSHOT_FIELDS if field != "provisioning_id")
_BOOLEAN_FIELDS = (
    "send_admin_invite_email",
    "allow_admin_invite_on_attach",
    "voicemail_enabled",
    "international_calling",
)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(*, partner: Organization, values: dict[str, Any], instance: OnboardingTemplate | None) -> dict:
    """Every rule of a template, all field errors at once. Returns the values to store."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}

    name = _text(values.get("name"))
    max_name = OnboardingTemplate._meta.get_field("name").max_length
    if not name:
        errors["name"] = _("Enter a name for the template.")
    elif len(name) > max_name:
        errors["name"] = _("Keep the name to %(max)d characters or fewer.") % {"max": max_name}
    else:
        clash = OnboardingTemplate.objects.filter(partner=partner, name__iexact=name)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["name"] = _("A template with this name already exists.")
    cleaned["name"] = name

    effective = partner_subscription_id(partner=partner)
    requested = values.get("subscription_id")
    requested = _text(requested) if requested is not None else ""
    if not effective:
        errors["subscription_id"] = _(
            "This partner has no wholesale subscription yet; ask the platform operator."
        )
    elif requested and requested != effective:
        errors["subscription_id"] = (
            _("Choose the parent partner's shared wholesale subscription.")
            if partner.is_subpartner
            else _("Choose one of this partner's wholesale subscriptions.")
        )
    cleaned["subscription_id"] = effective

    country = _text(values.get("country")).upper()
    if not country:
        errors["country"] = _("Choose the country.")
    elif not is_country(country):
        errors["country"] = _("Choose a country by its two-letter ISO code.")
    cleaned["country"] = country

    language = normalise_locale(_text(values.get("language")))
    if not language:
        errors["language"] = _("Choose the language.")
    elif language not in SUPPORTED_LOCALES and language not in LANGUAGE_LOCALES:
        errors["language"] = _("Choose a supported language or locale (for example en or en_GB).")
    cleaned["language"] = language

    auth_mode = _text(values.get("auth_mode")) or AuthMode.WEBEX
    idp_entity_id = _text(values.get("idp_entity_id"))
    idp_name = _text(values.get("idp_name"))
    if auth_mode not in AuthMode.values:
        errors["auth_mode"] = _("Choose Webex, partner SSO (SAML) or partner SSO (OpenID Connect).")
    elif auth_mode == AuthMode.PARTNER_SAML and not idp_entity_id:
        errors["idp_entity_id"] = _("Enter the IdP entity id from the identity provider's SAML metadata.")
    elif auth_mode == AuthMode.PARTNER_OIDC and not idp_name:
        errors["idp_name"] = _("Enter the IdP name given when the OpenID Connect IdP was set up.")
    if len(idp_entity_id) > 255:
        errors["idp_entity_id"] = _("Keep the IdP entity id to 255 characters or fewer.")
    if len(idp_name) > 255:
        errors["idp_name"] = _("Keep the IdP name to 255 characters or fewer.")
    # Only the field of the chosen mode is kept: switching mode must not leave a stale IdP behind.
    cleaned["auth_mode"] = auth_mode
    cleaned["idp_entity_id"] = idp_entity_id if auth_mode == AuthMode.PARTNER_SAML else ""
    cleaned["idp_name"] = idp_name if auth_mode == AuthMode.PARTNER_OIDC else ""

    pstn_vendor = _text(values.get("pstn_vendor"))
    if pstn_vendor and pstn_vendor not in CLOUD_CONNECTED_PSTN_VENDORS:
        errors["pstn_vendor"] = _("Choose one of the cloud-connected PSTN vendors, or none.")
    cleaned["pstn_vendor"] = pstn_vendor

    extension_length = values.get("extension_length")
    if isinstance(extension_length, bool) or not isinstance(extension_length, int | str):
        extension_length = None
    try:
        extension_length = int(extension_length) if extension_length is not None else None
    except ValueError:
        extension_length = None
    if extension_length is None or not EXTENSION_LENGTH_MIN <= extension_length <= EXTENSION_LENGTH_MAX:
        errors["extension_length"] = _("Choose an extension length from %(min)d to %(max)d digits.") % {
            "min": EXTENSION_LENGTH_MIN,
            "max": EXTENSION_LENGTH_MAX,
        }
    cleaned["extension_length"] = extension_length

    for field in _BOOLEAN_FIELDS:
        value = values.get(field)
        if not isinstance(value, bool):
            errors[field] = _("Choose yes or no.")
        cleaned[field] = value

    if errors:
        raise ValidationError(errors)
    return cleaned


def template_validate(
    *, actor: User, partner: Organization, template: OnboardingTemplate | None = None, **values: Any
) -> dict:
    """Check a template's settings without writing anything (the wizard's steps): the values that would be
    stored, or a ValidationError naming every bad field. ``template``: the one being edited."""
    require(actor, Action.TEMPLATES_MANAGE, partner)
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({field: _("This setting does not exist.") for field in unknown})
    return _clean(partner=partner, values=values, instance=template)


def _audit_view(template: OnboardingTemplate) -> dict:
    return template.settings_snapshot()


@transaction.atomic
def template_create(
    *,
    actor: User,
    partner: Organization,
    name: str,
    country: str,
    language: str,
    auth_mode: str = AuthMode.WEBEX,
    idp_entity_id: str = "",
    idp_name: str = "",
    pstn_vendor: str = "",
    send_admin_invite_email: bool = True,
    allow_admin_invite_on_attach: bool = False,
    extension_length: int = 4,
    voicemail_enabled: bool = True,
    international_calling: bool = False,
    subscription_id: str | None = None,
) -> OnboardingTemplate:
    """A wholesale onboarding template of ``partner``. ``subscription_id`` defaults to the partner's
    effective subscription (its parent's shared one for a sub-partner) and must be that one if given."""
    require(actor, Action.TEMPLATES_MANAGE, partner)
    cleaned = _clean(
        partner=partner,
        values={
            "name": name,
            "subscription_id": subscription_id,
            "country": country,
            "language": language,
            "auth_mode": auth_mode,
            "idp_entity_id": idp_entity_id,
            "idp_name": idp_name,
            "pstn_vendor": pstn_vendor,
            "send_admin_invite_email": send_admin_invite_email,
            "allow_admin_invite_on_attach": allow_admin_invite_on_attach,
            "extension_length": extension_length,
            "voicemail_enabled": voicemail_enabled,
            "international_calling": international_calling,
        },
        instance=None,
    )
    template = OnboardingTemplate.objects.create(partner=partner, **cleaned)
    audit_record(
        actor=actor,
        acting_org=partner,
        action="template.create",
        target=template,
        after=_audit_view(template),
    )
    return template


@transaction.atomic
def template_update(*, actor: User, template: OnboardingTemplate, **changes: Any) -> OnboardingTemplate:
    """Change some settings of a template. Customers already onboarded keep the settings they were
    onboarded with (their snapshot); only customers created afterwards see the change."""
    partner = template.partner
    require(actor, Action.TEMPLATES_MANAGE, partner)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({field: _("This setting cannot be changed.") for field in unknown})
    # Re-read under a lock so two concurrent edits do not interleave.
    template = OnboardingTemplate.objects.select_for_update().get(pk=template.pk)
    before = _audit_view(template)
    values = {field: getattr(template, field) for field in EDITABLE_FIELDS}
    if "subscription_id" not in changes:
        values["subscription_id"] = None  # keep following the partner's effective subscription
    values.update(changes)
    cleaned = _clean(partner=partner, values=values, instance=template)
    changed = [field for field, value in cleaned.items() if getattr(template, field) != value]
    if changed:
        for field in changed:
            setattr(template, field, cleaned[field])
        template.save(update_fields=[*changed, "modified"])
        audit_record(
            actor=actor,
            acting_org=partner,
            action="template.update",
            target=template,
            before={f: before[f] for f in changed},
            after={f: getattr(template, f) for f in changed},
        )
    return template


@transaction.atomic
def template_delete(*, actor: User, template: OnboardingTemplate) -> None:
    """Delete a template. Its customers keep their snapshot of its settings (``Customer.template`` becomes
    empty); its provisioningId stops working for new customers."""
    partner = template.partner
    require(actor, Action.TEMPLATES_MANAGE, partner)
    before = _audit_view(template)
    audit_record(actor=actor, acting_org=partner, action="template.delete", target=template, before=before)
    template.delete()
