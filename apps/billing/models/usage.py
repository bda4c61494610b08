"""Usage days: what each holder (a subscriber, a workspace, or an ordered Setup Assist) consumed of one
service on one UTC day. Built by ``services.usage`` from the package assignment history, never edited by
hand: a day is rebuilt whole. Every id is a snapshot, so a removed customer's usage stays."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    SUBSCRIBER = "subscriber", _("User")
    WORKSPACE = "workspace", _("Workspace")
    SETUP_ASSIST = "setup_assist", _("Setup Assist order")


class UsageDay(models.Model):
    """One holder, service, location and day; ``quantity`` is the part of the day it was held (0 < q ≤ 1,
    or the Setup Assist units ordered that day)."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    kind = models.CharField(max_length=16, choices=HolderKind.choices)
    holder_uuid = models.UUIDField(_("holder id"))
    user_uuid = models.UUIDField(_("person id"), null=True, blank=True)
    customer_uuid = models.UUIDField(_("customer id"))
    org_uuid = models.UUIDField(_("customer organisation id"))
    customer_external_id = models.CharField(max_length=255, blank=True)
    partner_uuid = models.UUIDField(_("managing partner id"))  # the partner or sub-partner of the customer
    billed_partner_uuid = models.UUIDField(_("subscription owner id"))  # the top-level partner
    location_uuid = models.UUIDField(_("location id"), null=True, blank=True)
    service = models.CharField(_("service"), max_length=40)
    quantity = models.FloatField(_("quantity"))

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            models.Index(fields=["billed_partner_uuid", "day"], name="usage_billed_partner_day"),
            models.Index(fields=["partner_uuid", "day"], name="usage_partner_day"),
            models.Index(fields=["day", "kind"], name="usage_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.holder_uuid} {self.service} {self.quantity}"


class UsageRunStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class UsageRun(models.Model):
    """The last build of one day: completed, or failed (then the next daily run builds it again)."""

    day = models.DateField(primary_key=True)
    status = models.CharField(max_length=16, choices=UsageRunStatus.choices)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {self.status}"
