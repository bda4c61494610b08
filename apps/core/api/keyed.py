"""One exception handler for every API of this app: a service's keyed ``ValidationError`` becomes the Webex
error body, each message named by the JSON path the client sent it in and carrying its stable ``errorCode``;
the HTTP status follows the codes (409 for conflicts). Everything else is answered as every API answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.api.errors import error_body
from apps.core.api.exceptions import webex_exception_handler
from apps.core.errors import error_status


def keyed_exception_handler(fields: dict[str, str]):
    """The handler of an API whose service keys map to JSON paths through ``fields``."""

    def handler(exc, context):
        if not (isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict")):
            return webex_exception_handler(exc, context)
        errors, codes = [], []
        for key, field_errors in exc.error_dict.items():
            name = fields.get(key, "")
            for error in field_errors:
                for message in error:  # interpolates params, as Django's own message lists do
                    entry = {"description": f"{name}: {message}" if name else message}
                    if isinstance(error.code, int):
                        entry["errorCode"] = error.code
                        codes.append(error.code)
                    errors.append(entry)
        statuses = {error_status(code) for code in codes} or {400}
        http = statuses.pop() if len(statuses) == 1 else 400
        message = errors[0]["description"] if len(errors) == 1 else "The request contained invalid fields."
        set_rollback()
        return Response(error_body(message, errors), status=http)

    return handler
