"""Writes of branding: one service per operation, each checking the permission function, validating every
field before writing any (so a refused request changes nothing) and auditing before/after."""

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.branding.colours import contrast_problems, normalise
from apps.branding.images import LogoRefused, logo_store, logo_validate
from apps.branding.models import BRAND_FIELDS, COLOUR_FIELDS, LOGO_FIELDS, URL_FIELDS, Brand, BrandLayer
from apps.branding.selectors import brand_get
from apps.core.errors import ErrorCode, Errors, refuse
from apps.core.models import Organization
from apps.core.services import audit_record

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_URL = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$", re.IGNORECASE)
_LAYER_ORG_KIND = {
    BrandLayer.OWN: "partner",
    BrandLayer.CUSTOMER_DEFAULT: "partner",
    BrandLayer.CUSTOMER: "customer",
    BrandLayer.OVERRIDE: "customer",
}


def _require_layer(actor, org: Organization, layer: BrandLayer) -> None:
    if org.kind != _LAYER_ORG_KIND[layer]:
        raise ValueError(
            f"A {layer} brand belongs to a {_LAYER_ORG_KIND[layer]} organisation, not {org.kind}"
        )
    require(actor, Action.BRANDING_MANAGE, org)
    if layer is BrandLayer.CUSTOMER:  # what the partner sets for a customer: partner people only
        require(actor, Action.WHOLESALE_MANAGE, org)


def _snapshot(brand: Brand | None) -> dict[str, Any]:
    if brand is None:
        return {}
    data = {name: getattr(brand, name) for name in BRAND_FIELDS}
    data.update(allow_customer_override=brand.allow_customer_override, sign_in_host=brand.sign_in_host)
    return data


def _clean(values: dict[str, Any], logos: dict[str, Any], layer: BrandLayer) -> dict[str, Any]:
    """Every field checked, every problem reported at once; nothing stored yet."""
    errors, clean = Errors(), {}
    for name in COLOUR_FIELDS:
        if name in values:
            raw = values[name] if isinstance(values[name], str) else None
            if raw is None:
                errors.add(name, ErrorCode.COLOUR_INVALID, _("Give a colour as #rrggbb."))
            elif not raw.strip():
                clean[name] = ""
            else:
                try:
                    clean[name] = normalise(raw)
                except ValueError:
                    errors.add(
                        name,
                        ErrorCode.COLOUR_INVALID,
                        _("“%(value)s” is not a #rrggbb colour.") % {"value": raw[:20]},
                    )
    for name, problem in contrast_problems(clean).items():
        errors.add(name, ErrorCode.CONTRAST_TOO_LOW, problem)
    for name in URL_FIELDS:
        if name in values:
            raw = values[name].strip() if isinstance(values[name], str) else None
            if raw is None or (raw and (len(raw) > 500 or not _URL.match(raw))):
                errors.add(
                    name, ErrorCode.BRAND_URL_INVALID, _("Give an https:// address (at most 500 characters).")
                )
            else:
                clean[name] = raw
    if "sign_in_host" in values:
        raw = values["sign_in_host"].strip().lower() if isinstance(values["sign_in_host"], str) else None
        if layer is not BrandLayer.OWN and raw:
            errors.add(
                "sign_in_host",
                ErrorCode.SIGN_IN_HOST_INVALID,
                _("Only a partner's own brand has a sign-in host."),
            )
        elif raw is None or (raw and not _HOST.match(raw)):
            errors.add(
                "sign_in_host",
                ErrorCode.SIGN_IN_HOST_INVALID,
                _("Give a host name, such as portal.example.com."),
            )
        else:
            clean["sign_in_host"] = raw
    validated = {}
    for name in LOGO_FIELDS:
        upload = logos.get(name)
        if upload is False:  # removed
            clean[name] = ""
        elif upload is not None:
            try:
                validated[name] = logo_validate(upload)
            except LogoRefused as refusal:
                errors.add(name, ErrorCode.LOGO_INVALID, str(refusal))
    errors.raise_if_any()
    for name, logo in validated.items():
        clean[name] = logo_store(logo)
    return clean


@transaction.atomic
def brand_update(
    *,
    actor,
    org: Organization,
    layer: BrandLayer,
    values: dict[str, Any],
    logos: dict[str, Any] | None = None,
) -> Brand:
    """Set some fields of one brand layer of ``org`` (a field given empty goes back to the next layer).
    ``logos``: field → an uploaded file, or False to remove the logo."""
    _require_layer(actor, org, layer)
    clean = _clean(values, logos or {}, layer)
    brand = brand_get(org=org, layer=layer)
    before = _snapshot(brand)
    if brand is None:
        brand = Brand(org=org, layer=layer)
    for name, value in clean.items():
        setattr(brand, name, value)
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        refuse(
            "sign_in_host", ErrorCode.SIGN_IN_HOST_IN_USE, _("Another partner already uses this host name.")
        )
    audit_record(
        actor=actor,
        acting_org=org,
        action="branding.update",
        target=brand,
        before=before,
        after=_snapshot(brand),
    )
    return brand


@transaction.atomic
def brand_override_allow(*, actor, customer_org: Organization, allowed: bool) -> Brand:
    """Let (or stop) a customer's own administrators override the brand its partner gives it."""
    _require_layer(actor, customer_org, BrandLayer.CUSTOMER)
    brand = brand_get(org=customer_org, layer=BrandLayer.CUSTOMER) or Brand(
        org=customer_org, layer=BrandLayer.CUSTOMER
    )
    before = _snapshot(brand) if brand.pk else {}
    brand.allow_customer_override = bool(allowed)
    brand.save()
    audit_record(
        actor=actor,
        acting_org=customer_org,
        action="branding.override_allow" if allowed else "branding.override_disallow",
        target=brand,
        before=before,
        after=_snapshot(brand),
    )
    return brand
