"""Onboarding templates in the partner API, Webex style: camelCase, a template named by its provisioningId."""

from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.onboarding.models import (
    CLOUD_CONNECTED_PSTN_VENDORS,
    EXTENSION_LENGTH_MAX,
    EXTENSION_LENGTH_MIN,
    AuthMode,
    OnboardingTemplate,
)


class StrictBooleanField(serializers.BooleanField):
    """JSON true/false only: DRF's BooleanField also takes "yes", 1 and "false", which the schema forbids."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: not "4", not 4.0, not true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class OnboardingTemplateSerializer(serializers.Serializer):
    id = serializers.CharField(
        source="provisioning_id", help_text="The template's id: its provisioningId, opaque and stable."
    )
    name = serializers.CharField()
    provisioningId = serializers.CharField(
        source="provisioning_id", help_text="What `POST /v1/wholesale/customers` takes as `provisioningId`."
    )
    subscriptionId = serializers.CharField(source="subscription_id")
    country = serializers.CharField(help_text="ISO 3166 alpha-2.")
    language = serializers.CharField(help_text="A supported locale (en_US) or a two-letter language (en).")
    authMode = serializers.ChoiceField(source="auth_mode", choices=AuthMode.values)
    idpEntityId = serializers.CharField(source="idp_entity_id")
    idpName = serializers.CharField(source="idp_name")
    pstnVendor = serializers.CharField(source="pstn_vendor")
    sendAdminInviteEmail = serializers.BooleanField(source="send_admin_invite_email")
    allowAdminInviteOnAttach = serializers.BooleanField(source="allow_admin_invite_on_attach")
    extensionLength = serializers.IntegerField(source="extension_length")
    voicemailEnabled = serializers.BooleanField(source="voicemail_enabled")
    internationalCalling = serializers.BooleanField(source="international_calling")
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


# Input names → the service's keyword arguments.
FIELD_NAMES = {
    "name": "name",
    "subscriptionId": "subscription_id",
    "country": "country",
    "language": "language",
    "authMode": "auth_mode",
    "idpEntityId": "idp_entity_id",
    "idpName": "idp_name",
    "pstnVendor": "pstn_vendor",
    "sendAdminInviteEmail": "send_admin_invite_email",
    "allowAdminInviteOnAttach": "allow_admin_invite_on_attach",
    "extensionLength": "extension_length",
    "voicemailEnabled": "voicemail_enabled",
    "internationalCalling": "international_calling",
}


class OnboardingTemplateWriteSerializer(serializers.Serializer):
    """POST creates; PUT replaces the settings it names and keeps the ones it leaves out."""

    name = StrictCharField(max_length=OnboardingTemplate._meta.get_field("name").max_length)
    country = StrictCharField(min_length=2, max_length=2, help_text="ISO 3166 alpha-2, e.g. US.")
    language = StrictCharField(
        min_length=2, max_length=5, help_text="A supported locale (en_US) or a two-letter language (en)."
    )
    subscriptionId = StrictCharField(
        required=False,
        max_length=32,
        help_text="The partner's wholesale subscription (a sub-partner's is its parent's); the default.",
    )
    authMode = serializers.ChoiceField(required=False, choices=AuthMode.values)
    idpEntityId = StrictCharField(
        required=False, allow_blank=True, max_length=255, help_text="Required when authMode is partner_saml."
    )
    idpName = StrictCharField(
        required=False, allow_blank=True, max_length=255, help_text="Required when authMode is partner_oidc."
    )
    pstnVendor = serializers.ChoiceField(
        required=False,
        allow_blank=True,
        choices=["", *CLOUD_CONNECTED_PSTN_VENDORS],
        help_text="Optional and not recommended: applies to the first location only.",
    )
    sendAdminInviteEmail = StrictBooleanField(required=False)
    allowAdminInviteOnAttach = StrictBooleanField(required=False)
    extensionLength = StrictIntegerField(
        required=False, min_value=EXTENSION_LENGTH_MIN, max_value=EXTENSION_LENGTH_MAX
    )
    voicemailEnabled = StrictBooleanField(required=False)
    internationalCalling = StrictBooleanField(required=False)

    def service_kwargs(self) -> dict:
        return {FIELD_NAMES[key]: value for key, value in self.validated_data.items()}
