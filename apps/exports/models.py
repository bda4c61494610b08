"""A CSV export too large to stream within one request: written by the worker to a file, with progress,
downloaded by the person who asked for it once it is ready, until the retention deletes the file
(``EXPORT_RETENTION_HOURS`` after it finished; the row stays, ``expired``)."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceLabels
from apps.core.ids import IdType, encode_id
from apps.core.models import Organization


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")  # was ready; the retention deleted its file


class Export(ChoiceLabels, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    file_name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    written_rows = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the retention deleted the file (and any half-written one): set on expired exports and on failed
    # ones alike, so that each is swept once.
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "org", "-created"]),
            # The retention's sweep: finished exports whose file is still kept, oldest first. Rows stay for
            # ever; the index holds only the few days' worth not swept yet.
            models.Index(
                fields=["finished_at", "id"],
                name="exports_export_to_sweep",
                condition=models.Q(
                    status__in=[ExportStatus.DONE, ExportStatus.FAILED], file_deleted_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.EXPORT, self.id)

    @property
    def busy(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def kept_until(self) -> datetime | None:
        """When the retention deletes a ready export's file (the page says so)."""
        if self.status != ExportStatus.DONE or self.finished_at is None:
            return None
        return self.finished_at + timedelta(hours=settings.EXPORT_RETENTION_HOURS)

    @property
    def percent(self) -> int:
        return min(100, self.written_rows * 100 // self.total_rows) if self.total_rows else 0
