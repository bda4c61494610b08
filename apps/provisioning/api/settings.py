"""``/v1/partner/customers/{customerId}/settings`` and ``.../domains``: a customer's Control Hub
organisation settings on the partner API (company name, e-mail, authentication, services, Webex Assistant,
calling settings; domains: add, verify by DNS TXT, claim). The same services as the pages: each asks for the
action its restricted-mode control names; several fields in one call are written all or none."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.calling.selectors import calling_settings_of
from apps.calling.services import calling_setting_update
from apps.core.api.keyed import keyed_exception_handler
from apps.customers import services as org_services
from apps.customers.api import CUSTOMER_ID, ON_BEHALF, ORG_SCOPE, CustomerApi
from apps.customers.models import Customer
from apps.customers.selectors import domains_of, org_settings_of

# service key → JSON name, for the error body
FIELDS = {
    "name": "companyName",
    "email_locale": "emailLocale",
    "auth_mode": "authMode",
    "enabled": "webexAssistantEnabled",
    "value": "calling",
    "package": "calling",
}
CALLING = {
    "callPriority": "call_priority",
    "callingBehavior": "calling_behavior",
    "pstnConnection": "pstn",
    "callRecording": "call_recording",
    "setUpNewLocations": "location_setup",
}
CALLING_FIELDS = {
    "call_priority": "call_priority",
    "calling_behavior": "calling_behavior",
    "pstn": "pstn_connection",
    "call_recording": "call_recording",
    "location_setup": "set_up_new_locations",
}

SETTINGS_EXCEPTION_HANDLER = keyed_exception_handler(FIELDS)


class CallingSettingsSerializer(serializers.Serializer):
    callPriority = serializers.ChoiceField(choices=["webex_calling", "webex_app"], required=False)
    callingBehavior = serializers.ChoiceField(choices=["webex_app", "third_party", "ucm"], required=False)
    pstnConnection = serializers.ChoiceField(
        choices=["cloud_connected", "cisco_pstn", "local_gateway"], required=False
    )
    callRecording = serializers.BooleanField(required=False)
    setUpNewLocations = serializers.BooleanField(required=False)


class OrgSettingsSerializer(serializers.Serializer):
    customerId = serializers.CharField(read_only=True)
    companyName = serializers.CharField(required=False, max_length=255)
    emailLocale = serializers.CharField(required=False, allow_blank=True, max_length=5)
    suppressAdminInviteEmail = serializers.BooleanField(required=False)
    authMode = serializers.CharField(required=False, max_length=16)
    webexAssistantEnabled = serializers.BooleanField(required=False)
    migrationsEnabled = serializers.BooleanField(required=False)
    connectedUcEnabled = serializers.BooleanField(required=False)
    calling = CallingSettingsSerializer(required=False)


class DomainSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=253)
    action = serializers.ChoiceField(choices=["add", "verify", "claim"], default="add")


def _settings_json(customer: Customer) -> dict:
    org = customer.org
    settings = org_settings_of(org=org)
    calling = calling_settings_of(org=org)
    return {
        "customerId": customer.webex_id,
        "companyName": org.name,
        "emailLocale": settings.email_locale,
        "suppressAdminInviteEmail": settings.suppress_admin_invite_email,
        "authMode": settings.auth_mode,
        "webexAssistantEnabled": customer.webex_assistant_enabled,
        "migrationsEnabled": settings.migrations_enabled,
        "connectedUcEnabled": settings.connected_uc_enabled,
        "calling": {json: getattr(calling, CALLING_FIELDS[key]) for json, key in CALLING.items()},
        "domains": _domains_json(customer),
    }


def _domains_json(customer: Customer) -> list[dict]:
    return [
        {
            "name": d.name,
            "verified": d.verified,
            "claimed": d.claimed,
            "txtRecord": None if d.verified else org_services.TXT_PREFIX + d.verification_token,
        }
        for d in domains_of(org=customer.org)
    ]


class CustomerSettingsBase(CustomerApi):
    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    pagination_class = None
    read_action = Action.ORG_VIEW

    def get_exception_handler(self):
        return SETTINGS_EXCEPTION_HANDLER


@extend_schema(tags=["Partner: organisation settings"], parameters=[CUSTOMER_ID, ON_BEHALF, ORG_SCOPE])
class CustomerSettingsApi(CustomerSettingsBase):
    serializer_class = OrgSettingsSerializer
    write_action = Action.ORG_MANAGE  # each field's service asks for its own control's action too

    @extend_schema(summary="Get a customer's organisation settings", operation_id="getCustomerSettings")
    def get(self, request: Request, customer_id: str) -> Response:
        return Response(_settings_json(self.customer(customer_id)))

    @extend_schema(
        summary="Update a customer's organisation settings",
        operation_id="updateCustomerSettings",
        description="Change the fields given. Customer administrators lose most of these under Restricted by "
        "Partner Mode; partner administrators never do.",
    )
    def put(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        body = OrgSettingsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data, org, actor = body.validated_data, customer.org, request.user
        current = org_settings_of(org=org)
        with transaction.atomic():
            if "companyName" in data:
                org_services.company_name_update(actor=actor, org=org, name=data["companyName"])
            if {"emailLocale", "suppressAdminInviteEmail"} & set(data):
                org_services.email_settings_update(
                    actor=actor,
                    org=org,
                    email_locale=data.get("emailLocale", current.email_locale),
                    suppress_admin_invite_email=data.get(
                        "suppressAdminInviteEmail", current.suppress_admin_invite_email
                    ),
                )
            if "authMode" in data:
                org_services.auth_settings_update(actor=actor, org=org, auth_mode=data["authMode"])
            if {"migrationsEnabled", "connectedUcEnabled"} & set(data):
                org_services.services_settings_update(
                    actor=actor,
                    org=org,
                    migrations_enabled=data.get("migrationsEnabled", current.migrations_enabled),
                    connected_uc_enabled=data.get("connectedUcEnabled", current.connected_uc_enabled),
                )
            if "webexAssistantEnabled" in data:
                org_services.webex_assistant_set(actor=actor, org=org, enabled=data["webexAssistantEnabled"])
            for json, value in data.get("calling", {}).items():
                calling_setting_update(actor=actor, org=org, key=CALLING[json], value=value)
        customer.refresh_from_db()
        return Response(_settings_json(customer))


@extend_schema(tags=["Partner: organisation settings"], parameters=[CUSTOMER_ID, ON_BEHALF, ORG_SCOPE])
class CustomerDomainsApi(CustomerSettingsBase):
    serializer_class = DomainSerializer
    write_action = Action.DOMAINS_MANAGE

    @extend_schema(summary="List a customer's domains", operation_id="listCustomerDomains")
    def get(self, request: Request, customer_id: str) -> Response:
        return Response({"items": _domains_json(self.customer(customer_id))})

    @extend_schema(
        summary="Add, verify or claim a customer's domain",
        operation_id="changeCustomerDomain",
        description="`add` a domain (answers the TXT record to publish), `verify` it once the record is "
        "published, then `claim` it.",
    )
    def post(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        body = DomainSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        name, action = body.validated_data["name"].strip().lower(), body.validated_data["action"]
        if action == "add":
            org_services.domain_add(actor=request.user, org=customer.org, name=name)
        else:
            domain = domains_of(org=customer.org).filter(name=name).first()
            if domain is None:
                raise serializers.ValidationError({"name": f"{name} is not one of the customer's domains."})
            step = org_services.domain_verify if action == "verify" else org_services.domain_claim
            step(actor=request.user, domain=domain)
        return Response({"items": _domains_json(customer)}, status=201 if action == "add" else 200)
