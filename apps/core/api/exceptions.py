"""DRF's exception handler for the Webex error body: every 4xx and 5xx of the API goes through here."""

import logging

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from apps.core.api.errors import STATUS_MESSAGES, error_body
from apps.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def _flatten(detail, prefix: str = "") -> list[str]:
    """DRF's nested error detail as "field: message" lines."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            lines += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
        return lines
    if isinstance(detail, list):
        lines = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            lines += _flatten(value, f"{prefix}[{index}]" if nested and prefix else prefix)
        return lines
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def _django_validation_detail(exc: DjangoValidationError):
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


def webex_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        error = {"description": exc.message}
        if exc.error_code is not None:
            error["errorCode"] = exc.error_code
        set_rollback()
        return Response(error_body(exc.message, [error]), status=exc.status)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        # Past DATA_UPLOAD_MAX_MEMORY_SIZE: the body is refused before it is read, not a crash.
        set_rollback()
        return Response(error_body(STATUS_MESSAGES[413]), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404 | ObjectDoesNotExist):  # ObjectDoesNotExist: removed by a concurrent request
        exc = exceptions.NotFound(STATUS_MESSAGES[404])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or STATUS_MESSAGES[403])

    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        set_rollback()
        return Response(error_body(STATUS_MESSAGES[500]), status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    if isinstance(exc, exceptions.ValidationError):
        lines = _flatten(exc.detail) or [STATUS_MESSAGES[400]]
        message = lines[0] if len(lines) == 1 else "The request contained invalid fields."
        response.data = error_body(message, [{"description": line} for line in lines])
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        message = str(detail) if isinstance(detail, str) else STATUS_MESSAGES.get(response.status_code, "")
        response.data = error_body(message)
    return response
