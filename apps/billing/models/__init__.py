"""Billing's tables: usage days (and the runs that build them), billing reports, transfer prices and Setup
Assist orders."""

from apps.billing.models.prices import TransferPrice
from apps.billing.models.reports import BillingReport, ReportCategory, ReportStatus, ReportType
from apps.billing.models.setup_assist import SetupAssistOrder, SetupAssistPhase
from apps.billing.models.usage import HolderKind, UsageDay, UsageRun, UsageRunStatus

__all__ = [
    "BillingReport",
    "HolderKind",
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
