"""The DRF permission class of every API view: the access token carries the scope the view needs. What the
caller may do in an organisation is the view's guard (``apps.accounts.api.guard.GuardedApi``)."""

from rest_framework import exceptions, permissions


class HasTokenScopes(permissions.BasePermission):
    """The token carries the scope the view names for this method (``read_scope`` / ``write_scope``)."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or request.user is None:
            raise exceptions.NotAuthenticated("The request requires a valid access token.")
        scope = getattr(view, "read_scope" if request.method in self.SAFE else "write_scope", None)
        if scope is None:
            return True
        if scope not in token.scopes:
            raise exceptions.PermissionDenied(f"The access token lacks the scope {scope}.")
        return True
