"""Request context (tracking id, channel), the Webex error body for every /v1/ failure, and toasts."""

import json
import logging
import re

from django.contrib.messages import get_messages

from apps.core.api.errors import error_response
from apps.core.context import Channel, request_context

logger = logging.getLogger(__name__)
_TRACKING_ID = re.compile(r"^[A-Za-z0-9_\-:.]{1,128}$")
API_PREFIX = "/v1/"


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
        with request_context(channel=channel, tracking_id=tracking_id) as ctx:
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
