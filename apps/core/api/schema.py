"""The API conventions as the OpenAPI document states them.

Every operation documents the Webex error body (one ``WebexError`` component) for the 4xx and 5xx answers
it can give, the ``TrackingID`` header on every response, ``Link`` on paginated lists, ``WWW-Authenticate``
on 401 and ``Retry-After`` on 429. Without these a client generated from the schema (or a fuzzer checking
conformance) meets undocumented statuses and bodies.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from apps.core.api.errors import STATUS_MESSAGES


class WebexErrorDetailSerializer(serializers.Serializer):
    description = serializers.CharField(help_text="What went wrong, for a person to read.")
    errorCode = serializers.IntegerField(
        required=False,
        help_text="A stable code for errors a client may want to act on; absent for generic errors.",
    )


class WebexErrorSerializer(serializers.Serializer):
    """The Webex error body: every 4xx and 5xx answer of the API has exactly this shape."""

    message = serializers.CharField(help_text="A summary of the error.")
    errors = WebexErrorDetailSerializer(many=True, help_text="One entry per problem; at least one.")
    trackingId = serializers.CharField(
        help_text="The request's tracking id: the caller's `TrackingID` header, or one the server generated."
    )


CONFLICT = OpenApiResponse(WebexErrorSerializer, description="A conflict: the errorCode says which.")


class ErrorSerializer(serializers.Serializer):
    """A background failure: ``{"errorCode", "description"}``."""

    errorCode = serializers.IntegerField(required=False)
    description = serializers.CharField(required=False)


class PrecheckInfoSerializer(serializers.Serializer):
    infoCode = serializers.IntegerField()
    description = serializers.CharField()


PRECHECK_SUCCESS = {
    "message": "success",
    "info": [{"infoCode": 100, "description": "Provisioning preCheck validation successful."}],
}


# Statuses every operation can answer with; 415 only where a body is read.
COMMON_ERROR_STATUSES = (400, 401, 403, 404, 429, 500)
BODY_ERROR_STATUSES = (415,)

_TRACKING_ID_HEADER = {
    "schema": {"type": "string"},
    "required": True,
    "description": "The caller's `TrackingID` echoed, or a new one when none (or an unusable one) was sent.",
}
_LINK_HEADER = {
    "schema": {"type": "string"},
    "description": (
        'RFC 5988 links to the other pages: `<absolute-url>; rel="next"` and `rel="prev"`. Each URL carries '
        "every query parameter of the request plus `offset` and `max`; follow it verbatim. No `next` link "
        "means the last page."
    ),
}
_RETRY_AFTER_HEADER = {
    "schema": {"type": "integer"},
    "description": "Seconds to wait before retrying.",
}
_WWW_AUTHENTICATE_HEADER = {"schema": {"type": "string"}, "description": "The scheme to authenticate with."}


class WebexAutoSchema(AutoSchema):
    def _has_request_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    def _is_paginated_list(self) -> bool:
        return (
            self.method == "GET"
            and self._get_paginator() is not None
            and self._is_list_view(self.get_response_serializers())
        )

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        headers = {"TrackingID": _TRACKING_ID_HEADER, **response.get("headers", {})}
        if status_code == "200" and self._is_paginated_list():
            headers.setdefault("Link", _LINK_HEADER)
        elif status_code == "401":
            headers.setdefault("WWW-Authenticate", _WWW_AUTHENTICATE_HEADER)
        elif status_code == "429":
            headers.setdefault("Retry-After", _RETRY_AFTER_HEADER)
        response["headers"] = headers
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = COMMON_ERROR_STATUSES + (BODY_ERROR_STATUSES if self._has_request_body() else ())
        for status in sorted(statuses):
            code = str(status)
            if code not in responses:
                error = OpenApiResponse(WebexErrorSerializer, description=STATUS_MESSAGES[status])
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
