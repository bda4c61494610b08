"""A partner's support contacts, and the support requests customers open."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import Organization, TimeStampedModel


class SupportContacts(TimeStampedModel):
    """How a partner's customers reach it (the guide: help desk phone numbers, case portal, e-mail, chat,
    escalation contacts)."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="support_contacts")
    phone = models.CharField(_("help desk phone"), max_length=40, blank=True)
    email = models.EmailField(_("support e-mail"), blank=True)
    case_portal_url = models.URLField(_("case portal"), max_length=500, blank=True)
    chat_url = models.URLField(_("chat"), max_length=500, blank=True)
    escalation_contact = models.CharField(_("escalation contact"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Support contacts of {self.org}"


class RequestStatus(models.TextChoices):
    # A context of their own: other catalogs word these for other things (a screening review, a task).
    OPEN = "open", pgettext_lazy("support request", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("support request", "In progress")
    RESOLVED = "resolved", pgettext_lazy("support request", "Resolved")


class SupportRequest(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="support_requests")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    escalated = models.BooleanField(_("urgent: escalate"), default=False)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["org", "-created"])]

    def __str__(self) -> str:
        return self.subject
