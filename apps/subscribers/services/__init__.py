"""Writes about subscribers, workspaces, CSV imports and the package assignment history, one module each;
callers outside this app import the services from here."""

from apps.subscribers.services.history import (
    assignment_change,
    assignment_close,
    assignment_first,
    assignment_open,
    assignments_close_for_customer,
    workspace_assignment_change,
    workspace_assignment_close,
    workspace_assignment_open,
)
from apps.subscribers.services.imports import (
    subscriber_import_create,
    subscriber_import_failed,
    subscriber_import_parse,
    subscriber_import_resume,
    subscriber_import_retry,
    subscriber_import_retry_lines,
    subscriber_import_run,
    subscriber_import_template,
)
from apps.subscribers.services.subscribers import (
    consent_subscriber,
    consent_url,
    subscriber_add,
    subscriber_change_package,
    subscriber_consent_accept,
    subscriber_consent_email_send,
    subscriber_consent_send,
    subscriber_precheck,
    subscriber_remove,
    subscriber_remove_problem,
)
from apps.subscribers.services.workspaces import (
    workspace_create,
    workspace_precheck,
    workspace_remove,
    workspace_update,
)

__all__ = [
    "assignment_change",
    "assignment_close",
    "assignment_first",
    "assignment_open",
    "assignments_close_for_customer",
    "consent_subscriber",
    "consent_url",
    "subscriber_add",
    "subscriber_change_package",
    "subscriber_consent_accept",
    "subscriber_consent_email_send",
    "subscriber_consent_send",
    "subscriber_import_create",
    "subscriber_import_failed",
    "subscriber_import_parse",
    "subscriber_import_resume",
    "subscriber_import_retry",
    "subscriber_import_retry_lines",
    "subscriber_import_run",
    "subscriber_import_template",
    "subscriber_precheck",
    "subscriber_remove",
    "subscriber_remove_problem",
    "workspace_assignment_change",
    "workspace_assignment_close",
    "workspace_assignment_open",
    "workspace_create",
    "workspace_precheck",
    "workspace_remove",
    "workspace_update",
]
