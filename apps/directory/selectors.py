"""Reads of the directory: its settings, who may be claimed, the users' services status."""

import hashlib

from django.db.models import Count, Q, QuerySet

from apps.accounts.models import User
from apps.core.ids import IdType, decode_id
from apps.core.models import Organization
from apps.customers.models import OrgDomain
from apps.directory.models import DirectorySettings
from apps.subscribers.models import Subscriber


def directory_settings_of(*, org: Organization, for_update: bool = False) -> DirectorySettings:
    qs = DirectorySettings.objects.select_for_update() if for_update else DirectorySettings.objects
    found = qs.filter(org=org).first()
    if found is None:
        found, _ = DirectorySettings.objects.get_or_create(org=org)
    return found


def claimed_domains_of(*, org: Organization) -> list[str]:
    return list(OrgDomain.objects.filter(org=org, claimed=True).values_list("name", flat=True))


def claimable_people(*, org: Organization) -> QuerySet[User]:
    """Free accounts (people of no organisation) whose address is in one of ``org``'s claimed domains."""
    domains = claimed_domains_of(org=org)
    if not domains:
        return User.objects.none()
    in_domains = Q()
    for domain in domains:
        in_domains |= Q(email__iendswith=f"@{domain}")
    return User.objects.filter(in_domains, org__isnull=True, is_staff=False, is_active=True).order_by("email")


def scim_settings_for_token(*, secret: str) -> DirectorySettings | None:
    if not secret:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return (
        DirectorySettings.objects.filter(scim_token_hash=digest)
        .select_related("org", "scim_enabled_by__org")
        .first()
    )


def services_status_of(*, org: Organization) -> list[dict]:
    """Users by package and status: what the Users view's services status shows (one grouped query)."""
    return list(
        Subscriber.objects.filter(customer__org=org)
        .values("package", "status")
        .annotate(n=Count("id"))
        .order_by("package", "status")
    )


def scim_users_of(*, org: Organization) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(customer__org=org).order_by("created", "id")


def scim_user_of(*, org: Organization, user_id: str) -> Subscriber | None:
    """The user a SCIM id names among ``org``'s, or None (another organisation's, a removed one, a malformed
    id)."""
    pk = decode_id(user_id, IdType.SUBSCRIBER)
    if pk is None:
        return None
    return scim_users_of(org=org).select_related("customer__org").filter(pk=pk).first()
