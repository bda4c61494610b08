"""Reads about partner organisations."""

from django.db.models import Count, Q, QuerySet

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization, OrgKind

from .models import PartnerSettings


def partner_settings_of(*, org: Organization) -> PartnerSettings:
    """The partner's settings (every partner gets a row when created; defaults otherwise)."""
    return PartnerSettings.objects.filter(org=org).first() or PartnerSettings(org=org)


def partner_requires_mfa(*, org: Organization) -> bool:
    return PartnerSettings.objects.filter(org=org, require_admin_mfa=True).exists()


def partners_visible_to(*, actor, search: str = "") -> QuerySet[Organization]:
    """Partners and sub-partners with their customer and sub-partner counts (one query a page)."""
    qs = orgs_visible_to(actor=actor).filter(kind=OrgKind.PARTNER)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.annotate(
        customer_count=Count("children", filter=Q(children__kind=OrgKind.CUSTOMER), distinct=True),
        subpartner_count=Count("children", filter=Q(children__kind=OrgKind.PARTNER), distinct=True),
    ).order_by("parent__name", "name")


def platform_org() -> Organization | None:
    return Organization.objects.filter(kind=OrgKind.PLATFORM).first()
