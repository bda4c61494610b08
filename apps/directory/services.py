"""Writes of the directory: claim people, the auto-assigned licence, a CSV directory synchronisation, turning
the SCIM 2.0 endpoint on (a new secret) or off, and the identity provider's own writes through it. Each asks
for the action of its restricted-mode control; people are added as users through ``subscriber_add``, their
details changed through ``subscriber_details_update`` and they are removed through ``subscriber_remove``
(each with its own checks and audit)."""

import csv
import hashlib
import io
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, refuse
from apps.core.exceptions import ApplicationError
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.customers.selectors import customer_of_org
from apps.directory.models import DirectorySettings
from apps.directory.selectors import claimable_people, directory_settings_of
from apps.packages.catalogue import package_get
from apps.subscribers.models import Subscriber, name_shown
from apps.subscribers.selectors.subscribers import subscriber_packages_held
from apps.subscribers.services.details import subscriber_details_update
from apps.subscribers.services.holders import locked_holder
from apps.subscribers.services.subscribers import subscriber_add, subscriber_remove

MAX_CSV_ROWS = 1000
MAX_CSV_BYTES = 1024 * 1024


@transaction.atomic
def auto_assign_set(*, actor, org: Organization, package: str) -> DirectorySettings:
    require(actor, Action.AUTO_ASSIGN_MANAGE, org)
    customer = customer_of_org(org=org)
    if package and (customer is None or package not in subscriber_packages_held(customer=customer)):
        refuse("package", ErrorCode.SUBSCRIBER_PACKAGE_INVALID, _("Choose a package the organisation holds."))
    if package and package_get(package).has_calling:
        refuse(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            _("A calling package needs a number or an extension per person: give it by hand."),
        )
    found = directory_settings_of(org=org, for_update=True)
    before = found.auto_assign_package
    found.auto_assign_package = package
    found.save(update_fields=["auto_assign_package", "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action="directory.auto_assign",
        target=found,
        before={"package": before},
        after={"package": package},
    )
    return found


def _add_person(
    *, actor, org: Organization, email: str, first_name: str = "", last_name: str = ""
) -> Subscriber:
    """A person added as a user with the auto-assigned licence (refused without one)."""
    package = directory_settings_of(org=org).auto_assign_package
    if not package:
        refuse(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            _("Choose the licence auto-assigned to new users first."),
        )
    return subscriber_add(
        actor=actor,
        customer=customer_of_org(org=org),
        email=email,
        package=package,
        first_name=first_name,
        last_name=last_name,
    )


def users_claim(*, actor, org: Organization, emails: list[str]) -> list[Subscriber]:
    """Claim free accounts of the organisation's claimed domains: each becomes a user with the auto-assigned
    licence. All or nothing."""
    require(actor, Action.USERS_CLAIM, org)
    claimable = {u.email.lower(): u for u in claimable_people(org=org)}
    chosen = [e.lower() for e in emails if isinstance(e, str)]
    unknown = [e for e in chosen if e not in claimable]
    if not chosen or unknown:
        refuse("emails", ErrorCode.EMAIL_INVALID, _("Choose people from the list of claimable accounts."))
    with transaction.atomic():
        claimed = [_add_person(actor=actor, org=org, email=email) for email in chosen]
        audit_record(
            actor=actor, acting_org=org, action="directory.claim", target=org, after={"emails": chosen}
        )
    return claimed


def directory_csv_sync(*, actor, org: Organization, data: bytes) -> dict:
    """Synchronise the directory from a CSV (columns Email, First Name, Last Name): new addresses become
    users with the auto-assigned licence, known ones get their names updated (``subscriber_details_update``).
    All or nothing."""
    require(actor, Action.DIRECTORY_SYNC_MANAGE, org)
    if len(data) > MAX_CSV_BYTES:
        refuse(
            "file",
            ErrorCode.EMAIL_INVALID,
            _("The file is larger than %(size)d KB.") % {"size": MAX_CSV_BYTES // 1024},
        )
    try:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        refuse("file", ErrorCode.EMAIL_INVALID, _("The file is not a UTF-8 CSV file."))
    if not rows or "Email" not in rows[0] or len(rows) > MAX_CSV_ROWS:
        refuse(
            "file",
            ErrorCode.EMAIL_INVALID,
            _("Give a CSV with an Email column and 1 to %(max)d rows.") % {"max": MAX_CSV_ROWS},
        )
    added = updated = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            email = (row.get("Email") or "").strip().lower()
            first, last = (row.get("First Name") or "").strip(), (row.get("Last Name") or "").strip()
            existing = Subscriber.objects.filter(customer__org=org, email=email).first()
            try:
                if existing is None:
                    _add_person(actor=actor, org=org, email=email, first_name=first, last_name=last)
                    added += 1
                elif (existing.first_name, existing.last_name) != (first, last):
                    # As the user's details page renames them: its checks (lengths, unsafe characters), its
                    # audit entry, the person's own names with the subscriber's.
                    subscriber_details_update(
                        actor=actor,
                        subscriber=existing,
                        first_name=first,
                        last_name=last,
                        display_name=existing.chosen_display_name,
                        email=existing.email,
                    )
                    updated += 1
            except ValidationError as exc:
                refuse(
                    "file",
                    ErrorCode.EMAIL_INVALID,
                    (
                        _("Row %(row)d (%(email)s): %(problems)s")
                        % {"row": number, "email": email, "problems": " ".join(exc.messages)}
                        if email
                        else _("Row %(row)d (no e-mail): %(problems)s")
                        % {"row": number, "problems": " ".join(exc.messages)}
                    ),
                )
        found = directory_settings_of(org=org, for_update=True)
        found.last_sync = timezone.now()
        found.last_sync_summary = {"added": added, "updated": updated, "rows": len(rows)}
        found.save(update_fields=["last_sync", "last_sync_summary", "modified"])
        audit_record(
            actor=actor,
            acting_org=org,
            action="directory.csv_sync",
            target=found,
            after=found.last_sync_summary,
        )
    return found.last_sync_summary


@transaction.atomic
def scim_enable(*, actor, org: Organization) -> str:
    """A new SCIM bearer secret (shown once; the previous one stops working)."""
    require(actor, Action.DIRECTORY_SYNC_MANAGE, org)
    secret = "scim_" + secrets.token_urlsafe(32)
    found = directory_settings_of(org=org, for_update=True)
    found.scim_token_hash = hashlib.sha256(secret.encode()).hexdigest()
    found.scim_token_prefix = secret[:12]
    found.scim_enabled_by = actor
    found.save(update_fields=["scim_token_hash", "scim_token_prefix", "scim_enabled_by", "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action="directory.scim_enable",
        target=found,
        after={"prefix": found.scim_token_prefix},
    )
    return secret


@transaction.atomic
def scim_disable(*, actor, org: Organization) -> None:
    require(actor, Action.DIRECTORY_SYNC_MANAGE, org)
    found = directory_settings_of(org=org, for_update=True)
    found.scim_token_hash = found.scim_token_prefix = ""
    found.scim_enabled_by = None
    found.save(update_fields=["scim_token_hash", "scim_token_prefix", "scim_enabled_by", "modified"])
    audit_record(actor=actor, acting_org=org, action="directory.scim_disable", target=found)


def scim_user_create(
    *, settings: DirectorySettings, email, first_name="", last_name="", display_name=""
) -> Subscriber:
    """A user pushed by the identity provider, in the name of the admin who turned SCIM on. A display name
    other than the one shown without a chosen one is then chosen through the details service (its checks,
    its audit); all or nothing."""
    actor = settings.scim_enabled_by
    require(actor, Action.DIRECTORY_SYNC_MANAGE, settings.org)
    with transaction.atomic():
        added = _add_person(
            actor=actor, org=settings.org, email=email, first_name=first_name, last_name=last_name
        )
        display_name = display_name.strip()
        if not display_name or display_name == added.display_name:
            return added
        return subscriber_details_update(
            actor=actor,
            subscriber=added,
            email=added.email,
            first_name=added.first_name,
            last_name=added.last_name,
            display_name=display_name,
        )


def _scim_actor(*, settings: DirectorySettings, subscriber: Subscriber | None = None):
    """The admin in whose name the identity provider writes, once they may still synchronise the directory
    (restricted-by-partner mode takes it from customer admins); a user of another organisation is a 404."""
    actor = settings.scim_enabled_by
    require(actor, Action.DIRECTORY_SYNC_MANAGE, settings.org)
    if subscriber is not None and subscriber.customer.org_id != settings.org_id:
        raise ApplicationError(_("No such user."), status=404)
    return actor


@transaction.atomic
def scim_user_update(
    *,
    settings: DirectorySettings,
    subscriber: Subscriber,
    email: str,
    first_name: str,
    last_name: str,
    display_name: str,
    active: bool,
) -> Subscriber:
    """A user replaced or patched by the identity provider: its address and names as the details page changes
    them (same checks, same audit), then, when it is no longer active, removed as the Users page removes
    one. The product has no suspended state, and a removed user's package interval closes, so an inactive user
    is billed no more. All or nothing; nothing is written (nor audited) when nothing changes. A display name
    equal to the one shown without a chosen one (first and last name, else the address) is no choice: it
    keeps following the names."""
    actor = _scim_actor(settings=settings, subscriber=subscriber)
    subscriber = locked_holder(subscriber)
    email = email.strip().lower()
    first_name, last_name, display_name = first_name.strip(), last_name.strip(), display_name.strip()
    if display_name == name_shown(first_name, last_name, email):
        display_name = ""
    wanted = (email, first_name, last_name, display_name)
    held = (subscriber.email, subscriber.first_name, subscriber.last_name, subscriber.chosen_display_name)
    if wanted != held:
        subscriber = subscriber_details_update(
            actor=actor,
            subscriber=subscriber,
            email=email,
            first_name=first_name,
            last_name=last_name,
            display_name=display_name,
        )
    if not active:
        subscriber_remove(actor=actor, subscriber=subscriber)
    return subscriber


def scim_user_remove(*, settings: DirectorySettings, subscriber: Subscriber) -> None:
    """The identity provider deletes a user: removed as the Users page removes one (refused for an
    administrator, who keeps their package while they are one)."""
    actor = _scim_actor(settings=settings, subscriber=subscriber)
    subscriber_remove(actor=actor, subscriber=subscriber)
