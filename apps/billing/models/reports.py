"""Billing reports of the Wholesale Billing Reports API: a period, a type and a scope, built in the
background into a CSV file in the report storage."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceLabels
from apps.core.ids import IdType, encode_id
from apps.core.models import Organization


class ReportType(models.TextChoices):
    PARTNER = "PARTNER", _("Partner")
    CUSTOMER = "CUSTOMER", _("Customer")
    USER = "USER", _("User")


class ReportCategory(models.TextChoices):
    RECONCILIATION = "RECONCILIATION", _("Reconciliation")
    POINT_IN_TIME = "POINT_IN_TIME", _("Point in time")


class ReportStatus(models.TextChoices):
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    COMPLETED = "COMPLETED", _("Completed")
    FAILED = "FAILED", _("Failed")


class BillingReport(ChoiceLabels, models.Model):
    """``partner`` owns the report (the caller's acting partner); ``subpartner`` narrows it to one of its
    sub-partners' customers (``subPartnerOrgId``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="billing_reports")
    subpartner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(max_length=16, choices=ReportType.choices, default=ReportType.PARTNER)
    category = models.CharField(
        max_length=16, choices=ReportCategory.choices, default=ReportCategory.RECONCILIATION
    )
    start_date = models.DateField(_("billing start date"))
    end_date = models.DateField(_("billing end date"))
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.IN_PROGRESS)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)  # in the report storage, once COMPLETED
    rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"code": n, "description": ...}]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["partner", "start_date", "id"], name="report_partner_start")]
        constraints = [
            # The guide: a period with a COMPLETED report is refused until that report is deleted.
            models.UniqueConstraint(
                fields=["partner", "subpartner", "type", "category", "start_date", "end_date"],
                condition=Q(status="COMPLETED"),
                name="one_completed_report_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.start_date}–{self.end_date} ({self.get_status_display()})"

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.BILLING_REPORT, self.id)
