"""Request context (tracking id, channel), the Webex error body for every /v1/ failure, toasts, and the
branded error pages of the consoles."""

import json
import logging
import re
from contextlib import nullcontext

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve

from apps.core.api.errors import error_response
from apps.core.context import Channel, request_context
from apps.core.memo import read_memo
from apps.core.views import page_not_found, permission_denied

logger = logging.getLogger(__name__)
_TRACKING_ID = re.compile(r"^[A-Za-z0-9_\-:.]{1,128}$")
API_PREFIX = "/v1/"
SAFE_READS = frozenset({"GET", "HEAD"})


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


class RequestContextMiddleware:
    """Carries the caller's ``TrackingID`` (or a new one) through the request and echoes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("TrackingID", "")
        tracking_id = supplied if _TRACKING_ID.match(supplied) else None
        channel = Channel.API if is_api_request(request) else Channel.PAGE
        # A page's GET or HEAD writes nothing: what it reads once of the acting organisation holds until it
        # has answered (core.memo). Not the API: its reads are its own.
        memo = read_memo() if channel is Channel.PAGE and request.method in SAFE_READS else nullcontext()
        with request_context(channel=channel, tracking_id=tracking_id) as ctx, memo:
            request.tracking_id = ctx.tracking_id
            response = self.get_response(request)
            response["TrackingID"] = ctx.tracking_id
        return response


class ApiErrorBodyMiddleware:
    """Failures outside DRF (an unknown /v1/ path, a crash) still answer with the Webex error body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api_request(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = error_response(response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request, exception):
        if is_api_request(request):
            logger.exception("Unhandled error on %s", request.path, exc_info=exception)
            return error_response(500)
        return None


class HtmxMessagesMiddleware:
    """Django messages of an htmx request travel as an ``HX-Trigger`` event and become toasts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if "HX-Redirect" in response or "HX-Location" in response:
            return response
        toasts = [{"level": m.level_tag, "text": str(m)} for m in get_messages(request)]
        if toasts:
            triggers = {}
            if "HX-Trigger" in response:
                try:
                    triggers = json.loads(response["HX-Trigger"])
                except ValueError:
                    triggers = {response["HX-Trigger"]: True}
            triggers["toasts"] = toasts
            response["HX-Trigger"] = json.dumps(triggers)
        return response


class BrandedErrorPageMiddleware:
    """The consoles' own 404 and 403 pages, also with ``DEBUG`` on (where Django would show its debug page):
    for a 404 or 403 the app raises itself, and for an address no route knows. The API keeps its Webex body
    (``ApiErrorBodyMiddleware``); an unknown path still gets ``APPEND_SLASH``'s redirect from
    ``CommonMiddleware``, which sits outside this one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not is_api_request(request):
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_api_request(request):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None
