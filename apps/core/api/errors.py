"""The Webex error body: ``{"message", "errors": [{"description", "errorCode"?}], "trackingId"}``."""

from django.http import JsonResponse

from apps.core.context import current_context

STATUS_MESSAGES = {
    400: "The request was invalid.",
    401: "The request requires a valid access token.",
    403: "The access token does not have the permission for this request.",
    404: "The requested resource could not be found.",
    405: "The request method is not supported for this resource.",
    406: "The requested representation is not available.",
    409: "The request conflicts with the current state of the resource.",
    413: "The request body is too large.",
    415: "The request body must be JSON.",
    429: "Too many requests have been sent in a given amount of time.",
    500: "Something went wrong on the server.",
}


def error_body(message: str, descriptions: list[dict] | None = None) -> dict:
    errors = descriptions or [{"description": message}]
    return {"message": message, "errors": errors, "trackingId": current_context().tracking_id}


def error_response(
    status: int, message: str | None = None, descriptions: list[dict] | None = None
) -> JsonResponse:
    message = message or STATUS_MESSAGES.get(status, "The request failed.")
    return JsonResponse(error_body(message, descriptions), status=status)
