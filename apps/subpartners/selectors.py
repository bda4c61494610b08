"""Reads about indirect providers (sub-partners) of a partner."""

from django.db.models import QuerySet

from apps.core.models import Organization
from apps.partners.selectors import partners_visible_to


def subpartners_of(*, actor, partner: Organization, search: str = "") -> QuerySet[Organization]:
    return partners_visible_to(actor=actor, search=search).filter(parent=partner)
