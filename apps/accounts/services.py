"""Writes about people: invitations, roles, partner-admin customer assignments, API tokens."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from apps.accounts.language import language_for
from apps.accounts.models import ApiScope, ApiToken, Invitation, InvitationStatus, User, UserRole
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role, roles_for_org_kind
from apps.accounts.selectors import MANAGE_CUSTOMER_CODENAME, assigned_customers_of, invitation_get, roles_of
from apps.core.models import Organization
from apps.core.services import audit_record, outbox_enqueue
from apps.core.validators import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters

TOKEN_PREFIX = "whub_"
# Whole sentences per case, so that each language can word them (and agree them) in its own way.
_KIND_REFUSALS = {
    "platform": gettext_lazy("“%(role)s” cannot be held in a platform organisation."),
    "partner": gettext_lazy("“%(role)s” cannot be held in a partner organisation."),
    "customer": gettext_lazy("“%(role)s” cannot be held in a customer organisation."),
}
_KEEPER_REFUSALS = {
    Role.PLATFORM_OPERATOR: gettext_lazy("An organisation must keep at least one platform operator."),
    Role.FULL_ADMIN: gettext_lazy("An organisation must keep at least one full administrator."),
}
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _clean_roles(*, org: Organization, roles: Iterable[str]) -> list[Role]:
    allowed = roles_for_org_kind(org.kind)
    cleaned = []
    for value in roles:
        try:
            role = Role(value)
        except ValueError:
            raise ValidationError({"roles": _("Unknown role “%(role)s”.") % {"role": value}}) from None
        if role not in allowed:
            raise ValidationError({"roles": _KIND_REFUSALS[org.kind] % {"role": role.label}})
        cleaned.append(role)
    return sorted(set(cleaned))


def _role_values(user: User) -> list[str]:
    return sorted(UserRole.objects.filter(user=user).values_list("role", flat=True))


def person_create(
    *, org: Organization, email: str, first_name: str = "", last_name: str = "", roles: Iterable[str] = ()
) -> User:
    """A new person of ``org`` with these roles and no password yet. Callers check permission and audit."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if len(email) > User._meta.get_field("email").max_length:
        raise ValidationError({"email": _("An e-mail address has at most 254 characters.")})
    if User.objects.filter(email=email).exists():  # stored lower-case: the unique index serves it
        raise ValidationError({"email": _("This e-mail address already belongs to a person.")})
    for key, value in (("first_name", first_name), ("last_name", last_name)):
        if has_unsafe_characters(value or ""):
            raise ValidationError({key: UNSAFE_CHARACTERS_MESSAGE})
    cleaned = _clean_roles(org=org, roles=roles)
    user = User.objects.create_user(
        email=email, first_name=first_name.strip()[:150], last_name=last_name.strip()[:150], org=org
    )
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in cleaned])
    return user


def _unusable_password() -> str:
    """What ``set_unusable_password`` stores (``make_password(None)``: the prefix that
    ``is_password_usable`` refuses, then 40 random characters), from one ``secrets`` call instead of Django's
    40 ``secrets.choice`` calls: a CSV import's chunk makes hundreds of people at once."""
    # token_urlsafe(30): 30 random bytes as 40 URL-safe characters (240 bits; Django's 40 alphanumerics: 238).
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(UNUSABLE_PASSWORD_SUFFIX_LENGTH * 3 // 4)


def people_create_batch(*, org: Organization, people: list[tuple[str, str, str]]) -> list[User]:
    """Many new people of ``org`` — (e-mail, first name, last name) each — without roles or a password, in one
    insert (a CSV import's chunk). The caller has checked every e-mail as ``person_create`` does (valid, at
    most 254 characters, nobody's); the unique index still refuses a duplicate. Callers check permission and
    audit."""
    return User.objects.bulk_create(people_unsaved(org=org, people=people))


def people_unsaved(*, org: Organization, people: list[tuple[str, str, str]]) -> list[User]:
    """``people_create_batch``'s people, not written yet: for a caller that writes them with its own rows in
    one statement (a subscriber's add: ``core.inserts``), under the same checks."""
    return [
        User(
            email=User.objects.normalize_email(email).lower(),
            first_name=first_name.strip()[:150],
            last_name=last_name.strip()[:150],
            org=org,
            password=_unusable_password(),
        )
        for email, first_name, last_name in people
    ]


def free_account_create(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """Someone's free Webex account, as sign-up makes it: no organisation, no role. Nothing in the portal
    signs people up; the demo world (and tests) make one to show the consent of a free account."""
    return User.objects.create_user(
        email=email.strip().lower(), first_name=first_name.strip()[:150], last_name=last_name.strip()[:150]
    )


def invitation_queue(*, user: User, invited_by: User | None) -> Invitation:
    invitation = Invitation.objects.create(user=user, invited_by=invited_by)
    from apps.accounts.tasks import invitation_send_task

    outbox_enqueue(task_name=invitation_send_task.name, args=[str(invitation.id)])
    return invitation


@transaction.atomic
def person_invite(
    *,
    actor: User,
    org: Organization,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: Iterable[str],
) -> User:
    require(actor, Action.ADMINS_MANAGE, org)
    roles = list(roles)
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    user = person_create(org=org, email=email, first_name=first_name, last_name=last_name, roles=roles)
    invitation_queue(user=user, invited_by=actor)
    audit_record(
        actor=actor,
        acting_org=org,
        action="admin.invite",
        target=user,
        after={"email": user.email, "roles": _role_values(user)},
    )
    return user


def _keeper_role(org: Organization) -> Role:
    """The role an organisation must never lose its last holder of: the platform's operator (else nobody
    can manage partners again), everyone else's full administrator."""
    return Role.PLATFORM_OPERATOR if org.is_platform else Role.FULL_ADMIN


def _keepers_left(org: Organization, *, without: User) -> bool:
    # The organisation's row locked first: two admins removing each other at once cannot both pass.
    list(Organization.objects.select_for_update().filter(pk=org.pk).values_list("pk", flat=True))
    return (
        UserRole.objects.filter(user__org=org, user__is_active=True, role=_keeper_role(org))
        .exclude(user=without)
        .exists()
    )


@transaction.atomic
def person_set_roles(*, actor: User, org: Organization, person: User, roles: Iterable[str]) -> User:
    """Replace a person's roles; an organisation always keeps one full administrator."""
    require(actor, Action.ADMINS_MANAGE, org)
    if person.org_id != org.id:
        raise ValidationError(_("This person does not belong to this organisation."))
    cleaned = _clean_roles(org=org, roles=roles)
    before = _role_values(person)
    keeper = _keeper_role(org)
    if keeper in before and keeper not in cleaned and not _keepers_left(org, without=person):
        raise ValidationError({"roles": _KEEPER_REFUSALS[keeper]})
    UserRole.objects.filter(user=person).exclude(role__in=cleaned).delete()
    UserRole.objects.bulk_create([UserRole(user=person, role=r) for r in cleaned], ignore_conflicts=True)
    if Role.PARTNER_ADMIN not in cleaned:
        for customer in assigned_customers_of(user=person):
            remove_perm(MANAGE_CUSTOMER_CODENAME, person, customer)
    person.__dict__.pop("_roles_cache", None)
    after = _role_values(person)
    if after != before:
        audit_record(
            actor=actor,
            acting_org=org,
            action="admin.roles_set",
            target=person,
            before={"roles": before},
            after={"roles": after},
        )
    return person


def person_remove_admin(*, actor: User, org: Organization, person: User) -> User:
    """Take every administrator role away; the person stays in the organisation."""
    return person_set_roles(actor=actor, org=org, person=person, roles=[])


@transaction.atomic
def person_assign_customers(
    *, actor: User, org: Organization, person: User, customers: Iterable[Organization]
) -> User:
    """Set exactly which customers a partner administrator manages (django-guardian object grants)."""
    require(actor, Action.ADMINS_MANAGE, org)
    if person.org_id != org.id or Role.PARTNER_ADMIN not in roles_of(person):
        raise ValidationError(_("Customers can only be assigned to a partner administrator of this partner."))
    wanted = {c.id: c for c in customers}
    if any(c.parent_id != org.id or not c.is_customer for c in wanted.values()):
        raise ValidationError({"customers": _("Only this partner's own customers can be assigned.")})
    current = {c.id: c for c in assigned_customers_of(user=person)}
    for pk in current.keys() - wanted.keys():
        remove_perm(MANAGE_CUSTOMER_CODENAME, person, current[pk])
    for pk in wanted.keys() - current.keys():
        assign_perm(MANAGE_CUSTOMER_CODENAME, person, wanted[pk])
    if current.keys() != wanted.keys():
        audit_record(
            actor=actor,
            acting_org=org,
            action="admin.customers_assign",
            target=person,
            before={"customers": sorted(c.name for c in current.values())},
            after={"customers": sorted(c.name for c in wanted.values())},
        )
    return person


def password_set_url(*, user: User) -> str:
    # The invitation's welcome page (apps.accounts.views.welcome): who invited you, to what, set a password.
    path = reverse(
        "account_welcome",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def invitation_send(*, invitation_id) -> Invitation | None:
    """Send the invitation e-mail once; a second call (a retried task) does nothing. The row is locked: a
    second delivery of the message running at the same time waits here, then finds it sent."""
    invitation = invitation_get(invitation_id=invitation_id, locked=True)
    if invitation is None or invitation.status == InvitationStatus.SENT:
        return invitation
    user = invitation.user
    context = {
        "user": user,
        "org": user.org,
        "invited_by": invitation.invited_by,
        "url": password_set_url(user=user),
        "site_url": settings.SITE_URL,
    }
    # In the language the person will read the portal in (their choice, else their organisation's).
    with translation.override(language_for(user) or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("You are invited to administer %(org)s on Wholesale Hub") % {"org": user.org},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    invitation.status = InvitationStatus.SENT
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["status", "sent_at", "modified"])
    audit_record(
        actor=None,
        acting_org=user.org,
        action="admin.invitation_sent",
        target=user,
        after={"email": user.email, "invitation": str(invitation.id)},
    )
    return invitation


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, scopes: Iterable[str], expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor; the secret is returned once and only its hash is kept."""
    if actor.org is None:
        raise ValidationError(_("Only members of an organisation can hold API tokens."))
    require(actor, Action.TOKENS_MANAGE, actor.org)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in ApiScope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        key_hash=_hash(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        acting_org=actor.org,
        action="api_token.create",
        target=token,
        after={
            "name": token.name,
            "scopes": scopes,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.id:
        raise ValidationError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "modified"])
        audit_record(actor=actor, acting_org=actor.org, action="api_token.revoke", target=token)
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The usable token behind a secret, its last use recorded at most once a minute."""
    from apps.accounts.selectors import api_token_by_hash

    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = api_token_by_hash(key_hash=_hash(secret))
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token


def person_set_password(*, user: User, password: str) -> User:
    """Set a known password (demo data and the operator's command line; people use the e-mailed link)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    person_email_verify(user=user)
    audit_record(actor=None, acting_org=user.org, action="person.password_set", target=user)
    return user


def person_email_verify(*, user: User) -> None:
    """The person proved they own their address (they used the e-mailed link): allauth may trust it, which
    two-factor set-up requires."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """The invited person sets a password on the welcome page. Opening the e-mailed link proved the address,
    so it is verified (as allauth's own password-reset link does), which two-factor set-up needs."""
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    audit_record(actor=user, acting_org=user.org, action="admin.invitation_accept", target=user)
    return user
