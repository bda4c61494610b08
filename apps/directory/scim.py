"""A SCIM 2.0 endpoint (RFC 7643/7644, the Users resource) through which an organisation's identity provider
synchronises its directory: list (``filter=userName eq "..."``, ``startIndex``, ``count``), create, read one.
The bearer secret names the organisation (Directory synchronisation page); another organisation's user is a
404; errors are SCIM error bodies."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.ids import IdType, decode_id
from apps.directory.models import DirectorySettings
from apps.directory.selectors import scim_settings_for_token, scim_users_of
from apps.directory.services import scim_user_create
from apps.subscribers.models import Subscriber

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
MAX_COUNT = 100
CONTENT_TYPE = "application/scim+json"


def _error(status: int, detail: str, scim_type: str = "") -> JsonResponse:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _user(subscriber: Subscriber) -> dict:
    return {
        "schemas": [USER_SCHEMA],
        "id": subscriber.webex_id,
        "userName": subscriber.email,
        "name": {"givenName": subscriber.first_name, "familyName": subscriber.last_name},
        "displayName": subscriber.display_name,
        "emails": [{"value": subscriber.email, "primary": True}],
        "active": True,
        "meta": {"resourceType": "User", "created": subscriber.created.isoformat()},
    }


def _settings(request: HttpRequest) -> DirectorySettings | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return scim_settings_for_token(secret=secret.strip()) if scheme.lower() == "bearer" else None


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high) if value is not None else default
    except ValueError:
        return default


@csrf_exempt
@require_http_methods(["GET", "POST"])
def scim_users(request: HttpRequest) -> JsonResponse:
    settings = _settings(request)
    if settings is None:
        return _error(401, "A valid bearer token is required.")
    if request.method == "POST":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return _error(400, "The body is not JSON.", "invalidSyntax")
        if not isinstance(body, dict) or not isinstance(body.get("userName"), str):
            return _error(400, "userName is required.", "invalidValue")
        name = body.get("name") if isinstance(body.get("name"), dict) else {}
        try:
            created = scim_user_create(
                settings=settings,
                email=body["userName"],
                first_name=name.get("givenName") if isinstance(name.get("givenName"), str) else "",
                last_name=name.get("familyName") if isinstance(name.get("familyName"), str) else "",
            )
        except PermissionDenied:
            return _error(
                403, "The administrator who turned SCIM on may no longer synchronise the directory."
            )
        except ValidationError as exc:
            conflict = any(
                e.code == 10022 for errors in getattr(exc, "error_dict", {}).values() for e in errors
            )
            return _error(
                409 if conflict else 400, " ".join(exc.messages), "uniqueness" if conflict else "invalidValue"
            )
        return JsonResponse(_user(created), status=201, content_type=CONTENT_TYPE)
    users = scim_users_of(org=settings.org)
    wanted = request.GET.get("filter", "")
    if wanted:
        field, _, value = wanted.partition(" eq ")
        if field.strip() != "userName" or not value.strip().startswith('"'):
            return _error(400, 'Only filter=userName eq "address" is supported.', "invalidFilter")
        users = users.filter(email=value.strip().strip('"').lower())
    start = _int(request.GET.get("startIndex"), 1, 1, 10**9)
    count = _int(request.GET.get("count"), MAX_COUNT, 0, MAX_COUNT)
    page = list(users[start - 1 : start - 1 + count])
    body = {
        "schemas": [LIST_SCHEMA],
        "totalResults": users.count(),
        "startIndex": start,
        "itemsPerPage": len(page),
        "Resources": [_user(s) for s in page],
    }
    return JsonResponse(body, content_type=CONTENT_TYPE)


@csrf_exempt
@require_http_methods(["GET"])
def scim_user(request: HttpRequest, user_id: str) -> JsonResponse:
    settings = _settings(request)
    if settings is None:
        return _error(401, "A valid bearer token is required.")
    pk = decode_id(user_id, IdType.SUBSCRIBER)
    found = scim_users_of(org=settings.org).filter(pk=pk).first() if pk else None
    if found is None:
        return _error(404, "No such user.")
    return JsonResponse(_user(found), content_type=CONTENT_TYPE)
