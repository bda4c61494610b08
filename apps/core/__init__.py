"""The organisation tree, the audit log, ids, API conventions, the error registry and the HTMX helpers
every app builds on. It imports no other app."""
