"""The one application error services raise besides Django's ValidationError and PermissionDenied."""

from django.core.exceptions import PermissionDenied


class ApplicationError(Exception):
    """A rule of the product refused the operation; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, *, status: int = 400, error_code: int | None = None, extra=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.extra = extra or {}


class ConflictError(ApplicationError):
    def __init__(self, message: str, *, error_code: int | None = None):
        super().__init__(message, status=409, error_code=error_code)


class RestrictionRefused(PermissionDenied):
    """Refused by a restriction (restricted-by-partner mode, a control customer admins never have, a partner's
    reach into an attached organisation), not by the actor's roles: the 403 page says who restricts it."""
