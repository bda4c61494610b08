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


class PartnerAccess(models.TextChoices):
    """What the managing partner holds in an attached organisation."""

    FULL_ADMIN = "full_admin", _("Full administrator")
    PROVISIONING_ADMIN = "provisioning_admin", _("Provisioning administrator")


class AttachState(models.TextChoices):
    NONE = "", _("Not attached")
    PENDING_APPROVAL = "pending_approval", _("Waiting for the customer admin's approval")
    APPROVED = "approved", _("Approved by the customer admin")
    AUTOMATIC = "automatic", _("Attached automatically")
    DECLINED = "declined", _("Declined by the customer admin")


class Customer(TimeStampedModel):
    """The wholesale customer record of a customer organisation (the API's ``customerId``).

    The organisation row exists from the first moment; the API shows its ``orgId`` only once provisioned.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="customer")
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    status = models.CharField(
        max_length=32, choices=CustomerStatus.choices, default=CustomerStatus.PROVISIONING
    )
    status_changed = models.DateTimeField(null=True, blank=True)
    # What it was onboarded with: the template row and a snapshot of its settings at that moment.
    template = models.ForeignKey(
        "onboarding.OnboardingTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )
    template_settings = models.JSONField(default=dict, blank=True)
    primary_email = models.EmailField(blank=True)
    # Billing address; its country is the organisation's country.
    address_line1 = models.CharField(max_length=50, blank=True)
    address_line2 = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_or_province = models.CharField(max_length=100, blank=True)
    zip_or_postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    # Derived at provisioning from the guide's tables.
    language = models.CharField(max_length=5, blank=True)  # as requested
    org_locale = models.CharField(max_length=5, blank=True)
    meeting_site_locale = models.CharField(max_length=5, blank=True)
    call_in_region = models.CharField(max_length=8, blank=True)
    call_in_country_code = models.CharField(max_length=6, blank=True)
    meetings_timezone = models.CharField(max_length=64, blank=True)
    webex_assistant_enabled = models.BooleanField(default=False)
    package_limits = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # background failures: [{"errorCode", "description"}]
    restricted_by_partner = models.BooleanField(_("restricted by partner mode"), default=True)
    # Attaching wholesale services to an organisation that already existed.
    attach_state = models.CharField(
        max_length=20, choices=AttachState.choices, default=AttachState.NONE, blank=True
    )
    partner_access = models.CharField(
        max_length=20, choices=PartnerAccess.choices, default=PartnerAccess.FULL_ADMIN
    )
    # The order as provisioning needs it later (apps.customers.services.provisioning): the organisation
    # existed before (``orgId`` given), the headquarters calling location still to create, who asked.
    existing_org = models.BooleanField(_("attached to an existing organisation"), default=False)
    calling_location = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the organisation was first provisioned: the API shows ``orgId`` from then on.
    provisioned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["org__name"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["external_id"])]

    def __str__(self) -> str:
        return self.org.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.CUSTOMER, self.id)


class PackageStatus(models.TextChoices):
    PROVISIONED = "provisioned", _("Provisioned")
    PROVISIONING = "provisioning", _("Provisioning")
    DELETING = "deleting", _("Deleting")
    ERROR = "error", _("Error")


class CustomerPackage(TimeStampedModel):
    """One package ordered for a customer, with its own provisioning status."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="packages")
    code = models.CharField(max_length=32, choices=PackageCode.choices)
    status = models.CharField(
        max_length=16, choices=PackageStatus.choices, default=PackageStatus.PROVISIONING
    )
    warnings = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    license_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["customer", "code"], name="unique_customer_package")]

    def __str__(self) -> str:
        return f"{self.customer} {self.code}"


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

    def __str__(self) -> str:
        return self.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.LOCATION, self.id)


class SubscriberStatus(models.TextChoices):
    PROVISIONED = "provisioned", _("Provisioned")
    PENDING_USER_MIGRATION = "pending_user_migration", _("Pending user migration")


class Subscriber(TimeStampedModel):
    """A person of a customer organisation holding exactly one package.

    ``status_changed`` is the API's ``lastStatusChange``; ``location`` is where a calling package is
    used (null for packages without calling). A ``pending_user_migration`` subscriber is someone who
    already had a free account: they hold the package once they accept the consent e-mail
    (``consent_sent`` is when it was last sent).
    """

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
    status_changed = models.DateTimeField(_("last status change"), null=True, blank=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="subscribers"
    )
    errors = models.JSONField(default=list, blank=True)
    consent_sent = models.DateTimeField(null=True, blank=True)
    # They came with a free account of their own (through consent): removal gives it back instead of deleting.
    from_free_account = models.BooleanField(default=False)

    class Meta:
        ordering = ["email"]
        # The lists walk these in their ORDER BY (subscribers_selectors): one customer's (the Users page
        # sorts, the API with a customer) and the partner-wide API sorts. Each ends with the id, so a deep
        # page reads its keys from the index alone. PostgreSQL also gets the API's NULLS FIRST order of
        # status_changed (migration 0013: SQLite orders NULLs first already and refuses it in an index).
        indexes = [
            models.Index(
                fields=["customer", "last_name", "first_name", "email", "id"], name="subscriber_cust_name"
            ),
            models.Index(fields=["customer", "email", "id"], name="subscriber_cust_email"),
            models.Index(fields=["customer", "package", "email", "id"], name="subscriber_cust_package"),
            models.Index(fields=["customer", "status", "email", "id"], name="subscriber_cust_status"),
            models.Index(fields=["customer", "created", "id"], name="subscriber_cust_created"),
            models.Index(fields=["customer", "status_changed", "id"], name="subscriber_cust_changed"),
            models.Index(fields=["created", "id", "customer"], name="subscriber_created"),
            models.Index(fields=["status_changed", "id", "customer"], name="subscriber_changed"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.SUBSCRIBER, self.id)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


from . import (  # noqa: E402, F401  (this app's other model modules)
    attach_models,
    history_models,
    imports_models,
    numbers_models,
    screening_models,
    workspaces_models,
)
