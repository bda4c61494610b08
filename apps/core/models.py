"""The organisation tree every tenant row hangs from, and the audit log.

The tree is one table: the platform at the root; partners; sub-partners (a partner whose parent is a
partner, one level only); customers, whose parent is the partner or sub-partner that manages them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceLabels
from apps.core.ids import IdType, encode_id


class TimeStampedModel(ChoiceLabels, models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrgKind(models.TextChoices):
    PLATFORM = "platform", _("Platform")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Customer")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Organization(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(max_length=16, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["parent", "kind", "name"]),
        ]
        permissions = [("manage_customer", "Manage this customer (partner admin assignment)")]

    def __str__(self) -> str:
        return self.name

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.ORGANIZATION, self.id)

    @property
    def is_platform(self) -> bool:
        return self.kind == OrgKind.PLATFORM

    @property
    def is_partner(self) -> bool:
        return self.kind == OrgKind.PARTNER

    @property
    def is_subpartner(self) -> bool:
        return self.kind == OrgKind.PARTNER and self.parent_id is not None

    @property
    def is_customer(self) -> bool:
        return self.kind == OrgKind.CUSTOMER


class AuditEvent(models.Model):
    """One write, as it happened. Never updated; never deleted by the product."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    actor_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acting_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    tracking_id = models.CharField(max_length=128, blank=True)
    channel = models.CharField(max_length=16)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["acting_org", "-created"]),
            # The log's whole order (newest first) and the two organisations every log's scope tests: a page
            # walks it in order (no sort of the events sharing an instant) and a deep page's keys
            # (core.pagination.page_slice) are an index-only scan, not a read of each wide event (offset
            # 9,900 of a partner's log at 400,000 events: 32 -> 16 ms in PostgreSQL, vacuumed). It also serves
            # what the index on ``created`` alone served (date ranges), which it replaces.
            models.Index(
                fields=["-created", "-id", "acting_org", "actor_org"], name="audit_created_covering"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.AUDIT_EVENT, self.id)

    @property
    def cross_launched(self) -> bool:
        return self.actor_org_id is not None and self.actor_org_id != self.acting_org_id


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting to be published")
    PUBLISHED = "published", _("Published to the broker")
    STARTED = "started", _("Running in a worker")
    DONE = "done", _("Done")
    FAILED = "failed", _("Given up")


class OutboxMessage(models.Model):
    """A task that must run, written in the same transaction as the work it carries out (DESIGN.md rule 9).

    The relay publishes it (at once after the commit, and again from the beat while it is ``pending``); its id
    is the Celery task id, so the worker's signals mark it started and finished. A message that stays
    published or started past its lease is published again (the tasks are idempotent) and, after
    ``OUTBOX_MAX_ATTEMPTS``, given up: the task's ``on_failure`` ends its row in a terminal state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    subject = models.CharField(max_length=64, blank=True, help_text=_("The id of the row the task works on."))
    state = models.CharField(max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(help_text=_("When the relay (next) looks at it: publish or re-publish."))
    published_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"], name="core_outbox_open_due")]

    def __str__(self) -> str:
        return f"{self.task_name}({self.subject}) {self.state}"
