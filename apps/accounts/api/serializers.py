from collections.abc import Callable, Mapping
from uuid import UUID

from rest_framework import serializers

from apps.accounts.roles import Role
from apps.core.api.fields import StrictCharField, StrictEmailField
from apps.core.ids import IdType, encode_id
from apps.core.wire import webex_time


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


def audit_event_body(row: Mapping, encode: Callable[[IdType, UUID], str] = encode_id) -> dict:
    """An audit event on the wire (``AuditEventSerializer``'s fields), from a row of
    ``accounts.selectors.AUDIT_EVENT_API_VALUES`` (ids, no joined organisation): a page of 100 is built from
    plain rows, without three model instances per event and a serializer per row (two thirds of what the
    list cost beyond its floor). ``encode``: ``encode_id``, or a page's ``id_encoder()`` for the ids its rows
    repeat (actors and organisations)."""
    actor_id, actor_org_id, acting_org_id = row["actor_id"], row["actor_org_id"], row["acting_org_id"]
    return {
        "id": encode_id(IdType.AUDIT_EVENT, row["id"]),
        "created": webex_time(row["created"]),
        "actorId": encode(IdType.PEOPLE, actor_id) if actor_id else None,
        "actorEmail": row["actor_email"],
        "actorOrgId": encode(IdType.ORGANIZATION, actor_org_id) if actor_org_id else None,
        "actingOrgId": encode(IdType.ORGANIZATION, acting_org_id) if acting_org_id else None,
        "action": row["action"],
        "targetType": row["target_type"],
        "targetId": row["target_id"],
        "targetName": row["target_repr"],
        "before": row["before"],
        "after": row["after"],
        "trackingId": row["tracking_id"],
        "channel": row["channel"],
    }


class AuditEventSerializer(serializers.Serializer):
    """An audit event (the schema; the body itself is ``audit_event_body``'s)."""

    id = serializers.CharField()
    created = serializers.DateTimeField(help_text="When it happened (UTC, milliseconds).")
    actorId = serializers.CharField(allow_null=True, help_text="Who did it; null: the system.")
    actorEmail = serializers.CharField()
    actorOrgId = serializers.CharField(allow_null=True, help_text="The organisation the actor belongs to.")
    actingOrgId = serializers.CharField(allow_null=True, help_text="The organisation it happened in.")
    action = serializers.CharField(help_text="The event's code, such as `subscriber.create`.")
    targetType = serializers.CharField()
    targetId = serializers.CharField()
    targetName = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    trackingId = serializers.CharField()
    channel = serializers.CharField()


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
