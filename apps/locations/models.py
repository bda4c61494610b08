"""A customer's locations, the phone-number inventory of each, and the extensions of its organisation."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.ids import IdType, encode_id
from apps.core.models import Organization, TimeStampedModel


class Location(TimeStampedModel):
    """A place of a customer organisation; the headquarters one is created at onboarding."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=80)
    address_line1 = models.CharField(_("address line 1"), max_length=50)
    address_line2 = models.CharField(_("address line 2"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state_or_province = models.CharField(_("state or province"), max_length=100, blank=True)
    zip_or_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    timezone = models.CharField(_("time zone"), max_length=64)
    language = models.CharField(_("language"), max_length=5)
    emergency_location_identifier = models.CharField(_("emergency location id"), max_length=64, blank=True)
    is_headquarters = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_headquarters", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unique_location_name_per_org")]
        indexes = [
            # The API's order (created, id) with the organisation its scope is probed by: a page walks it,
            # a cursor seeks it, and a deep offset's keys (core.pagination.page_slice) come from it alone.
            models.Index(fields=["created", "id", "org"], name="location_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.LOCATION, self.id)


class NumberStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ASSIGNED = "assigned", _("Assigned")


class PhoneNumber(TimeStampedModel):
    """One E.164 number of a location; unique across the whole platform."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="phone_numbers")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="numbers")
    e164 = models.CharField(_("phone number"), max_length=16, unique=True)
    subscriber = models.ForeignKey(
        "subscribers.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phone_numbers",
    )
    workspace = models.ForeignKey(
        "subscribers.Workspace",
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
        "subscribers.Subscriber", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )
    workspace = models.ForeignKey(
        "subscribers.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )

    class Meta:
        ordering = ["extension"]
        constraints = [
            models.UniqueConstraint(fields=["org", "extension"], name="unique_extension_per_org"),
        ]

    def __str__(self) -> str:
        return self.extension
