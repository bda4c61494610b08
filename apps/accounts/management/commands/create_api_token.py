"""Create an API token for a person from the command line; prints only the secret, for scripts to capture."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.accounts.models import ApiScope
from apps.accounts.selectors import user_get_by_email
from apps.accounts.services import api_token_create
from apps.core.context import Channel, request_context


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a bearer token for a person and print its secret (shown once; only its hash is kept)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="The e-mail address of the token's owner.")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=None,
            metavar="SCOPE",
            help=f"Scopes of the token (default: all). Known: {', '.join(ApiScope.values)}.",
        )
        parser.add_argument("--name", default="command line", help="A name to recognise the token by.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Days until the token expires (default: never)."
        )

    def handle(
        self, *args, email: str, scopes: list[str] | None, name: str, expires_days: int | None, **options
    ):
        user = user_get_by_email(email=email)
        if user is None or not user.is_active:
            raise CommandError(f"No active person has the e-mail address {email}.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        with request_context(channel=Channel.COMMAND):
            try:
                _, secret = api_token_create(
                    actor=user, name=name, scopes=scopes or ApiScope.values, expires_at=expires_at
                )
            except ValidationError as error:
                raise CommandError(_messages(error)) from None
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        self.stdout.write(secret)
