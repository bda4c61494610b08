"""Writes about customers, as a package: provisioning (create, update, remove, precheck), denied-party
screening, attaching to existing organisations, subscribers and workspaces. Callers import from here."""

from .imports import (
    subscriber_import_create,
    subscriber_import_failed,
    subscriber_import_parse,
    subscriber_import_run,
    subscriber_import_template,
)
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
from .setup import SetupResult, SetupUser, customer_setup_apply
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
from .workspaces import workspace_create, workspace_precheck, workspace_remove, workspace_update

__all__ = [
    "ErrorCode",
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
    "error_status",
    "consent_subscriber",
    "location_find",
    "subscriber_add",
    "subscriber_change_package",
    "subscriber_consent_accept",
    "subscriber_consent_email_send",
    "subscriber_consent_send",
    "subscriber_import_create",
    "subscriber_import_failed",
    "subscriber_import_parse",
    "subscriber_import_run",
    "subscriber_import_template",
    "subscriber_precheck",
    "subscriber_remove",
    "subscriber_remove_problem",
    "SetupResult",
    "SetupUser",
    "workspace_create",
    "workspace_precheck",
    "workspace_remove",
    "workspace_update",
]
