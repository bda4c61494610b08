"""How every API view is guarded: the token's scope (``permissions.HasTokenScopes``, a DRF permission),
then the organisation the call acts in (404 outside the caller's reach), then the action the view declares for
the method (403 inside it, with the reason)."""

from rest_framework import exceptions, permissions
from rest_framework.generics import GenericAPIView

from apps.accounts.api.scope import api_org
from apps.accounts.permissions import Action, require
from apps.core.models import Organization


class InBody:
    """A view's ``write_org()`` answer when the organisation written to is named in the request body: the
    view reads the body, finds that organisation through a scoping selector (404) and calls
    ``self.check(action, org)`` before it writes — or hands the scoping selector's queryset to a service that
    reads it once, locked, and checks that same action on the row it read (``subscriber_add``)."""


class GuardedApi(GenericAPIView):
    """The base of every API view. A view declares, in one place, what a call needs:

    - ``read_action`` for GET (and HEAD), checked on ``read_org()``;
    - ``write_action`` for POST, PUT, PATCH and DELETE, checked on ``write_org()`` (by default the same
      organisation), or on the organisation the body names when ``write_org()`` answers ``InBody``;
    - ``delete_action`` for DELETE when removing is a permission apart (default ``write_action``): a
      suspended (sub-)partner may still remove customers, subscribers and workspaces, never provision them.

    ``read_org()`` / ``write_org()`` resolve the organisation through scoping selectors, so an organisation
    or object outside the caller's reach is a 404 before anything else; a missing action is then a 403 whose
    message says why (the caller's roles, or the restriction that took the action away). The default
    organisation is ``orgId`` (when the caller may see it) or the caller's own. The services the views call
    check their action again: the guard answers first and the same way everywhere."""

    metadata_class = None  # OPTIONS is not part of the API: 405
    read_action: Action | None = None
    write_action: Action | None = None
    delete_action: Action | None = None
    _acting_org: Organization | None = None  # read_org()'s, per request (DRF makes a view per request)

    def read_org(self) -> Organization:
        """The organisation the call acts in, read once per request: the guard weighs the action on it, then
        the view lists or writes in it (a second read was a second query)."""
        if self._acting_org is None:
            self._acting_org = api_org(self.request)
        return self._acting_org

    def write_org(self) -> Organization | type[InBody]:
        return self.read_org()

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, token scopes, throttles
        if request.method in permissions.SAFE_METHODS:
            action, org = self.read_action, self.read_org()
        else:
            write = self.delete_action if request.method == "DELETE" and self.delete_action else None
            action, org = write or self.write_action, self.write_org()
        if action is None:
            raise exceptions.MethodNotAllowed(request.method)
        if org is InBody:
            self.read_org()  # the call's scope still answers 404 before the body is read
        else:
            self.check(action, org)

    def check(self, action: Action, org: Organization) -> None:
        """403 with the reason; Django's PermissionDenied keeps a restriction's ``errorCode`` (4016 for a
        suspended partner) for the exception handler."""
        require(self.request.user, action, org)
