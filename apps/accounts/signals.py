"""allauth tells us when a person completed the e-mailed password link; the service does the rest."""

from allauth.account.signals import password_reset
from django.dispatch import receiver

from apps.accounts.services import person_email_verify


@receiver(password_reset)
def email_verified_by_password_link(sender, request, user, **kwargs) -> None:
    person_email_verify(user=user)
