"""Reads about onboarding templates, always through the visibility door.

A template's id in URLs and in the API is its ``provisioningId``: opaque, stable and what a partner copies
into ``POST /v1/wholesale/customers`` (as in Webex, where the provisioningId is the template's id).
"""

from django.db.models import Count, QuerySet
from django.http import Http404

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization
from apps.onboarding.models import OnboardingTemplate


def templates_of(*, actor, partner: Organization) -> QuerySet[OnboardingTemplate]:
    return OnboardingTemplate.objects.filter(partner=partner, partner__in=orgs_visible_to(actor=actor))


def templates_list(*, actor, partner: Organization, search: str = "") -> QuerySet[OnboardingTemplate]:
    """The partner's templates with how many customers were onboarded with each (one query a page)."""
    qs = templates_of(actor=actor, partner=partner)
    search = (search or "").strip()
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.annotate(customer_count=Count("customers")).order_by("name", "id")


def template_by_provisioning_id(
    *, actor, partner: Organization, provisioning_id: str
) -> OnboardingTemplate | None:
    return templates_of(actor=actor, partner=partner).filter(provisioning_id=provisioning_id).first()


def template_get(*, actor, partner: Organization, template_id: str) -> OnboardingTemplate:
    """The template behind an id (its provisioningId), or 404 when it is not this partner's or not ours to
    see."""
    if not template_id or len(template_id) > 64:
        raise Http404
    template = (
        templates_of(actor=actor, partner=partner)
        .annotate(customer_count=Count("customers"))
        .filter(provisioning_id=template_id)
        .first()
    )
    if template is None:
        raise Http404
    return template
