from rest_framework import serializers

from apps.accounts.roles import Role
from apps.core.api.fields import StrictCharField, StrictEmailField
from apps.core.ids import IdType, encode_id
from apps.core.models import AuditEvent


class AdminSerializer(serializers.Serializer):
    id = serializers.CharField(source="webex_id")
    email = serializers.EmailField()
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    orgId = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    invitationPending = serializers.SerializerMethodField()

    def get_orgId(self, obj) -> str:
        return obj.org.webex_id

    def get_roles(self, obj) -> list[str]:
        return sorted(r.role for r in obj.role_rows.all())

    def get_invitationPending(self, obj) -> bool:
        return not obj.has_usable_password()


class AdminInviteSerializer(serializers.Serializer):
    email = StrictEmailField()
    firstName = StrictCharField(required=False, allow_blank=True, max_length=150, default="")
    lastName = StrictCharField(required=False, allow_blank=True, max_length=150, default="")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), min_length=1)


class AdminRolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class AdminCustomersSerializer(serializers.Serializer):
    customerOrgIds = serializers.ListField(child=StrictCharField(max_length=200), max_length=10_000)


class AuditEventSerializer(serializers.Serializer):
    id = serializers.CharField(source="webex_id")
    created = serializers.DateTimeField()
    actorId = serializers.SerializerMethodField()
    actorEmail = serializers.CharField(source="actor_email")
    actorOrgId = serializers.SerializerMethodField()
    actingOrgId = serializers.SerializerMethodField()
    action = serializers.CharField()
    targetType = serializers.CharField(source="target_type")
    targetId = serializers.CharField(source="target_id")
    targetName = serializers.CharField(source="target_repr")
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    trackingId = serializers.CharField(source="tracking_id")
    channel = serializers.CharField()

    def get_actorId(self, obj: AuditEvent) -> str | None:
        return encode_id(IdType.PEOPLE, obj.actor_id) if obj.actor_id else None

    def get_actorOrgId(self, obj: AuditEvent) -> str | None:
        return obj.actor_org.webex_id if obj.actor_org_id else None

    def get_actingOrgId(self, obj: AuditEvent) -> str | None:
        return obj.acting_org.webex_id if obj.acting_org_id else None


class AuditQuerySerializer(serializers.Serializer):
    actorEmail = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="A part of the actor's e-mail address."
    )
    action = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="An event's code (`customer.provisioned`: that event), or a part of codes "
        "(`customer.`: every customer event).",
    )
    to = serializers.DateField(required=False, help_text="The last day (UTC), included.")


# "from" is a Python keyword: the field is added by name.
AuditQuerySerializer._declared_fields["from"] = serializers.DateField(
    required=False, help_text="The first day (UTC), included."
)
