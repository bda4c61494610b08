"""Writes about customers, as a package: provisioning (create, update, remove, precheck), denied-party
screening, attaching to existing organisations, and subscribers. Callers import from here."""

from .provisioning import (
    ErrorCode,
    customer_precheck,
    customer_provision,
    customer_provision_enqueue,
    customer_provision_request,
    customer_remove,
    customer_remove_request,
    customer_update,
    customer_update_request,
    customer_work_failed,
    error_status,
)
from .subscribers import (
    consent_subscriber,
    location_find,
    subscriber_add,
    subscriber_change_package,
    subscriber_consent_accept,
    subscriber_consent_email_send,
    subscriber_consent_send,
    subscriber_precheck,
    subscriber_remove,
    subscriber_remove_problem,
)

__all__ = [
    "ErrorCode",
    "customer_precheck",
    "customer_provision",
    "customer_provision_enqueue",
    "customer_provision_request",
    "customer_remove",
    "customer_remove_request",
    "customer_update",
    "customer_update_request",
    "customer_work_failed",
    "error_status",
    "consent_subscriber",
    "location_find",
    "subscriber_add",
    "subscriber_change_package",
    "subscriber_consent_accept",
    "subscriber_consent_email_send",
    "subscriber_consent_send",
    "subscriber_precheck",
    "subscriber_remove",
    "subscriber_remove_problem",
]
