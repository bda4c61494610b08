"""Reads of branding. ``branding_for(org)`` is the one resolver every page uses: the brand an organisation's
people see, field by field from the first layer that sets it.

- a partner (or sub-partner): its own brand;
- a customer: its own override (only while its partner allows it), then what its partner set for it, then
  its partner's default for all customers — the partner that manages it, so a sub-partner brands its own
  customers;
- anything else, or a field no layer sets: the product's own.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.urls import reverse

from apps.branding.cache import brand_cached, host_brand_key, org_brand_key, override_allowed_key
from apps.branding.colours import mix
from apps.branding.models import BRAND_FIELDS, Brand, BrandLayer
from apps.core.models import Organization

PRODUCT_BRAND = {
    "primary_light": "#0f5bd6",
    "accent_light": "#0a47a8",
    "primary_dark": "#7cb4ff",
    "accent_dark": "#9fd3ff",
}


@dataclass(frozen=True)
class ResolvedBrand:
    values: dict[str, str]
    sources: dict[str, str] = field(default_factory=dict)  # field → the layer it came from ("" = product)

    def __getattr__(self, name: str) -> str:
        if name in BRAND_FIELDS:
            return self.values.get(name, "")
        raise AttributeError(name)

    @property
    def logo_light_url(self) -> str:
        return reverse("brand_logo", kwargs={"name": self.logo_light}) if self.logo_light else ""

    @property
    def logo_dark_url(self) -> str:
        logo = self.logo_dark or self.logo_light
        return reverse("brand_logo", kwargs={"name": logo}) if logo else ""

    @cached_property  # computed once, before the brand is cached, and stored with it
    def css_variables(self) -> str:
        """The custom properties of ``static/css`` the brand overrides (validated #rrggbb values only)."""
        primary = self.primary_light
        return (
            f"--c-primary: {primary}; --c-primary-dark: {mix(primary, '#000000', 0.2)}; "
            f"--c-primary-soft: {mix(primary, '#ffffff', 0.9)}; --c-accent: {self.accent_light}; "
            f"--c-primary-on-dark: {self.primary_dark}; --c-accent-on-dark: {self.accent_dark};"
        )

    @property
    def customised(self) -> bool:
        return any(self.sources.values())


def _resolve(rows_in_order: list[Brand]) -> ResolvedBrand:
    values, sources = dict(PRODUCT_BRAND), dict.fromkeys(BRAND_FIELDS, "")
    for name in BRAND_FIELDS:
        for row in rows_in_order:
            value = getattr(row, name)
            if value:
                values[name], sources[name] = value, row.layer
                break
    return ResolvedBrand(values, sources)


def _resolved_for_cache(rows_in_order: list[Brand]) -> ResolvedBrand:
    brand = _resolve(rows_in_order)
    brand.css_variables  # noqa: B018 - computed once here, not on every page that reads the cached brand
    return brand


PRODUCT = _resolved_for_cache([])


def brand_layers_of(*, org: Organization) -> list[Brand]:
    """The rows that brand ``org``, in precedence order (one query)."""
    # Unordered (``order_by()``): the rows are ordered here, and the model's ordering would join the
    # organisations to sort by name.
    if org.is_partner:
        return list(Brand.objects.filter(org=org, layer=BrandLayer.OWN).order_by())
    if not org.is_customer:
        return []
    rows = {
        (row.org_id == org.id, row.layer): row
        for row in Brand.objects.filter(
            Q(org=org, layer__in=(BrandLayer.OVERRIDE, BrandLayer.CUSTOMER))
            | Q(org_id=org.parent_id, layer=BrandLayer.CUSTOMER_DEFAULT)
        ).order_by()
    }
    set_by_partner = rows.get((True, BrandLayer.CUSTOMER))
    override = rows.get((True, BrandLayer.OVERRIDE))
    ordered = []
    if override is not None and set_by_partner is not None and set_by_partner.allow_customer_override:
        ordered.append(override)
    ordered += [r for r in (set_by_partner, rows.get((False, BrandLayer.CUSTOMER_DEFAULT))) if r is not None]
    return ordered


def branding_for(org: Organization | None) -> ResolvedBrand:
    """The brand ``org``'s pages show (the product's own for None or the platform). Cached per organisation
    (``cache``): every page reads it."""
    if org is None:
        return PRODUCT
    return brand_cached(org_brand_key(org.id), lambda: _resolved_for_cache(brand_layers_of(org=org)))


def brand_get(*, org: Organization, layer: BrandLayer) -> Brand | None:
    return Brand.objects.filter(org=org, layer=layer).first()


def customer_override_allowed(*, org: Organization) -> bool:
    """Whether a customer's partner lets its own administrators override the brand. Cached like the brand:
    the permission function asks it on every page of a customer's own administrators."""
    return brand_cached(
        override_allowed_key(org.id),
        lambda: Brand.objects.filter(
            org=org, layer=BrandLayer.CUSTOMER, allow_customer_override=True
        ).exists(),
    )


def branding_for_host(host: str) -> ResolvedBrand | None:
    """The brand of the partner whose sign-in page answers on ``host`` (a partner's own domain)."""
    host = (host or "").split(":", 1)[0].strip().lower()
    if not host:
        return None

    def resolve() -> ResolvedBrand | None:
        row = Brand.objects.filter(layer=BrandLayer.OWN, sign_in_host=host).order_by().first()
        return _resolved_for_cache([row]) if row is not None else None

    return brand_cached(host_brand_key(host), resolve)
