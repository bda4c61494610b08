"""What a partner keeps about one of its indirect providers (sub-partners) beyond the organisation itself."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class SubPartnerProfile(TimeStampedModel):
    """One per sub-partner organisation (a partner organisation with a parent partner).

    ``billing_start_date`` is the first day whose usage of its customers is billed to the parent's
    shared subscription (the guide's set-up field; default: the set-up date)."""

    org = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="subpartner_profile"
    )
    billing_start_date = models.DateField(_("billing start date"), default=timezone.localdate)

    class Meta:
        verbose_name = _("sub-partner profile")

    def __str__(self) -> str:
        return f"Sub-partner profile of {self.org}"
