"""Customer organisations as a partner sees them, and the people (subscribers) in them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


# A customer whose organisation existed before and whose administrator has not approved the attach (waiting,
# or declined): the one condition of the selectors that hide such a customer from the partner's staff and of
# the partial index that finds these few among all customers.
ATTACH_NOT_APPROVED = models.Q(existing_org=True) & ~models.Q(
    attach_state__in=[AttachState.APPROVED, AttachState.AUTOMATIC]
)

# Customers someone has to act on (the Partner Hub overview's "needs attention"): provisioning ended with
# errors, held by denied-party screening, or provisioning that waits for an attached organisation's
# administrator to approve. One spelling for the overview's counts and list and the partial index that finds
# these few, newest change first, among a partner's thousands of customers.
PROVISIONING_FAILED_STATUSES = [CustomerStatus.ERROR, CustomerStatus.PROVISIONED_WITH_ERRORS]
PROVISIONING_FAILED = models.Q(status__in=PROVISIONING_FAILED_STATUSES)
HELD_BY_SCREENING_STATUS = CustomerStatus.PENDING_RPL_REVIEW
HELD_BY_SCREENING = models.Q(status=HELD_BY_SCREENING_STATUS)
AWAITING_ATTACH_APPROVAL = models.Q(
    status=CustomerStatus.PROVISIONING, attach_state=AttachState.PENDING_APPROVAL
)
NEEDS_ATTENTION = PROVISIONING_FAILED | HELD_BY_SCREENING | AWAITING_ATTACH_APPROVAL


class Customer(TimeStampedModel):
    """The wholesale customer record of a customer organisation (the API's ``customerId``).

    The organisation row exists from the first moment; the API shows its ``orgId`` only once provisioned.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="customer")
    # The managing partner: the organisation's parent, set before the customer exists and never changed
    # after. The Partner Hub overview counts a partner's customers by it (``customer_partner_counts``) and
    # the API's list walks them by it (``customer_partner_walk``) instead of joining each of them to its
    # organisation.
    partner_uuid = models.UUIDField(_("managing partner id"))
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
    # The order as provisioning needs it later (apps.provisioning.services.provisioning): the organisation
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
        indexes = [
            models.Index(fields=["external_id"]),
            # A search's external id, compared without case (``external_id__iexact``, UPPER on PostgreSQL):
            # with the organisation's key, the two index paths of a selective customers search
            # (provisioning.selectors.customer_list_page) instead of a scan of every customer.
            models.Index(Upper("external_id"), name="customer_external_id_upper"),
            # The Partner Hub list sorted by creation (newest first): a page walks it instead of sorting all.
            # The API's order (created, id) with the organisation its scope is read through: a deep offset's
            # keys (core.pagination.page_slice) come from this index alone, not from the wide rows.
            models.Index(fields=["created", "id", "org"], name="customer_created_idx"),
            # The same for the list sorted by status: a page of a searched list walks it (the status's
            # customers in the order of their keys) instead of reading and sorting every customer of it
            # (provisioning.selectors._walks_merged).
            models.Index(fields=["status", "id", "org"], name="customer_status_idx"),
            # The organisations whose administrator has not approved an attach (yet): a handful among all
            # customers, which every audit log query leaves out for the partner's staff
            # (customers.selectors.customer_orgs_awaiting_attach_approval; it scanned every customer).
            models.Index(
                fields=["org"],
                name="customer_attach_waiting_idx",
                condition=ATTACH_NOT_APPROVED,
            ),
            models.Index(
                fields=["-status_changed"], name="customer_attention_idx", condition=NEEDS_ATTENTION
            ),
            # The overview's counts of a partner's customers by status and creation, from the index alone.
            models.Index(
                fields=["partner_uuid", "status", "attach_state", "created"], name="customer_partner_counts"
            ),
            # ``GET /v1/wholesale/customers`` of an actor who sees every customer of the partner, in its order
            # (oldest first): an offset skips index entries, not 10,000 customers joined and sorted.
            models.Index(fields=["partner_uuid", "created", "id"], name="customer_partner_walk"),
        ]

    def __str__(self) -> str:
        return self.org.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.CUSTOMER, self.id)

    @property
    def shown_status(self) -> tuple[str, str]:
        """The status a person reads: (css key, label). Provisioning that waits for an attached
        organisation's administrator to approve is not "Provisioning" but its own state; the API keeps the
        Webex ``status`` (``provisioning``), which has no such value."""
        if self.status == CustomerStatus.PROVISIONING and self.attach_state == AttachState.PENDING_APPROVAL:
            return ("pending_customer_approval", str(_("Waiting for customer approval")))
        return (self.status, self.get_status_display())


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
        return f"{self.customer} {self.get_code_display()}"


class OrgAuthMode(models.TextChoices):
    WEBEX = "webex", _("Webex")
    SSO_SAML = "sso_saml", _("Single sign-on (SAML)")
    SSO_OIDC = "sso_oidc", _("Single sign-on (OpenID Connect)")


class OrgProfile(TimeStampedModel):
    """Facts of an organisation that existed before wholesale services reached it."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="profile")
    is_broadworks = models.BooleanField(_("Webex for BroadWorks organisation"), default=False)
    is_trial = models.BooleanField(_("trial organisation"), default=False)
    auth_mode = models.CharField(
        _("sign-in"), max_length=16, choices=OrgAuthMode.choices, default=OrgAuthMode.WEBEX
    )
    idp_name = models.CharField(_("identity provider"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.org}"


class OrgDomain(TimeStampedModel):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(_("domain"), max_length=253)
    verified = models.BooleanField(pgettext_lazy("domain", "verified"), default=False)
    claimed = models.BooleanField(_("claimed"), default=False)
    # issue 13: the DNS TXT value that proves the organisation holds the domain.
    verification_token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unique_domain_per_org")]

    def __str__(self) -> str:
        return self.name


class LicenseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class OrgLicense(TimeStampedModel):
    """A subscription licence the organisation held before (e.g. bought directly from Cisco)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="licenses")
    name = models.CharField(_("licence"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(max_length=16, choices=LicenseStatus.choices, default=LicenseStatus.ACTIVE)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class AttachRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AttachRequest(TimeStampedModel):
    """A partner's request to manage an existing organisation, which its full administrator decides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="attach_request"
    )
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="attach_requests")
    reasons = models.JSONField(default=list, blank=True)  # why approval is needed, in the guide's words
    packages = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=16, choices=AttachRequestState.choices, default=AttachRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Wholesale request for {self.customer}"


# --- Control Hub organisation settings (issue 13) ---


class OrgSettings(TimeStampedModel):
    """What a customer's administrators (or its partner's, under restricted-by-partner mode) set for the
    organisation in Control Hub: e-mail, authentication, services. The company name is the organisation's;
    Webex Assistant is ``Customer.webex_assistant_enabled`` (kept off here once an admin turned it off)."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="settings")
    email_locale = models.CharField(_("e-mail language"), max_length=5, blank=True)
    suppress_admin_invite_email = models.BooleanField(_("suppress admin invite e-mails"), default=False)
    auth_mode = models.CharField(
        _("sign-in"), max_length=16, choices=OrgAuthMode.choices, default=OrgAuthMode.WEBEX
    )
    webex_assistant_off = models.BooleanField(
        _("Webex Assistant turned off by an administrator"), default=False
    )
    migrations_enabled = models.BooleanField(_("Migrations"), default=False)
    connected_uc_enabled = models.BooleanField(_("Connected UC"), default=False)

    def __str__(self) -> str:
        return f"Settings of {self.org}"
