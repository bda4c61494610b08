"""Workspaces: shared spaces (a lobby, a meeting room, a warehouse floor) that hold the Common Area Calling
package, listed and managed beside users. A workspace holds a phone number and/or an extension like a
subscriber does (``numbers_models``) and its package intervals join the assignment history
(``history_models.PackageAssignment.workspace``)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.ids import IdType, encode_id
from apps.core.models import TimeStampedModel
from apps.packages.constants import PackageCode


class Workspace(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="workspaces")
    name = models.CharField(_("name"), max_length=80)
    location = models.ForeignKey("customers.Location", on_delete=models.PROTECT, related_name="workspaces")
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
