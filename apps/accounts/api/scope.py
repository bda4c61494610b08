"""What every API view shares: the acting organisation of a call."""

from django.http import Http404
from rest_framework.request import Request

from apps.accounts.selectors import org_get_visible
from apps.core.models import Organization


def api_org(request: Request) -> Organization:
    """``orgId`` from the query when given (it must be visible to the caller), else the caller's own."""
    org_id = request.query_params.get("orgId")
    if org_id:
        return org_get_visible(actor=request.user, org_id=org_id)
    if request.user.org is None:
        raise Http404
    return request.user.org
