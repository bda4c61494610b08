"""The phone-number inventory of a customer's locations and the extensions of its organisation.

A number or an extension is *held* by at most one holder: a subscriber or a workspace (one nullable foreign
key each; ``HOLDER_FIELDS`` in ``services.numbers`` names them).
An extension row exists only while it is reserved by a holder.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.ids import IdType, encode_id
from apps.core.models import Organization, TimeStampedModel


class NumberStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ASSIGNED = "assigned", _("Assigned")


class PhoneNumber(TimeStampedModel):
    """One E.164 number of a location; unique across the whole platform."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="phone_numbers")
    location = models.ForeignKey("customers.Location", on_delete=models.PROTECT, related_name="numbers")
    e164 = models.CharField(_("phone number"), max_length=16, unique=True)
    subscriber = models.ForeignKey(
        "customers.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phone_numbers",
    )
    workspace = models.ForeignKey(
        "customers.Workspace",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phone_numbers",
    )

    class Meta:
        ordering = ["e164"]
        indexes = [
            models.Index(fields=["location", "e164"]),
            models.Index(fields=["org", "e164"]),
        ]

    def __str__(self) -> str:
        return self.e164

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.NUMBER, self.id)

    @property
    def is_assigned(self) -> bool:
        return self.subscriber_id is not None or self.workspace_id is not None

    @property
    def status(self) -> str:
        return NumberStatus.ASSIGNED if self.is_assigned else NumberStatus.AVAILABLE


class Extension(TimeStampedModel):
    """An extension reserved by a holder; unique within the organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="extensions")
    extension = models.CharField(_("extension"), max_length=10)
    subscriber = models.ForeignKey(
        "customers.Subscriber", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )
    workspace = models.ForeignKey(
        "customers.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )

    class Meta:
        ordering = ["extension"]
        constraints = [
            models.UniqueConstraint(fields=["org", "extension"], name="unique_extension_per_org"),
        ]

    def __str__(self) -> str:
        return self.extension
