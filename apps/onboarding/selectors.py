"""Reads about onboarding templates, always through the visibility door."""

from django.db.models import QuerySet

from apps.accounts.selectors import orgs_visible_to
from apps.core.models import Organization

from .models import OnboardingTemplate


def templates_of(*, actor, partner: Organization) -> QuerySet[OnboardingTemplate]:
    return OnboardingTemplate.objects.filter(partner=partner, partner__in=orgs_visible_to(actor=actor))


def template_by_provisioning_id(
    *, actor, partner: Organization, provisioning_id: str
) -> OnboardingTemplate | None:
    return templates_of(actor=actor, partner=partner).filter(provisioning_id=provisioning_id).first()
