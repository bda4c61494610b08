"""A CSV export too large to stream within one request: written by the worker to a file, with progress,
downloaded by the person who asked for it once it is ready."""

import uuid

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

    class Meta:
        indexes = [models.Index(fields=["requested_by", "org", "-created"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.EXPORT, self.id)

    @property
    def busy(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, self.written_rows * 100 // self.total_rows) if self.total_rows else 0
