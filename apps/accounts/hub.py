"""The one guard of every console page, and the hubs it serves.

A page declares, on its view, the action it needs —
``@hub_page(Action.USERS_VIEW, write=Action.USERS_PROVISION)`` — and, when it acts on one object, how to find
it: ``on=subscriber_in_url``. The guard then

1. sends an anonymous visitor to sign in;
2. resolves the acting organisation from the URL (``org_id``; the operations console is the platform itself)
   and answers **404** when it is outside the actor's scope (the same answer as for an id that does not
   exist);
   then the object, through ``on(request, **url_kwargs)`` (a scoped selector: 404 as well), which the view
   receives instead of its id;
3. answers **403** when the actor's effective actions (role grants − restrictions, ``permissions.may``) lack
   ``action`` for a read (GET, HEAD) or ``write`` (default: ``action``) for anything else, with the reason the
   permission function gives (restricted by the partner, or the roles). The actions are those on the page's
   organisation, or on the object's own organisation when it has one (``obj.org``: a customer's, from Partner
   Hub);
4. tells the view and its templates the hub, the organisation and the actions (``request.hub``,
   ``request.org``, ``request.actions``).

The hub is the URL's namespace (``partner``, ``control``, ``ops``), so a page shared by two hubs (the
administrators, the audit log) is one view with one declaration. The acting organisation is always in the URL,
never in the session, so two tabs can manage two organisations.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Action, effective_actions, refusal
from apps.accounts.selectors import org_get_visible
from apps.core.memo import read_memo
from apps.core.models import Organization, OrgKind


@dataclass(frozen=True)
class Hub:
    key: str  # "partner" | "control" | "ops": the URL namespace
    title: str  # the products keep their names (Partner Hub, Control Hub); the console's is translated
    org_kind: str


PARTNER_HUB = Hub("partner", "Partner Hub", OrgKind.PARTNER)
CONTROL_HUB = Hub("control", "Control Hub", OrgKind.CUSTOMER)
OPS_CONSOLE = Hub("ops", _("Operations"), OrgKind.PLATFORM)
HUBS = {hub.key: hub for hub in (PARTNER_HUB, CONTROL_HUB, OPS_CONSOLE)}
READS = frozenset({"GET", "HEAD"})


def _hub_of(request: HttpRequest) -> Hub:
    match = request.resolver_match
    hub = HUBS.get(match.namespaces[0]) if match is not None and match.namespaces else None
    if hub is None:
        raise LookupError(f"{request.path} is not under a hub's URL namespace")
    return hub


def _acting_org(request: HttpRequest, hub: Hub, org_id: str | None) -> Organization:
    if hub is OPS_CONSOLE:
        org = request.user.org
        if org is None or not org.is_platform:
            raise Http404  # the platform is out of everyone else's scope: 404, as for any organisation
        return org
    return org_get_visible(actor=request.user, org_id=org_id or "", kind=hub.org_kind)


def hub_enter(request: HttpRequest, hub: Hub, org: Organization) -> None:
    """Make ``org`` the page's acting organisation (404 when the actor may not even view it)."""
    request.hub = hub
    request.org = org
    request.actions = frozenset(effective_actions(request.user, org))
    if Action.ORG_VIEW not in request.actions:
        raise Http404


def hub_page(
    action: Action = Action.ORG_VIEW,
    *,
    write: Action | None = None,
    on: Callable[..., Any] | None = None,
) -> Callable:
    """The guard of a console page: 404 outside the actor's scope (the organisation, then the object ``on``
    finds), then 403 without ``action`` (reads) or ``write`` (every other method; default ``action``)."""
    write_action = write or action

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args, org_id: str | None = None, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # A read (GET, HEAD) writes neither the acting organisation nor its customer record: what its
            # guard read of them holds until the page has answered (core.memo).
            if request.method in READS:
                with read_memo():
                    return _guarded(request, *args, org_id=org_id, **kwargs)
            return _guarded(request, *args, org_id=org_id, **kwargs)

        def _guarded(request: HttpRequest, *args, org_id: str | None = None, **kwargs) -> HttpResponse:
            hub = _hub_of(request)
            hub_enter(request, hub, _acting_org(request, hub, org_id))
            target = on(request, **kwargs) if on is not None else None
            org = getattr(target, "org", None) or request.org
            actions = request.actions if org == request.org else effective_actions(request.user, org)
            needed = action if request.method in READS else write_action
            if needed not in actions:
                raise refusal(request.user, needed, org)
            if on is not None:
                return view(request, target)
            return view(request, *args, **kwargs)

        guarded.hub_actions = (action, write_action)  # read by the isolation matrix
        guarded.hub_on_object = on is not None  # the actions are weighed on the object's organisation
        return guarded

    return decorator
