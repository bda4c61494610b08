"""Branding on the partner API: one brand layer as JSON (camelCase, colours as #rrggbb, logos read as URLs
and written as base64 content), and the two resources built of them."""

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.branding.images import MAX_LOGO_BYTES
from apps.branding.models import Brand
from apps.branding.selectors import ResolvedBrand

# JSON name → model field (also how the keyed exception handler names a refused field).
FIELDS = {
    "primaryColorLight": "primary_light",
    "accentColorLight": "accent_light",
    "primaryColorDark": "primary_dark",
    "accentColorDark": "accent_dark",
    "helpUrl": "help_url",
    "supportUrl": "support_url",
    "feedbackUrl": "feedback_url",
    "signInHost": "sign_in_host",
}
LOGOS = {"logoLight": "logo_light", "logoDark": "logo_dark"}
ERROR_FIELDS = {
    **{f: j for j, f in FIELDS.items()},
    **{f: j for j, f in LOGOS.items()},
}


@extend_schema_field({"type": "string", "format": "byte", "nullable": True, "writeOnly": True})
class Base64LogoField(serializers.Field):
    """Base64 of a PNG, JPEG or SVG file (validated by content by the service); null removes the logo."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, write_only=True, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > (MAX_LOGO_BYTES * 4) // 3 + 8:
            raise serializers.ValidationError(f"The logo is larger than {MAX_LOGO_BYTES // 1024} KB.")
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not base64 content.") from None
        return SimpleUploadedFile("logo", content)

    default_error_messages = {"invalid": "Give the logo file's content as a base64 string, or null."}


def _url(name: str) -> str | None:
    return ResolvedBrand({"logo_light": name}).logo_light_url or None if name else None


def brand_json(brand: Brand | None, *, sign_in_host: bool = False) -> dict:
    data = {json: (getattr(brand, field) if brand else "") or None for json, field in FIELDS.items()}
    if not sign_in_host:
        data.pop("signInHost")
    data["logoLightUrl"] = _url(brand.logo_light) if brand else None
    data["logoDarkUrl"] = _url(brand.logo_dark) if brand else None
    return data


def resolved_json(brand: ResolvedBrand) -> dict:
    data = {json: brand.values.get(field) or None for json, field in FIELDS.items() if json != "signInHost"}
    data["logoLightUrl"] = brand.logo_light_url or None
    data["logoDarkUrl"] = (brand.logo_dark_url or None) if brand.logo_light or brand.logo_dark else None
    return data


class BrandSerializer(serializers.Serializer):
    """One brand layer. Write: only the fields given change; an empty string or null clears a field (it is
    then inherited)."""

    primaryColorLight = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=7)
    accentColorLight = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=7)
    primaryColorDark = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=7)
    accentColorDark = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=7)
    helpUrl = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=500)
    supportUrl = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=500)
    feedbackUrl = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=500)
    logoLight = Base64LogoField()
    logoDark = Base64LogoField()
    logoLightUrl = serializers.CharField(read_only=True, allow_null=True)
    logoDarkUrl = serializers.CharField(read_only=True, allow_null=True)

    def split(self) -> tuple[dict, dict]:
        """(values, logos) for ``services.brand_update``."""
        data = self.validated_data
        values = {FIELDS[k]: (v or "") for k, v in data.items() if k in FIELDS}
        logos = {LOGOS[k]: (v if v is not None else False) for k, v in data.items() if k in LOGOS}
        return values, logos


class OwnBrandSerializer(BrandSerializer):
    signInHost = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=253)


class PartnerBrandingSerializer(serializers.Serializer):
    orgId = serializers.CharField(read_only=True)
    own = OwnBrandSerializer(
        required=False, help_text="What the partner's own Partner Hub and sign-in page show."
    )
    customerDefault = BrandSerializer(required=False, help_text="The default brand of all its customers.")


class CustomerBrandingSerializer(serializers.Serializer):
    customerId = serializers.CharField(read_only=True)
    brand = BrandSerializer(required=False, help_text="What the partner sets for this customer.")
    allowCustomerOverride = serializers.BooleanField(
        required=False, help_text="Whether the customer's own administrators may override the brand."
    )
    effective = BrandSerializer(
        read_only=True, help_text="What the customer's people see, all layers resolved."
    )
