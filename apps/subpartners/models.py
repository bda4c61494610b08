"""What a partner keeps about its indirect providers (sub-partners) beyond the organisation itself: the
profile (billing start date, why it is suspended), the set-up requests, and the platform's set-up policy."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organization, TimeStampedModel


class SubPartnerProfile(TimeStampedModel):
    """One per sub-partner organisation (a partner organisation with a parent partner).

    ``billing_start_date`` is the first day whose usage of its customers is billed to the parent's
    shared subscription (the guide's set-up field; default: the set-up date). The organisation's own
    ``status`` says whether it is active or suspended; the profile keeps why and since when."""

    org = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="subpartner_profile"
    )
    billing_start_date = models.DateField(_("billing start date"), default=timezone.localdate)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    status_changed = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.CharField(max_length=254, blank=True)  # who, as a person reads it

    class Meta:
        verbose_name = _("sub-partner profile")

    def __str__(self) -> str:
        return f"Sub-partner profile of {self.org}"


class SetupState(models.TextChoices):
    PENDING = "pending", _("Waiting for the operator")
    APPROVED = "approved", _("Set up")
    DECLINED = "declined", _("Declined")


class SubPartnerSetupRequest(TimeStampedModel):
    """A parent partner's request to set a sub-partner up, with the guide's fields. Made and approved at
    once unless the platform's policy has the operator approve set-ups first (then ``pending``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    parent = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="subpartner_requests")
    name = models.CharField(_("sub-partner organisation name"), max_length=255)
    admin_email = models.EmailField(_("first administrator's e-mail"), max_length=254)
    admin_first_name = models.CharField(_("first name"), max_length=150, blank=True)
    admin_last_name = models.CharField(_("last name"), max_length=150, blank=True)
    billing_start_date = models.DateField(_("billing start date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=SetupState.choices, default=SetupState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    subpartner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created"]
        indexes = [models.Index(fields=["state", "created"])]
        constraints = [
            # One pending request per name under a parent: asking twice is a mistake, not two sub-partners.
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                condition=models.Q(state="pending"),
                name="subpartner_one_pending_request_per_name",
            )
        ]

    def __str__(self) -> str:
        return f"Set-up of {self.name} under {self.parent}"


class SubPartnerPolicy(TimeStampedModel):
    """The platform's one setting about sub-partners (a single row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    setup_needs_approval = models.BooleanField(
        _("the operator approves sub-partner set-ups first"), default=False
    )

    class Meta:
        verbose_name_plural = _("sub-partner policy")

    def __str__(self) -> str:
        return "Sub-partner policy"
