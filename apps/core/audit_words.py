"""The audit log in the reader's words. An entry keeps codes: its event (``customer.screening_hold``), the
keys of what changed and, for some keys, the code the field stores (``"status": "pending_rpl_review"``). The
page shows each in words, in the reader's language: the events and the keys from the catalogues below (plain
words, kept here beside the log they name), the stored codes by the labels of the apps' own choices, which
core cannot import: each app names its coded keys when it starts (``AppConfig.ready``). Anything without
words reads as its code with spaces, never a 500."""

import functools
import re
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, dict[str, object]] = {}  # audit key → {code: label (a lazy translation)}


def name_audit_codes(keys: Iterable[str], choices: Iterable[tuple[str, object]]) -> None:
    """Show the codes of these audit keys (``"status"``; ``"packages"`` for a list of codes) by the labels of
    ``choices``. Several apps may name the same key (a customer's, a subscriber's, an organisation's
    ``status``): their codes are told apart by value, so a code named twice must read the same."""
    labels = dict(choices)
    for key in keys:
        named = _LABELS.setdefault(key, {})
        for code, label in labels.items():
            if code in named and str(named[code]) != str(label):
                raise ImproperlyConfigured(
                    f"audit key {key!r}: code {code!r} named both {named[code]!r} and {label!r}"
                )
            named[code] = label


def audit_code_label(key: str, value: object) -> str | None:
    """The words for ``value`` stored under audit ``key``, if its app named them; else None."""
    label = _LABELS.get(key, {}).get(value) if isinstance(value, str) else None
    return None if label is None else str(label)


# The audit log's words for each event (its code stays in the entry and the API). Every code an app records
# has its words here (tests/core/test_readable_pages.py walks the apps' code for them); a code without words
# would read as its own words, in English ("customer.screening_hold" → "Customer: screening hold").
EVENTS: dict[str, object] = {
    "admin.customers_assign": _("Administrator's customers assigned"),
    "admin.invitation_accept": _("Administrator invitation accepted"),
    "admin.invitation_sent": _("Administrator invitation sent"),
    "admin.invite": _("Administrator invited"),
    "admin.roles_set": _("Administrator roles changed"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "billing_report.create": _("Billing report requested"),
    "billing_report.delete": _("Billing report deleted"),
    "branding.override_allow": _("Customer allowed its own branding"),
    "branding.override_disallow": _("Customer kept to the partner's branding"),
    "branding.update": _("Branding changed"),
    "calling.call_priority": _("Calling: app options call priority changed"),
    "calling.calling_behavior": _("Calling: calling behaviour changed"),
    "calling.pstn": _("Calling: PSTN connection changed"),
    "calling.call_recording": _("Calling: call recording changed"),
    "calling.location_setup": _("Calling: set-up of new locations changed"),
    "customer.attach_approve": _("Attach request approved"),
    "customer.attach_automatic": _("Existing organisation attached"),
    "customer.attach_decline": _("Attach request declined"),
    "customer.attach_request": _("Attach request sent"),
    "customer.provision_failed": _("Customer provisioning failed"),
    "customer.provision_request": _("Customer provisioning requested"),
    "customer.provision_resume": _("Customer provisioning resumed"),
    "customer.provision_retry": _("Customer provisioning retried"),
    "customer.provisioned": _("Customer provisioned"),
    "customer.remove_request": _("Customer removal requested"),
    "customer.remove_resume": _("Customer removal resumed"),
    "customer.remove_retry": _("Customer removal retried"),
    "customer.removed": _("Customer removed"),
    "customer.restricted_mode": _("Restricted-by-partner mode changed"),
    "customer.screening_clear": _("Customer cleared by screening"),
    "customer.screening_escalate": _("Screening hold escalated"),
    "customer.screening_hold": _("Customer held by screening"),
    "customer.screening_reject": _("Customer rejected by screening"),
    "customer.update_request": _("Customer update requested"),
    "customer.updated": _("Customer updated"),
    "customer.webex_assistant": _("Webex Assistant changed"),
    "directory.auto_assign": _("Licence auto-assignment changed"),
    "directory.claim": _("Users claimed"),
    "directory.csv_sync": _("Directory synchronised from CSV"),
    "directory.scim_disable": _("SCIM synchronisation turned off"),
    "directory.scim_enable": _("SCIM synchronisation turned on"),
    "domain.add": _("Domain added"),
    "domain.claim": _("Domain claimed"),
    "domain.verify": _("Domain verified"),
    "export.expire": _("Export expired"),
    "export.request": _("Export requested"),
    "extension.release": _("Extension released"),
    "extension.reserve": _("Extension reserved"),
    "location.create": _("Location added"),
    "location.delete": _("Location deleted"),
    "location.update": _("Location changed"),
    "number.assign": _("Phone number assigned"),
    "number.delete": _("Phone number deleted"),
    "number.release": _("Phone number released"),
    "numbers.add": _("Phone numbers added"),
    "org.authentication": _("Sign-in settings changed"),
    "org.create_existing": _("Existing organisation added"),
    "org.email_settings": _("E-mail settings changed"),
    "org.rename": _("Organisation renamed"),
    "org.services": _("Services settings changed"),
    "org.webex_assistant": _("Webex Assistant setting changed"),
    "partner.create": _("Partner created"),
    "partner.settings_update": _("Partner settings changed"),
    "person.password_set": _("Password set"),
    "platform.bootstrap": _("Platform set up"),
    "screening.csv_import": _("Screening list imported"),
    "screening.entry_add": _("Screening list entry added"),
    "screening.entry_remove": _("Screening list entry removed"),
    "setup_assist.advance": _("Setup Assist order advanced"),
    "setup_assist.order": _("Setup Assist ordered"),
    "subpartner.billing_start_update": _("Indirect provider's billing start changed"),
    "subpartner.create": _("Indirect provider created"),
    "subpartner.policy_update": _("Indirect provider policy changed"),
    "subpartner.remove": _("Indirect provider removed"),
    "subpartner.setup": _("Indirect provider set up"),
    "subpartner.setup_decline": _("Indirect provider set-up declined"),
    "subpartner.setup_request": _("Indirect provider set-up requested"),
    "subpartner.suspend": _("Indirect provider suspended"),
    "subpartner.reactivate": _("Indirect provider reactivated"),
    "subscriber.consent_accept": _("User consent accepted"),
    "subscriber.consent_send": _("User consent e-mail sent"),
    "subscriber.create": _("User added"),
    "subscriber.details": _("User details changed"),
    "subscriber.package_change": _("User package changed"),
    "subscriber.remove": _("User removed"),
    "subscriber_import.create": _("User import started"),
    "subscriber_import.failed": _("User import failed"),
    "subscriber_import.resume": _("User import resumed"),
    "subscriber_import.retry": _("User import retried"),
    "support.contacts": _("Support contacts changed"),
    "support.request_open": _("Support request opened"),
    "support.request_status": _("Support request status changed"),
    "template.create": _("Onboarding template created"),
    "template.delete": _("Onboarding template deleted"),
    "template.update": _("Onboarding template changed"),
    "transfer_price.set": _("Transfer price set"),
    "workspace.create": _("Workspace added"),
    "workspace.remove": _("Workspace removed"),
    "workspace.update": _("Workspace changed"),
}


def audit_event_choices() -> list[tuple[str, str]]:
    """Every event (``EVENTS``) as (code, words) in the reader's language, in the order of the words: what the
    audit log's Event filter offers. Worked out once per language (a hundred translations per page)."""
    return list(_event_choices(get_language()))


@functools.cache
def _event_choices(language: str | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((code, str(label)) for code, label in EVENTS.items()), key=lambda event: event[1]))


def audit_event_words(action: str) -> str:
    """An audit event's code in the reader's words: its label, else the code as words
    (``customer.attach_request`` → "Customer: attach request")."""
    label = EVENTS.get(action)
    if label is not None:
        return str(label)
    subject, _dot, verb = str(action).partition(".")
    words = (verb or subject).replace("_", " ").replace(".", " ")
    return f"{subject.replace('_', ' ').capitalize()}: {words}" if verb else words.capitalize()


# What an audit entry's keys (the fields it records) read as on the audit log; a key not here reads as itself,
# its underscores as spaces. Worded in their own context: "Seats" of an order need not read as elsewhere.
KEYS: dict[str, object] = {
    "accent_dark": pgettext_lazy("audit log: a field", "Accent colour (dark theme)"),
    "accent_light": pgettext_lazy("audit log: a field", "Accent colour (light theme)"),
    "added": pgettext_lazy("audit log: a field", "Added"),
    "address": pgettext_lazy("audit log: a field", "Address"),
    "address_line1": pgettext_lazy("audit log: a field", "Address line 1"),
    "address_line2": pgettext_lazy("audit log: a field", "Address line 2"),
    "admin": pgettext_lazy("audit log: a field", "Administrator"),
    "allow_admin_invite_on_attach": pgettext_lazy("audit log: a field", "Invite the administrator on attach"),
    "allow_customer_override": pgettext_lazy("audit log: a field", "Customers may use their own branding"),
    "already_listed": pgettext_lazy("audit log: a field", "Already listed"),
    "amount": pgettext_lazy("audit log: a field", "Amount"),
    "assignments_closed": pgettext_lazy("audit log: a field", "Packages released"),
    "attach_state": pgettext_lazy("audit log: a field", "Attach state"),
    "auth_mode": pgettext_lazy("audit log: a field", "Sign-in"),
    "billing_start_date": pgettext_lazy("audit log: a field", "Billing start"),
    "broadworks": pgettext_lazy("audit log: a field", "BroadWorks"),
    "case_portal_url": pgettext_lazy("audit log: a field", "Case portal"),
    "category": pgettext_lazy("audit log: a field", "Category"),
    "chat_url": pgettext_lazy("audit log: a field", "Chat"),
    "city": pgettext_lazy("audit log: a field", "City"),
    "claimed": pgettext_lazy("audit log: a field", "Claimed"),
    "count": pgettext_lazy("audit log: a field", "Count"),
    "country": pgettext_lazy("audit log: a field", "Country"),
    "customers": pgettext_lazy("audit log: a field", "Customers"),
    "domains": pgettext_lazy("audit log: a field", "Domains"),
    "email": pgettext_lazy("audit log: a field", "E-mail"),
    "emails": pgettext_lazy("audit log: a field", "E-mails"),
    "emergency_location_identifier": pgettext_lazy("audit log: a field", "Emergency location identifier"),
    "end": pgettext_lazy("audit log: a field", "End"),
    "errors": pgettext_lazy("audit log: a field", "Errors"),
    "escalated": pgettext_lazy("audit log: a field", "Escalated"),
    "escalation_contact": pgettext_lazy("audit log: a field", "Escalation contact"),
    "existing_org": pgettext_lazy("audit log: a field", "Existing organisation"),
    "extension": pgettext_lazy("audit log: a field", "Extension"),
    "extension_length": pgettext_lazy("audit log: a field", "Extension length"),
    "extensions": pgettext_lazy("audit log: a field", "Extensions"),
    "external_id": pgettext_lazy("audit log: a field", "External id"),
    "feedback_url": pgettext_lazy("audit log: a field", "Feedback"),
    "file_deleted": pgettext_lazy("audit log: a field", "File deleted"),
    "file_name": pgettext_lazy("audit log: a field", "File"),
    "first": pgettext_lazy("audit log: a field", "First"),
    "from": pgettext_lazy("audit log: a field", "From"),
    "help_url": pgettext_lazy("audit log: a field", "Help site"),
    "holder": pgettext_lazy("audit log: a field", "Holder"),
    "idp_entity_id": pgettext_lazy("audit log: a field", "Identity provider entity id"),
    "idp_name": pgettext_lazy("audit log: a field", "Identity provider"),
    "import": pgettext_lazy("audit log: a field", "Import"),
    "international_calling": pgettext_lazy("audit log: a field", "International calling"),
    "invitation": pgettext_lazy("audit log: a field", "Invitation"),
    "kind": pgettext_lazy("audit log: a field", "Kind"),
    "language": pgettext_lazy("audit log: a field", "Language"),
    "last": pgettext_lazy("audit log: a field", "Last"),
    "lines": pgettext_lazy("audit log: a field", "Lines"),
    "location": pgettext_lazy("audit log: a field", "Location"),
    "logo_dark": pgettext_lazy("audit log: a field", "Logo (dark theme)"),
    "logo_light": pgettext_lazy("audit log: a field", "Logo (light theme)"),
    "matches": pgettext_lazy("audit log: a field", "Matches"),
    "name": pgettext_lazy("audit log: a field", "Name"),
    "note": pgettext_lazy("audit log: a field", "Note"),
    "number": pgettext_lazy("audit log: a field", "Number"),
    "numbers": pgettext_lazy("audit log: a field", "Numbers"),
    "package": pgettext_lazy("audit log: a field", "Package"),
    "packages": pgettext_lazy("audit log: a field", "Packages"),
    "params": pgettext_lazy("audit log: a field", "Filters"),
    "parent": pgettext_lazy("audit log: a field", "Parent"),
    "partner": pgettext_lazy("audit log: a field", "Partner"),
    "partner_access": pgettext_lazy("audit log: a field", "Partner access"),
    "people": pgettext_lazy("audit log: a field", "People"),
    "phase": pgettext_lazy("audit log: a field", "Phase"),
    "phone": pgettext_lazy("audit log: a field", "Phone"),
    "phone_numbers": pgettext_lazy("audit log: a field", "Phone numbers"),
    "prefix": pgettext_lazy("audit log: a field", "Prefix"),
    "primary_dark": pgettext_lazy("audit log: a field", "Primary colour (dark theme)"),
    "primary_email": pgettext_lazy("audit log: a field", "Administrator e-mail"),
    "primary_light": pgettext_lazy("audit log: a field", "Primary colour (light theme)"),
    "processed_rows": pgettext_lazy("audit log: a field", "Rows processed"),
    "provisioning_id": pgettext_lazy("audit log: a field", "Provisioning id"),
    "pstn_vendor": pgettext_lazy("audit log: a field", "PSTN provider"),
    "reason": pgettext_lazy("audit log: a field", "Reason"),
    "reasons": pgettext_lazy("audit log: a field", "Reasons"),
    "removed": pgettext_lazy("audit log: a field", "Removed"),
    "restricted_by_partner": pgettext_lazy("audit log: a field", "Restricted by partner"),
    "roles": pgettext_lazy("audit log: a field", "Roles"),
    "rows": pgettext_lazy("audit log: a field", "Rows"),
    "seats": pgettext_lazy("audit log: a field", "Seats"),
    "send_admin_invite_email": pgettext_lazy("audit log: a field", "Send the administrator invitation"),
    "service": pgettext_lazy("audit log: a field", "Service"),
    "setup_needs_approval": pgettext_lazy("audit log: a field", "Set-ups need approval"),
    "sign_in_host": pgettext_lazy("audit log: a field", "Sign-in host"),
    "sku": pgettext_lazy("audit log: a field", "SKU"),
    "start": pgettext_lazy("audit log: a field", "Start"),
    "state": pgettext_lazy("audit log: a field", "State"),
    "state_or_province": pgettext_lazy("audit log: a field", "State or province"),
    "status": pgettext_lazy("audit log: a field", "Status"),
    "subject": pgettext_lazy("audit log: a field", "Subject"),
    "subscription_id": pgettext_lazy("audit log: a field", "Subscription id"),
    "support_url": pgettext_lazy("audit log: a field", "Support site"),
    "timezone": pgettext_lazy("audit log: a field", "Time zone"),
    "trial": pgettext_lazy("audit log: a field", "Trial"),
    "type": pgettext_lazy("audit log: a field", "Type"),
    "verified": pgettext_lazy("audit log: a field", "Verified"),
    "voicemail_enabled": pgettext_lazy("audit log: a field", "Voicemail"),
    "wanted": pgettext_lazy("audit log: a field", "Wanted by"),
    "webex_assistant_enabled": pgettext_lazy("audit log: a field", "Webex Assistant"),
    "zip_or_postal_code": pgettext_lazy("audit log: a field", "Postcode"),
}


def audit_key_words(key: str) -> str:
    """An audit entry's key in the reader's words: ``location_id`` → "Location"."""
    return _key_words(key, get_language())


# A page of the audit log names a few keys many times over: each looked up and translated once per language
# (a lazy translation with a context, translated each time, cost the page more than the rest of its rows).
@functools.lru_cache(maxsize=4096)
def _key_words(key: str, language: str | None) -> str:
    plain = str(key).removesuffix("_id").removesuffix("Id")
    label = KEYS.get(key) or KEYS.get(plain)
    return plain.replace("_", " ") if label is None else str(label)


# Through which door an event came (core.context.Channel), after "via" on the audit log.
CHANNELS: dict[str, object] = {
    "page": _("the console"),
    "api": _("the API"),
    "task": _("a background task"),
    "command": _("a command"),
    "scim": _("the identity provider (SCIM)"),
}


def audit_channel_words(channel: str) -> str:
    """The door an event came through, in the reader's words (the code when unknown)."""
    label = CHANNELS.get(channel)
    return str(channel) if label is None else str(label)


_RAW_ID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|Y2lzY29zcGFyazovL3[\w-]+)$"
)


def audit_change_rows(value) -> list[tuple[str, str, str]]:
    """An audit before/after value as readable (key, shown value, id) rows: lists joined, nested values
    compact; a code an app named by its label; an id (a uuid or an opaque Webex id) is not shown as text but
    offered to copy (the third item), since people read names and ids belong in a copy button or the API."""
    if not value:
        return []
    if not isinstance(value, dict):
        return [("value", str(value), "")]

    def show(key: str, item) -> str:
        if item is None or item == "":
            return "—"
        if isinstance(item, list | tuple):
            return ", ".join(show(key, i) for i in item) or gettext("none")
        if isinstance(item, dict):  # such as a customer's packages and their states
            return ", ".join(f"{show(key, k)}: {show(key, v)}" for k, v in item.items()) or gettext("none")
        if isinstance(item, bool):
            return gettext("yes") if item else gettext("no")
        return audit_code_label(key, item) or str(item)

    rows = []
    for key, item in value.items():
        label = audit_key_words(key)
        if isinstance(item, str) and _RAW_ID.match(item):
            rows.append((label, "", item))
        else:
            rows.append((label, show(str(key), item), ""))
    return rows
