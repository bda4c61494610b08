"""The plumbing every console page shares: resolve the acting organisation from the URL (404 when it is out
of the actor's scope), check one action (403), and tell templates which hub and which actions they render.

The acting organisation is always in the URL, never in the session, so two tabs can manage two
organisations.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.permissions import Action, effective_actions
from apps.accounts.selectors import org_get_visible

from .models import Organization, OrgKind


@dataclass(frozen=True)
class Hub:
    key: str  # "partner" | "control" | "ops"
    title: str
    org_kind: str


PARTNER_HUB = Hub("partner", "Partner Hub", OrgKind.PARTNER)
CONTROL_HUB = Hub("control", "Control Hub", OrgKind.CUSTOMER)
OPS_CONSOLE = Hub("ops", "Operations", OrgKind.PLATFORM)


def hub_view(hub: Hub, action: Action = Action.ORG_VIEW):
    """Decorate a view taking ``org_id``: sets ``request.org``, ``request.hub`` and ``request.actions``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, org_id: str, *args, **kwargs):
            org = org_get_visible(actor=request.user, org_id=org_id, kind=hub.org_kind)
            attach_org(request, hub, org)
            if action not in request.actions:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def attach_org(request, hub: Hub, org: Organization) -> None:
    request.hub = hub
    request.org = org
    request.actions = frozenset(effective_actions(request.user, org))
    if Action.ORG_VIEW not in request.actions:
        raise Http404
