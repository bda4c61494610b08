"""Writes of wholesale provisioning, one module each (the customer state machine, attaching to an existing
organisation, the "Set up customer" wizard's write); callers outside this app import the services from
here."""

from apps.provisioning.services.attach import (
    attach_request_approve,
    attach_request_decline,
    existing_org_create,
)
from apps.provisioning.services.provisioning import (
    customer_precheck,
    customer_provision,
    customer_provision_enqueue,
    customer_provision_request,
    customer_remove,
    customer_remove_request,
    customer_update,
    customer_update_request,
    customer_work_failed,
)
from apps.provisioning.services.setup import SetupResult, SetupUser, customer_setup_apply

__all__ = [
    "SetupResult",
    "SetupUser",
    "attach_request_approve",
    "attach_request_decline",
    "customer_precheck",
    "customer_provision",
    "customer_provision_enqueue",
    "customer_provision_request",
    "customer_remove",
    "customer_remove_request",
    "customer_setup_apply",
    "customer_update",
    "customer_update_request",
    "customer_work_failed",
    "existing_org_create",
]
