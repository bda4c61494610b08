"""How every API view is guarded: the token's scope (``permissions.HasTokenScopes``, a DRF permission),
then the organisation the call acts in (404 outside the caller's reach), then the action the view declares for
the method (403 inside it, with the reason)."""

from rest_framework import exceptions, permissions
from rest_framework.generics import GenericAPIView

from apps.accounts.api.scope import api_org
from apps.accounts.permissions import Action, may, refusal_reason
from apps.core.models import Organization


class InBody:
    """A view's ``write_org()`` answer when the organisation written to is named in the request body: the
    view reads the body, finds that organisation through a scoping selector (404) and calls
    ``self.check(action, org)`` before it writes."""


class GuardedApi(GenericAPIView):
    """The base of every API view. A view declares, in one place, what a call needs:

    - ``read_action`` for GET (and HEAD), checked on ``read_org()``;
    - ``write_action`` for POST, PUT, PATCH and DELETE, checked on ``write_org()`` (by default the same
      organisation), or on the organisation the body names when ``write_org()`` answers ``InBody``.

    ``read_org()`` / ``write_org()`` resolve the organisation through scoping selectors, so an organisation
    or object outside the caller's reach is a 404 before anything else; a missing action is then a 403 whose
    message says why (the caller's roles, or the restriction that took the action away). The default
    organisation is ``orgId`` (when the caller may see it) or the caller's own. The services the views call
    check their action again: the guard answers first and the same way everywhere."""

    metadata_class = None  # OPTIONS is not part of the API: 405
    read_action: Action | None = None
    write_action: Action | None = None

    def read_org(self) -> Organization:
        return api_org(self.request)

    def write_org(self) -> Organization | type[InBody]:
        return self.read_org()

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, token scopes, throttles
        if request.method in permissions.SAFE_METHODS:
            action, org = self.read_action, self.read_org()
        else:
            action, org = self.write_action, self.write_org()
        if action is None:
            raise exceptions.MethodNotAllowed(request.method)
        if org is InBody:
            self.read_org()  # the call's scope still answers 404 before the body is read
        else:
            self.check(action, org)

    def check(self, action: Action, org: Organization) -> None:
        if not may(self.request.user, action, org):
            raise exceptions.PermissionDenied(refusal_reason(self.request.user, action, org))
