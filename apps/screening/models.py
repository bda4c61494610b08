"""Denied-party screening: the operator's list of restricted or denied parties, and the hold a customer
waits in while a hit is reviewed (the guide's "Restricted and Denied Persons Checks")."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class ScreeningEntry(TimeStampedModel):
    """One restricted or denied party. ``created`` is when it was added."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "screening entries"

    def __str__(self) -> str:
        return self.name


class HoldState(models.TextChoices):
    PENDING = "pending", _("Pending")  # re-checked by the beat task for 72 hours
    ESCALATED = (
        "escalated",
        _("Escalated"),
    )  # still a hit after 72 hours: onboarding stopped, operator decides
    CLEARED = "cleared", _("Cleared")
    REJECTED = "rejected", _("Rejected")


OPEN_HOLD_STATES = (HoldState.PENDING, HoldState.ESCALATED)


class ScreeningHold(TimeStampedModel):
    """Why a customer is (or was) held by screening, and what was decided.

    ``matches`` is a snapshot of the hits with their explanation, so the record survives the entry being
    removed from the list later.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="screening_hold"
    )
    state = models.CharField(max_length=16, choices=HoldState.choices, default=HoldState.PENDING)
    matches = models.JSONField(default=list, blank=True)
    first_hit = models.DateTimeField()
    last_checked = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["first_hit", "id"]
        indexes = [models.Index(fields=["state", "first_hit"])]

    def __str__(self) -> str:
        return f"Screening hold of {self.customer}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_HOLD_STATES
