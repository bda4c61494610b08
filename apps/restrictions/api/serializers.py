"""Restricted-by-partner mode on the partner API: ``{"enabled": bool, "restrictedControls": [...]}``."""

from rest_framework import serializers


class RestrictedControlSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The control's stable key, e.g. `users.add_modify`.")
    area = serializers.CharField(help_text="users, account, organization, calling or services.")
    label = serializers.CharField()
    description = serializers.CharField(help_text="The product guide's wording.")
    effect = serializers.ChoiceField(
        choices=["greyed", "hidden"], help_text="How Control Hub shows it to customer admins."
    )
    always = serializers.BooleanField(help_text="Restricted for customer admins whatever the mode.")


class RestrictedModeSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Whether Restricted by Partner Mode is on.")
    restrictedControls = RestrictedControlSerializer(
        many=True, help_text="What the customer's own administrators may not use right now."
    )

    def to_representation(self, instance):
        enabled, controls = instance
        return {
            "enabled": enabled,
            "restrictedControls": [
                {
                    "key": c.key,
                    "area": str(c.area),
                    "label": str(c.label),
                    "description": str(c.guide),
                    "effect": str(c.effect),
                    "always": c.when == "always",
                }
                for c in controls
            ],
        }


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF's BooleanField also takes "yes", 1 and "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class RestrictedModeUpdateSerializer(serializers.Serializer):
    enabled = StrictBooleanField(help_text="Turn Restricted by Partner Mode on (true) or off (false).")
