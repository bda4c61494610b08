from rest_framework import authentication, exceptions

from apps.accounts.selectors import mfa_required_and_missing
from apps.accounts.services import api_token_authenticate

MFA_MISSING = (
    "Your organisation requires two-factor authentication of its administrators and the owner of this "
    "token has not set it up: sign in to the portal, set up an authenticator app, then use the token again."
)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``; the authenticated ``request.auth`` is the ApiToken row."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", errors="replace")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        token = api_token_authenticate(secret=parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed("The access token is invalid, expired or revoked.")
        if mfa_required_and_missing(user=token.user):
            # A token must not be the way around the organisation's two-factor rule.
            raise exceptions.PermissionDenied(MFA_MISSING)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
