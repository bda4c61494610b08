"""Writes about customers, as a package: provisioning (create, update, remove, precheck), denied-party
screening, attaching to existing organisations, and subscribers. Callers import from here."""

from .subscribers import customer_create, subscriber_add

__all__ = ["customer_create", "subscriber_add"]
