"""The resolved brand on every page: the acting organisation's on console pages, the partner's whose domain
the request came in on elsewhere (the sign-in page), else the product's own. Lazy: a page that shows no
brand reads nothing."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.branding.selectors import ResolvedBrand, branding_for, branding_for_host


def _brand_of(request: HttpRequest) -> ResolvedBrand:
    org = getattr(request, "org", None)
    if org is not None:
        return branding_for(org)
    return branding_for_host(request.get_host()) or branding_for(None)


def branding(request: HttpRequest) -> dict:
    return {"brand": SimpleLazyObject(lambda: _brand_of(request))}
