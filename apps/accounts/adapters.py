import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from apps.accounts.language import language_for


def client_ip(request) -> str:
    """The client's address: behind ``TRUSTED_PROXY_COUNT`` proxies (DJANGO_TRUSTED_PROXY_COUNT; the
    documented TLS proxy is one) the address the outermost trusted proxy saw, read from the right of
    ``X-Forwarded-For`` (entries to the left of it are the client's to forge); otherwise, or when the header
    is missing, short or not an address, the connection's."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count <= 0 or len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


class AccountAdapter(DefaultAccountAdapter):
    """People arrive by invitation or provisioning: there is no public sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """What login rate limits count by (allauth's own reading raises on a short header)."""
        return client_ip(request)

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ):
        """allauth's messages to a person who has just signed in ("Successfully signed in as …") read in their
        language: the request began before anyone was known, in the browser's."""
        user = getattr(request, "user", None)
        language = language_for(user) if user is not None and user.is_authenticated else None
        with translation.override(language or translation.get_language()):
            super().add_message(request, level, message_template, message_context, extra_tags, message)
