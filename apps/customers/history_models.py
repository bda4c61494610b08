"""The package assignment history: one interval per package a holder held, from ``started_at`` to
``ended_at`` (null while it is held). Billing computes daily prorated usage from these rows.

A row is written once and closed once: the only change ever made to it is setting ``ended_at`` (the services
in ``services.history`` do it; ``save`` refuses to rewrite a stored row). It outlives its customer: the
foreign keys are ``SET_NULL`` and the snapshot columns keep who held what, for which customer,
organisation and managing partner, so usage can still be attributed after the customer is removed.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.packages.constants import PackageCode


class PackageAssignment(models.Model):
    """One package held by one holder over ``[started_at, ended_at)``; open while ``ended_at`` is null."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The holder: a subscriber or a workspace (Common Area Calling), each with its snapshot id.
    subscriber = models.ForeignKey(
        "customers.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package_assignments",
    )
    subscriber_uuid = models.UUIDField(_("subscriber id"), null=True, blank=True)
    subscriber_email = models.EmailField(_("subscriber e-mail"), blank=True)
    workspace = models.ForeignKey(
        "customers.Workspace",
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
        "customers.Location",
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
