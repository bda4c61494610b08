"""Billing's tables: usage days (the runs that build them, their sums for the pages), billing reports,
transfer prices and Setup Assist orders."""

from apps.billing.models.prices import TransferPrice
from apps.billing.models.reports import BillingReport, ReportCategory, ReportStatus, ReportType
from apps.billing.models.setup_assist import SetupAssistOrder, SetupAssistPhase
from apps.billing.models.usage import (
    CustomerUsageDay,
    CustomerUsageMonth,
    HolderKind,
    PartnerUsageDay,
    UsageDay,
    UsageRun,
    UsageRunStatus,
)

__all__ = [
    "BillingReport",
    "CustomerUsageDay",
    "CustomerUsageMonth",
    "HolderKind",
    "PartnerUsageDay",
    "ReportCategory",
    "ReportStatus",
    "ReportType",
    "SetupAssistOrder",
    "SetupAssistPhase",
    "TransferPrice",
    "UsageDay",
    "UsageRun",
    "UsageRunStatus",
]
