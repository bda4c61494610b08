"""The wire shapes of sub-partners: the official ``SubPartner`` (``/v1/wholesale/subPartners``) and the
partner API's richer one with the set-up and lifecycle fields."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from rest_framework import serializers

from apps.core.api.fields import StrictCharField, StrictEmailField
from apps.core.ids import IdType, encode_id
from apps.core.models import OrgStatus
from apps.core.wire import webex_time
from apps.subpartners.selectors import SHARED_SUBSCRIPTION, Counts, billing_start_date_shown


def _day(value: date) -> str:
    """A billing start date as the official examples give it: an instant (the day's start, UTC)."""
    return webex_time(datetime.combine(value, time.min, tzinfo=UTC))


def subpartner_body(row: Mapping) -> dict:
    """A sub-partner on the wire (``SubPartner``), from a row of ``subpartner_rows_for_api``."""
    return {
        "orgId": encode_id(IdType.ORGANIZATION, row["id"]),
        "subscriptionId": row[SHARED_SUBSCRIPTION] or "",
        "provisioningState": row["status"],
        "created": webex_time(row["created"]),
        "billingStartDate": _day(
            billing_start_date_shown(row["subpartner_profile__billing_start_date"], row["created"])
        ),
    }


def partner_subpartner_body(row: Mapping, counts: Counts) -> dict:
    """The partner API's sub-partner (``PartnerSubPartnerSerializer``): ``subpartner_body`` and its name,
    why it is suspended, its counts (``subpartner_counts``)."""
    data = subpartner_body(row)
    data["displayName"] = row["name"]
    data["statusReason"] = row["subpartner_profile__status_reason"] or ""
    data["customerCount"] = counts.customers
    data["subscriberCount"] = counts.subscribers
    return data


class SubPartnerSerializer(serializers.Serializer):
    """``SubPartner`` of the official document. ``subscriptionId`` is the parent's shared subscription (the
    same for every row of a parent). (The schema: the body itself is ``subpartner_body``'s.)"""

    orgId = serializers.CharField(help_text="The organisation id of the sub-partner.")
    subscriptionId = serializers.CharField(help_text="The parent's wholesale subscription, shared.")
    provisioningState = serializers.ChoiceField(choices=OrgStatus.values)
    created = serializers.CharField(help_text="When the sub-partner was set up (ISO 8601, UTC).")
    billingStartDate = serializers.CharField(help_text="From when its usage is billed (ISO 8601, UTC).")


class PartnerSubPartnerSerializer(SubPartnerSerializer):
    """The partner API's sub-partner: the official fields, its name, why it is suspended, its counts. (The
    schema: the body itself is ``partner_subpartner_body``'s.)"""

    displayName = serializers.CharField()
    statusReason = serializers.CharField(allow_blank=True)
    customerCount = serializers.IntegerField()
    subscriberCount = serializers.IntegerField()


class SubPartnerListQuerySerializer(serializers.Serializer):
    provisioningState = serializers.ChoiceField(
        choices=OrgStatus.values, required=False, help_text="Only sub-partners in this provisioning state."
    )


class SubPartnerSetupSerializer(serializers.Serializer):
    displayName = StrictCharField(max_length=255, help_text="The sub-partner organisation's name.")
    adminEmail = StrictEmailField(max_length=254, help_text="Its first administrator's e-mail, invited.")
    adminFirstName = StrictCharField(max_length=150, required=False, allow_blank=True, default="")
    adminLastName = StrictCharField(max_length=150, required=False, allow_blank=True, default="")
    billingStartDate = serializers.DateField(
        required=False, allow_null=True, help_text="YYYY-MM-DD; default: the set-up date."
    )


class SubPartnerSetupResultSerializer(serializers.Serializer):
    """A set-up: ``approved`` with the sub-partner's ``orgId``, or ``pending`` the operator's approval."""

    id = serializers.CharField()
    state = serializers.CharField()
    displayName = serializers.CharField()
    orgId = serializers.CharField(required=False)

    def to_representation(self, request) -> dict:
        data = {"id": str(request.id), "state": request.state, "displayName": request.name}
        if request.subpartner_id:
            data["orgId"] = request.subpartner.webex_id
        return data


class SubPartnerUpdateSerializer(serializers.Serializer):
    provisioningState = serializers.ChoiceField(choices=OrgStatus.values, required=False)
    statusReason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
    billingStartDate = serializers.DateField(required=False)
