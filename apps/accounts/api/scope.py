"""What every API view shares: the acting organisation of a call."""

from collections.abc import Callable

from django.http import Http404
from rest_framework import exceptions
from rest_framework.request import Request

from apps.accounts.selectors import org_get_visible
from apps.core.models import Organization

ON_BEHALF_PARAM = "onBehalfOfSubPartnerOrgId"
# (*, actor, org_id, on_behalf_of) → the organisation a call acting for a sub-partner works in (404 when the
# caller may not act for it). Filled by the subpartners app (its AppConfig.ready), which owns that rule.
_ON_BEHALF: list[Callable[..., Organization]] = []


def register_on_behalf(resolve: Callable[..., Organization]) -> None:
    if resolve not in _ON_BEHALF:
        _ON_BEHALF.append(resolve)


def api_org(request: Request, *, on_behalf: bool = True) -> Organization:
    """``orgId`` from the query when given (it must be visible to the caller), else the caller's own; with
    ``onBehalfOfSubPartnerOrgId``, that sub-partner (or ``orgId`` when it is the sub-partner or one of its
    customers). A view that cannot act for a sub-partner passes ``on_behalf=False``: naming one is a 400,
    never silently ignored."""
    params = request.query_params
    org_id = params.get("orgId")
    sub_id = params.get(ON_BEHALF_PARAM)
    if sub_id is not None:
        if not on_behalf or not _ON_BEHALF:
            raise exceptions.ValidationError({ON_BEHALF_PARAM: "This endpoint cannot act for a sub-partner."})
        return _ON_BEHALF[0](actor=request.user, org_id=org_id or "", on_behalf_of=sub_id)
    if org_id:
        return org_get_visible(actor=request.user, org_id=org_id)
    if request.user.org is None:
        raise Http404
    return request.user.org
