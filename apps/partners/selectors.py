"""Reads about partner organisations."""

from django.db.models import Count, Q, QuerySet

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization, OrgKind
from apps.partners.models import PartnerSettings


def partner_settings_of(*, org: Organization) -> PartnerSettings:
    """The partner's settings (every partner gets a row when created; defaults otherwise)."""
    return PartnerSettings.objects.filter(org=org).first() or PartnerSettings(org=org)


def partner_subscription_id(*, partner: Organization) -> str:
    """The wholesale subscription a partner's templates and usage go against: its own, or its parent's
    shared one for a sub-partner. Blank when none is set up."""
    owner_id = partner.parent_id if partner.is_subpartner else partner.id
    value = (
        PartnerSettings.objects.filter(org_id=owner_id)
        .values_list("wholesale_subscription_id", flat=True)
        .first()
    )
    return value or ""


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


def partner_mfa_policy(org: Organization) -> bool:
    """The accounts app's two-factor policy hook: a partner that requires it of its admins."""
    return org.is_partner and partner_requires_mfa(org=org)
