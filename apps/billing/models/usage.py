"""Usage days: what each holder (a subscriber, a workspace, or an ordered Setup Assist) consumed of one
service on one UTC day. Built by ``services.usage`` from the package assignment history, never edited by
hand: a day is rebuilt whole. Every id is a snapshot, so a removed customer's usage stays.

The Billing pages read sums built with the day, never the holders' rows (200,000 subscribers are 6,000,000 of
those a month, seconds to add up): ``CustomerUsageDay`` (a customer's day per service: its statement),
``PartnerUsageDay`` (a partner's or sub-partner's day per service: the chart and the invoice previews) and
``CustomerUsageMonth`` (a customer's month: the overview's list, largest first). Reports still read
``UsageDay``, whose lines name holders and locations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    SUBSCRIBER = "subscriber", _("User")
    WORKSPACE = "workspace", _("Workspace")
    SETUP_ASSIST = "setup_assist", _("Setup Assist order")


class CustomerColumns(models.Model):
    """Whose usage a row is: the customer and its partners, as they were (snapshots, not keys)."""

    customer_uuid = models.UUIDField(_("customer id"))
    org_uuid = models.UUIDField(_("customer organisation id"))
    customer_external_id = models.CharField(max_length=255, blank=True)
    partner_uuid = models.UUIDField(_("managing partner id"))  # the partner or sub-partner of the customer
    billed_partner_uuid = models.UUIDField(_("subscription owner id"))  # the top-level partner

    class Meta:
        abstract = True


class UsageDay(CustomerColumns):
    """One holder, service, location and day; ``quantity`` is the part of the day it was held (0 < q ≤ 1,
    or the Setup Assist units ordered that day)."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    kind = models.CharField(max_length=16, choices=HolderKind.choices)
    holder_uuid = models.UUIDField(_("holder id"))
    user_uuid = models.UUIDField(_("person id"), null=True, blank=True)
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


class CustomerUsageDay(CustomerColumns):
    """``UsageDay`` of one customer, service and day, summed over its holders and locations."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    service = models.CharField(_("service"), max_length=40)
    quantity = models.FloatField(_("quantity"))

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            models.Index(fields=["day"], name="customer_usage_day"),
            models.Index(fields=["org_uuid", "day"], name="customer_usage_org_day"),
        ]


class PartnerUsageDay(models.Model):
    """``UsageDay`` of the customers of one partner or sub-partner, per service and day."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    partner_uuid = models.UUIDField(_("managing partner id"))
    billed_partner_uuid = models.UUIDField(_("subscription owner id"))
    service = models.CharField(_("service"), max_length=40)
    quantity = models.FloatField(_("quantity"))

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            models.Index(fields=["day"], name="partner_usage_day"),
            models.Index(fields=["billed_partner_uuid", "day"], name="partner_usage_billed_day"),
            models.Index(fields=["partner_uuid", "day"], name="partner_usage_partner_day"),
        ]


class CustomerUsageMonth(CustomerColumns):
    """A customer's usage of one calendar month, every service together (licence-days and Setup Assist
    units), rebuilt from its ``CustomerUsageDay`` rows whenever a day of the month is."""

    id = models.BigAutoField(primary_key=True)
    month = models.DateField(_("month"))  # its first day
    quantity = models.FloatField(_("quantity"))

    class Meta:
        ordering = ["month", "id"]
        indexes = [
            # The overview's list, largest first, one page at a time (``usage_per_customer``).
            models.Index(
                "billed_partner_uuid",
                "month",
                models.F("quantity").desc(),
                "customer_uuid",
                name="usage_month_billed_largest",
            ),
            models.Index(
                "partner_uuid",
                "month",
                models.F("quantity").desc(),
                "customer_uuid",
                name="usage_month_partner_largest",
            ),
        ]


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
