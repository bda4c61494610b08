"""The SCIM endpoint's HTTP side. Users: list (``filter=userName eq "..."``, ``startIndex``, ``count``),
create (an active user), read, replace (PUT), update (PATCH) and delete one. Discovery:
``/ServiceProviderConfig``, ``/Schemas``, ``/ResourceTypes``.

The bearer secret names the organisation (Directory synchronisation page) and the writes are made in the name
of the admin who turned SCIM on, through the directory's services (their checks, their audit, with the
``scim`` channel). Another organisation's user, a removed one and a malformed id are a 404; every refusal is
a SCIM error body. The discovery documents are the same for every organisation and name none: they are
answered without the secret, as identity providers may ask for them before they hold one."""

import json
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from apps.accounts.permissions import Action, may, refusal_reason
from apps.core.context import Channel, set_channel
from apps.core.errors import ErrorCode
from apps.core.exceptions import ApplicationError
from apps.directory.models import DirectorySettings
from apps.directory.scim import discovery
from apps.directory.scim.bodies import (
    USER_SCHEMA,
    ScimError,
    UserState,
    created_state,
    filtered_address,
    patch_state,
    put_state,
)
from apps.directory.selectors import scim_settings_for_token, scim_user_of, scim_users_of
from apps.directory.services import scim_user_create, scim_user_remove, scim_user_update
from apps.subscribers.models import Subscriber

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
MAX_COUNT = discovery.MAX_RESULTS
CONTENT_TYPE = "application/scim+json"
ACTION = Action.DIRECTORY_SYNC_MANAGE  # what the admin who turned SCIM on must still hold, for every request
NO_LONGER_ALLOWED = "The administrator who turned SCIM on may no longer synchronise the directory."
# Refusals of the services that are about the user's state, not the request's values.
_CONFLICTS = {ErrorCode.EMAIL_IN_USE: "uniqueness", ErrorCode.SUBSCRIBER_IS_ADMIN: ""}


def _error(status: int, detail: str, scim_type: str = "") -> JsonResponse:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _refused(exc: Exception) -> JsonResponse:
    """A service's refusal as a SCIM error: nothing was written."""
    if isinstance(exc, PermissionDenied):
        return _error(403, " ".join((NO_LONGER_ALLOWED, *(str(arg) for arg in exc.args))))
    if isinstance(exc, ApplicationError):
        return _error(exc.status, exc.message)
    codes = [e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors]
    conflict = next((code for code in codes if code in _CONFLICTS), None)
    if conflict is not None:
        return _error(409, " ".join(exc.messages), _CONFLICTS[conflict])
    return _error(400, " ".join(exc.messages), "invalidValue")


def _user(subscriber: Subscriber, *, active: bool = True) -> dict:
    return {
        "schemas": [USER_SCHEMA],
        "id": subscriber.webex_id,
        "userName": subscriber.email,
        "name": {"givenName": subscriber.first_name, "familyName": subscriber.last_name},
        "displayName": subscriber.display_name,
        "emails": [{"value": subscriber.email, "primary": True}],
        "active": active,
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


def _json(request: HttpRequest):
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested past the interpreter's depth: not ours
        raise ScimError("The body is not JSON.", "invalidSyntax") from None


def scim_view(*methods: str, authenticated: bool = True) -> Callable:
    """The endpoint's one guard: the methods a URL answers (others: 405), then the bearer secret (401), then
    whether the admin who turned SCIM on may still synchronise the directory (403: restricted-by-partner mode
    takes it from customer admins; a former admin may nothing), the view getting the organisation's directory
    settings. ``scim_methods`` tells the isolation matrix."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            set_channel(Channel.SCIM)
            if request.method not in methods:
                refused = _error(405, f"{request.method} is not supported here.")
                refused["Allow"] = ", ".join(methods)
                return refused
            if not authenticated:
                return view(request, *args, **kwargs)
            settings = _settings(request)
            if settings is None:
                refused = _error(401, "A valid bearer token is required.")
                refused["WWW-Authenticate"] = "Bearer"
                return refused
            if not may(settings.scim_enabled_by, ACTION, settings.org):
                reason = refusal_reason(settings.scim_enabled_by, ACTION, settings.org)
                return _error(403, f"{NO_LONGER_ALLOWED} {reason}")
            try:
                return view(request, settings, *args, **kwargs)
            except ScimError as exc:
                return _error(exc.status, exc.detail, exc.scim_type)

        guarded.scim_methods = methods
        guarded.scim_authenticated = authenticated
        return guarded

    return decorate


@scim_view("GET", "POST")
def scim_users(request: HttpRequest, settings: DirectorySettings) -> JsonResponse:
    if request.method == "POST":
        wanted = created_state(_json(request))
        try:
            created = scim_user_create(
                settings=settings,
                email=wanted.email,
                first_name=wanted.first_name,
                last_name=wanted.last_name,
                display_name=wanted.display_name,
            )
        except (PermissionDenied, ValidationError, ApplicationError) as exc:
            return _refused(exc)
        return JsonResponse(_user(created), status=201, content_type=CONTENT_TYPE)
    users = scim_users_of(org=settings.org)
    if request.GET.get("filter"):
        users = users.filter(email=filtered_address(request.GET["filter"]))
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


@scim_view("GET", "PUT", "PATCH", "DELETE")
def scim_user(request: HttpRequest, settings: DirectorySettings, user_id: str) -> HttpResponse:
    found = scim_user_of(org=settings.org, user_id=user_id)
    if found is None:
        return _error(404, "No such user.")
    if request.method == "GET":
        return JsonResponse(_user(found), content_type=CONTENT_TYPE)
    try:
        if request.method == "DELETE":
            scim_user_remove(settings=settings, subscriber=found)
            return HttpResponse(status=204)
        current = UserState(found.email, found.first_name, found.last_name, found.chosen_display_name)
        body = _json(request)
        state = (
            put_state(body, current=current)
            if request.method == "PUT"
            else patch_state(body, current=current, user_id=user_id)
        )
        updated = scim_user_update(settings=settings, subscriber=found, **state.changes())
    except (PermissionDenied, ValidationError, ApplicationError) as exc:
        return _refused(exc)
    return JsonResponse(_user(updated, active=state.active), content_type=CONTENT_TYPE)


# --- discovery ---------------------------------------------------------------------------------------------


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim_users")).removesuffix("/Users")


def _discovery(request: HttpRequest, documents: dict[str, dict], one: str | None) -> JsonResponse:
    # §4: a filter is refused, lest a client believe that what it asked for matched.
    if "filter" in request.GET:
        return _error(403, "Filtering is not supported here.")
    if one is not None:
        if one not in documents:
            return _error(404, f"No such {'schema' if 'urn:' in one else 'resource type'}.")
        return JsonResponse(documents[one], content_type=CONTENT_TYPE)
    resources = list(documents.values())
    body = {
        "schemas": [LIST_SCHEMA],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
    return JsonResponse(body, content_type=CONTENT_TYPE)


@scim_view("GET", authenticated=False)
def scim_service_provider_config(request: HttpRequest) -> JsonResponse:
    return JsonResponse(discovery.service_provider_config(base=_base(request)), content_type=CONTENT_TYPE)


@scim_view("GET", authenticated=False)
def scim_resource_types(request: HttpRequest, type_id: str | None = None) -> JsonResponse:
    return _discovery(request, discovery.resource_types(base=_base(request)), type_id)


@scim_view("GET", authenticated=False)
def scim_schemas(request: HttpRequest, schema_id: str | None = None) -> JsonResponse:
    return _discovery(request, discovery.schemas(base=_base(request)), schema_id)
