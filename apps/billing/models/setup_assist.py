"""Setup Assist orders: a partner asks the (simulated) Cisco Setup Assist team to onboard one customer
location after provisioning. The SKU follows the seat count (Express up to five, Standard above); the order
is billed as its own service on the day it was placed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.billing.catalogue import SETUP_ASSIST_EXPRESS, SETUP_ASSIST_STANDARD
from apps.core.choices import ChoiceLabels
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.locations.models import Location


class SetupAssistPhase(models.TextChoices):
    """The guide's project phases (Standard adds project management first)."""

    REQUESTED = "requested", _("Requested")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    DISCOVERY = "discovery", _("Discovery and assessment")
    SOLUTION_DESIGN = "solution_design", _("Solution design")
    COMPLETED = "completed", _("Completed")


class SetupAssistOrder(ChoiceLabels, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="setup_assist_orders"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="setup_assist_orders"
    )
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="setup_assist_orders")
    # Snapshots: the order stays billable after the customer or location is removed.
    customer_uuid = models.UUIDField()
    org_uuid = models.UUIDField()
    customer_external_id = models.CharField(max_length=255, blank=True)
    location_uuid = models.UUIDField()
    location_name = models.CharField(max_length=255, blank=True)
    sku = models.CharField(
        max_length=40,
        choices=[(SETUP_ASSIST_EXPRESS, _("Express")), (SETUP_ASSIST_STANDARD, _("Standard"))],
    )
    seats = models.PositiveIntegerField()
    wanted_completion = models.DateField(_("wanted completion date"))
    phase = models.CharField(
        max_length=24, choices=SetupAssistPhase.choices, default=SetupAssistPhase.REQUESTED
    )
    notes = models.TextField(blank=True)
    billing_day = models.DateField()  # the UTC day it was ordered: its usage day
    ordered_at = models.DateTimeField()
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ordered_at"]
        indexes = [
            models.Index(fields=["partner", "ordered_at"], name="setup_assist_partner"),
            models.Index(fields=["billing_day"], name="setup_assist_day"),
        ]

    def __str__(self) -> str:
        return f"Setup Assist {self.get_sku_display()} for {self.location_name} ({self.get_phase_display()})"

    @property
    def units(self) -> int:
        """Billed units: one flat Express charge, or one Standard charge per seat."""
        return 1 if self.sku == SETUP_ASSIST_EXPRESS else self.seats
