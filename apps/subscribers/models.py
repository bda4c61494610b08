"""The people (subscribers) and workspaces of a customer organisation, each holding one package; CSV imports
of users; the package assignment history billing is built from."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.ids import IdType, encode_id
from apps.core.models import TimeStampedModel
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.packages.constants import PackageCode


class SubscriberStatus(models.TextChoices):
    PROVISIONED = "provisioned", _("Provisioned")
    PENDING_USER_MIGRATION = "pending_user_migration", _("Pending user migration")


def name_shown(first_name: str, last_name: str, email: str) -> str:
    """The name a subscriber is shown by when none was chosen: first and last name, else the address."""
    return f"{first_name} {last_name}".strip() or email


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
    # issue 13: the name others see, when the person (or an admin) chose one; else first and last name.
    chosen_display_name = models.CharField(_("display name"), max_length=150, blank=True)
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
        # The lists walk these in their ORDER BY (selectors.subscribers): one customer's (the Users page
        # sorts, the API with a customer) and the partner-wide API sorts. Each ends with the id, so a deep
        # page reads its keys from the index alone. PostgreSQL also gets the API's NULLS FIRST order of
        # status_changed (migration 0001: SQLite orders NULLs first already and refuses it in an index).
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
            # The few waiting for their consent, who hold no package interval yet: the overviews add them
            # to the open-assignment counts (``selectors.counts``) without reading the others.
            models.Index(
                fields=["customer", "package"],
                condition=Q(status="pending_user_migration"),
                name="subscriber_pending_package",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.SUBSCRIBER, self.id)

    @property
    def display_name(self) -> str:
        return self.chosen_display_name or name_shown(self.first_name, self.last_name, self.email)


class Workspace(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="workspaces")
    name = models.CharField(_("name"), max_length=80)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="workspaces")
    package = models.CharField(
        _("package"), max_length=32, choices=PackageCode.choices, default=PackageCode.COMMON_AREA_CALLING
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "name"], name="unique_workspace_name_per_customer")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.WORKSPACE, self.id)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SubscriberImport(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(_("CSV content"), blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(default=0)
    modified_count = models.PositiveIntegerField(default=0)
    deleted_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    # [{"row": <line number in the file>, "email": ..., "action": ..., "errors": ["field: message", ...]}]
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.file_name or 'import'} ({self.get_status_display()})"

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.SUBSCRIBER_IMPORT, self.id)

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else min(100, self.processed_rows * 100 // self.total_rows)


class PackageAssignment(models.Model):
    """One package held by one holder over ``[started_at, ended_at)``; open while ``ended_at`` is null."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The holder: a subscriber or a workspace (Common Area Calling), each with its snapshot id.
    subscriber = models.ForeignKey(
        "subscribers.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package_assignments",
    )
    subscriber_uuid = models.UUIDField(_("subscriber id"), null=True, blank=True)
    subscriber_email = models.EmailField(_("subscriber e-mail"), blank=True)
    workspace = models.ForeignKey(
        "subscribers.Workspace",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package_assignments",
    )
    workspace_uuid = models.UUIDField(_("workspace id"), null=True, blank=True)
    workspace_name = models.CharField(_("workspace name"), max_length=80, blank=True)
    customer_uuid = models.UUIDField(_("customer id"))
    org_uuid = models.UUIDField(_("organisation id"))
    partner_uuid = models.UUIDField(_("managing partner id"), null=True, blank=True)
    package = models.CharField(_("package"), max_length=32, choices=PackageCode.choices)
    location = models.ForeignKey(
        "locations.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package_assignments",
    )
    location_uuid = models.UUIDField(_("location id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["partner_uuid", "started_at"], name="assignment_partner_start"),
            models.Index(fields=["customer_uuid", "started_at"], name="assignment_customer_start"),
            models.Index(fields=["subscriber_uuid", "started_at"], name="assignment_subscriber_start"),
            models.Index(fields=["workspace_uuid", "started_at"], name="assignment_workspace_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber_uuid"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_subscriber",
            ),
            models.UniqueConstraint(
                fields=["workspace_uuid"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_workspace",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        end = self.ended_at.isoformat() if self.ended_at else "open"
        holder = self.subscriber_email or self.workspace_name or self.subscriber_uuid or self.workspace_uuid
        return f"{holder} {self.package} {self.started_at.isoformat()}–{end}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A package assignment is never rewritten: close it with services.history.")
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class AssignmentHolder(models.TextChoices):
    SUBSCRIBER = "subscriber", _("User")
    WORKSPACE = "workspace", _("Workspace")


class OpenAssignmentCount(models.Model):
    """A part of the number of open ``PackageAssignment`` intervals one customer's holders of one kind have of
    one package: that number is the sum of its rows. ``services.history`` adds a row (+1, -1, +n) in the
    transaction of every write of an interval (the one place they are written) — an insert, so that two
    writes to one customer never wait for each other — and ``open_assignment_counts_fold`` folds each
    number's rows into one now and then (a periodic task). The overviews read these few rows instead of
    counting 100,000 subscribers. Rows go with their customer (whose intervals are all closed first)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No database constraint: a subscriber's add would check it once more at commit, for a row that only
    # counts (it goes with its customer through Django's cascade, and its intervals' closing clears it).
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    # The customer's managing partner (its organisation's parent, set before the customer exists and never
    # changed after; the intervals' ``partner_uuid``): a partner's own administrators' sums read the
    # partner's rows by it, instead of joining every customer of the partner to its organisation.
    partner_uuid = models.UUIDField(_("managing partner id"), null=True, blank=True)
    kind = models.CharField(max_length=16, choices=AssignmentHolder.choices)
    package = models.CharField(_("package"), max_length=32, choices=PackageCode.choices)
    n = models.IntegerField()

    class Meta:
        # The overviews' sums by package, from the index alone.
        indexes = [
            models.Index(fields=["customer", "kind", "package", "n"], name="open_count_customer"),
            models.Index(fields=["partner_uuid", "kind", "package", "n"], name="open_count_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.package}: {self.n:+d}"
