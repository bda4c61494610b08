"""The wire shapes of sub-partners: the official ``SubPartner`` (``/v1/wholesale/subPartners``) and the
partner API's richer one with the set-up and lifecycle fields."""

from datetime import UTC, date, datetime, time

from rest_framework import serializers

from apps.core.api.fields import StrictCharField, StrictEmailField
from apps.core.models import Organization, OrgStatus
from apps.subpartners.selectors import billing_start_date_of_row


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _day(value: date) -> str:
    """A billing start date as the official examples give it: an instant (the day's start, UTC)."""
    return _instant(datetime.combine(value, time.min, tzinfo=UTC))


class SubPartnerSerializer(serializers.Serializer):
    """``SubPartner`` of the official document. ``subscriptionId`` is the parent's shared subscription,
    given in the context (the same for every row of a parent)."""

    orgId = serializers.CharField(help_text="The organisation id of the sub-partner.")
    subscriptionId = serializers.CharField(help_text="The parent's wholesale subscription, shared.")
    provisioningState = serializers.ChoiceField(choices=OrgStatus.values)
    created = serializers.CharField(help_text="When the sub-partner was set up (ISO 8601, UTC).")
    billingStartDate = serializers.CharField(help_text="From when its usage is billed (ISO 8601, UTC).")

    def to_representation(self, org: Organization) -> dict:
        return {
            "orgId": org.webex_id,
            "subscriptionId": self.context.get("subscription_id", ""),
            "provisioningState": org.status,
            "created": _instant(org.created),
            "billingStartDate": _day(billing_start_date_of_row(org)),
        }


class PartnerSubPartnerSerializer(SubPartnerSerializer):
    """The partner API's sub-partner: the official fields, its name, why it is suspended, its counts."""

    displayName = serializers.CharField()
    statusReason = serializers.CharField(allow_blank=True)
    customerCount = serializers.IntegerField()
    subscriberCount = serializers.IntegerField()

    def to_representation(self, org: Organization) -> dict:
        counts = self.context.get("counts", {}).get(org.id)
        profile = getattr(org, "subpartner_profile", None)
        return super().to_representation(org) | {
            "displayName": org.name,
            "statusReason": profile.status_reason if profile else "",
            "customerCount": counts.customers if counts else 0,
            "subscriberCount": counts.subscribers if counts else 0,
        }


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
