"""Customer organisations as a partner sees them, and the people (subscribers) in them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.ids import IdType, encode_id
from apps.core.models import Organization, TimeStampedModel
from apps.packages.constants import PackageCode


class CustomerStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("Provisioning")
    PROVISIONED = "provisioned", _("Provisioned")
    PROVISIONED_WITH_ERRORS = "provisioned_with_errors", _("Provisioned with errors")
    UPDATING = "updating", _("Updating")
    DELETING = "deleting", _("Deleting")
    ERROR = "error", _("Error")
    PENDING_RPL_REVIEW = "pending_rpl_review", _("Pending compliance review")


class Customer(TimeStampedModel):
    """The wholesale customer record of a customer organisation (the API's ``customerId``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="customer")
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    status = models.CharField(
        max_length=32, choices=CustomerStatus.choices, default=CustomerStatus.PROVISIONING
    )

    class Meta:
        ordering = ["org__name"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["external_id"])]

    def __str__(self) -> str:
        return self.org.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.CUSTOMER, self.id)


class SubscriberStatus(models.TextChoices):
    PROVISIONED = "provisioned", _("Provisioned")
    PENDING_USER_MIGRATION = "pending_user_migration", _("Pending user migration")


class Subscriber(TimeStampedModel):
    """A person of a customer organisation holding exactly one package."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="subscribers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriber"
    )
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    package = models.CharField(max_length=32, choices=PackageCode.choices)
    status = models.CharField(
        max_length=32, choices=SubscriberStatus.choices, default=SubscriberStatus.PROVISIONED
    )

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["customer", "package"])]

    def __str__(self) -> str:
        return self.email

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.SUBSCRIBER, self.id)
