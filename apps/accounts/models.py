"""People, their roles, invitations, API tokens, and the per-customer grants of partner admins."""

import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.accounts.roles import Role
from apps.core.choices import ChoiceLabels
from apps.core.ids import IdType, encode_id
from apps.core.models import Organization, TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language this person reads the portal in; blank follows their organisation (accounts.language).
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.PEOPLE, self.id)


class UserRole(ChoiceLabels, models.Model):
    """A role a person holds in their own organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class CustomerUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign key table: a partner admin's grant on one customer organisation."""

    content_object = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="user_object_grants"
    )


class CustomerGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="group_object_grants"
    )


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")


class Invitation(TimeStampedModel):
    """An e-mail inviting a person to set a password; sent by a Celery task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"


class ApiScope(models.TextChoices):
    """The Webex scope names an integration asks for (the code), and what each lets a token do."""

    WHOLESALE_CUSTOMERS_READ = (
        "spark-admin:wholesale_customers_read",
        _("Read customers, their locations, settings and branding; templates"),
    )
    WHOLESALE_CUSTOMERS_WRITE = (
        "spark-admin:wholesale_customers_write",
        _(
            "Provision and change customers, their locations, settings and branding; templates; "
            "indirect providers"
        ),
    )
    WHOLESALE_SUBSCRIBERS_READ = (
        "spark-admin:wholesale_subscribers_read",
        _("Read subscribers and workspaces"),
    )
    WHOLESALE_SUBSCRIBERS_WRITE = (
        "spark-admin:wholesale_subscribers_write",
        _("Add, change and remove subscribers and workspaces"),
    )
    WHOLESALE_BILLING_REPORTS_READ = (
        "spark-admin:wholesale_billing_reports_read",
        _("Read billing reports and Setup Assist orders"),
    )
    WHOLESALE_BILLING_REPORTS_WRITE = (
        "spark-admin:wholesale_billing_reports_write",
        _("Order and delete billing reports; order Setup Assist"),
    )
    WHOLESALE_SUB_PARTNERS_READ = "spark-admin:wholesale_sub_partners_read", _("Read indirect providers")
    PEOPLE_READ = "spark-admin:people_read", _("Read administrators")
    PEOPLE_WRITE = "spark-admin:people_write", _("Invite administrators and change their roles")
    ORGANIZATIONS_READ = "spark-admin:organizations_read", _("Read organisations")
    AUDIT_EVENTS_READ = "audit:events_read", _("Read the audit log")


class ApiToken(TimeStampedModel):
    """A bearer token; only the SHA-256 of the secret is kept, the secret is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    @property
    def scope_labels(self) -> list[tuple[str, str]]:
        """(what it lets the token do, its code) of each scope, for the page (an unknown code: itself)."""
        labels = dict(ApiScope.choices)
        return [(str(labels.get(code, code)), code) for code in self.scopes]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def webex_id(self) -> str:
        return encode_id(IdType.API_TOKEN, self.id)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
