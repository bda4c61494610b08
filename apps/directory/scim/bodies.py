"""What a SCIM PUT (RFC 7644 §3.5.1) or PATCH (§3.5.2) asks of a user, read into the user's whole new state
(``UserState``) for ``services.scim_user_update``, or refused with a ``ScimError`` before anything is written.

The user this endpoint keeps (``discovery.USER_ATTRIBUTES``): ``userName`` (the e-mail address the person
signs in with; changing it changes the address, as the user's details page does), ``name.givenName``,
``name.familyName``, ``displayName`` and ``active``. ``emails`` follow ``userName`` and ``id`` is the
endpoint's: read-only, so a PUT ignores them and a PATCH may only give them their current value (what Okta
sends back; anything else is ``mutability``). Attributes this endpoint does not keep (``title``,
``phoneNumbers``, ``externalId``, the enterprise extension's ...) are ignored, as identity providers send
whatever their mappings hold.

Identity providers' dialects: an operation's name in any case (Entra sends ``Replace``), booleans as strings
(Entra's ``"False"``), a PATCH without ``path`` whose value is an object of attributes (Okta's
``{"op": "replace", "value": {"active": false}}``, whose keys may be paths: ``"name.givenName"``), attribute
names in any case and paths qualified by the core schema's URN."""

import json
import re
from dataclasses import dataclass, field, replace

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OPS = ("add", "replace", "remove")
_PATH = re.compile(
    r"^(?:(?P<urn>urn:[^\[\]]+):)?(?P<attr>[A-Za-z][\w$-]*)"
    r"(?:\[(?P<filter>[^\[\]]*\S[^\[\]]*)\])?(?:\.(?P<sub>[A-Za-z][\w$-]*))?$"
)


class ScimError(Exception):
    """A request refused before anything is written: its HTTP status, SCIM ``scimType`` and detail."""

    def __init__(self, detail: str, scim_type: str, status: int = 400):
        super().__init__(detail)
        self.detail, self.scim_type, self.status = detail, scim_type, status


@dataclass
class UserState:
    """A user as the endpoint keeps it; ``display_name`` is the chosen one (empty: none chosen)."""

    email: str
    first_name: str
    last_name: str
    display_name: str
    active: bool = True
    # Addresses a PATCH gave ``emails``: checked against the final ``userName``, whatever the order.
    emails: list[str] = field(default_factory=list)

    def changes(self) -> dict:
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "display_name": self.display_name,
            "active": self.active,
        }


@dataclass(frozen=True)
class _Path:
    text: str
    urn: str
    attr: str  # lower-cased, as every attribute name below: SCIM names are case-insensitive
    filter: str
    sub: str


def _lower_keys(value: dict) -> dict:
    return {key.lower(): item for key, item in value.items() if isinstance(key, str)}


def _string(value, what: str) -> str:
    if value is None:  # null: unassigned
        return ""
    if isinstance(value, str):
        return value
    raise ScimError(f"{what} must be a string.", "invalidValue")


def _user_name(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScimError("userName is required.", "invalidValue")
    return value


def _boolean(value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(f"{what} must be true or false.", "invalidValue")


def created_state(body) -> UserState:
    """The user a POST creates: as a PUT reads its attributes (in any case). Only an active one: an inactive
    user would hold a package, and be billed for it, while the product has no suspended state (``active``
    left out: active)."""
    if not isinstance(body, dict):
        raise ScimError("The body must be a JSON object.", "invalidSyntax")
    state = put_state(body, current=UserState("", "", "", ""))
    if not state.active:
        raise ScimError(
            "An inactive user is not kept here: create them once they are active.", "invalidValue"
        )
    return state


_FILTER = re.compile(r"^\s*(?P<attr>\S+)\s+eq\s+(?P<value>\".*\")\s*$", re.IGNORECASE | re.DOTALL)
# The attributes a list filter may name: the address, as ``userName`` or as the ``emails`` that follow it.
_FILTERED_BY_ADDRESS = ("username", "emails", "emails.value")


def filtered_address(text: str) -> str:
    """The address a list's ``filter`` asks for: ``userName eq "..."``, what identity providers send to
    find a user before creating one, or ``emails.value eq "..."`` (the addresses follow ``userName`` here).
    Attribute names and the operator in any case, a name qualified by the core schema's URN, the value a
    JSON string (§3.4.2.2); any other filter is refused rather than answered as if it had matched."""
    match = _FILTER.match(text)
    attr = (match["attr"].lower() if match else "").removeprefix(USER_SCHEMA.lower() + ":")
    try:
        value = json.loads(match["value"]) if match else None
    except ValueError:
        value = None
    if attr not in _FILTERED_BY_ADDRESS or not isinstance(value, str):
        raise ScimError('Only filter=userName eq "address" is supported.', "invalidFilter")
    return value.strip().lower()


def put_state(body, *, current: UserState) -> UserState:
    """A PUT replaces the user: what it leaves out of the names is emptied; ``active`` left out stays."""
    if not isinstance(body, dict):
        raise ScimError("The body must be a JSON object.", "invalidSyntax")
    body = _lower_keys(body)
    name = body.get("name")
    if name is None:
        name = {}
    if not isinstance(name, dict):
        raise ScimError("name must be an object.", "invalidValue")
    name = _lower_keys(name)
    active = body.get("active")
    return UserState(
        email=_user_name(body.get("username")),
        first_name=_string(name.get("givenname"), "name.givenName"),
        last_name=_string(name.get("familyname"), "name.familyName"),
        display_name=_string(body.get("displayname"), "displayName"),
        active=current.active if active is None else _boolean(active, "active"),
    )


def patch_state(body, *, current: UserState, user_id: str) -> UserState:
    """A PATCH applies its operations in order to the user's current state; all of them or none."""
    if not isinstance(body, dict):
        raise ScimError("The body must be a JSON object.", "invalidSyntax")
    operations = _lower_keys(body).get("operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError("Operations must be a list of one or more operations.", "invalidSyntax")
    state = replace(current, emails=[])
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError("Each operation must be an object.", "invalidSyntax")
        operation = _lower_keys(operation)
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() not in PATCH_OPS:
            raise ScimError('op must be "add", "replace" or "remove".', "invalidSyntax")
        op, path, value = op.lower(), operation.get("path"), operation.get("value")
        if path is None or path == "":
            if op == "remove":
                raise ScimError("A remove operation needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise ScimError("Without a path, value must be an object of attributes.", "invalidValue")
            _apply_object(state, op, value, user_id=user_id)
            continue
        if op != "remove" and "value" not in operation:
            raise ScimError(f"{op} needs a value.", "invalidValue")
        _apply(state, op, _parse_path(path), value, user_id=user_id)
    if any(address.strip().lower() != state.email.strip().lower() for address in state.emails):
        raise ScimError("emails follow userName here: change userName to change the address.", "mutability")
    return state


def _parse_path(path) -> _Path:
    match = _PATH.match(path) if isinstance(path, str) else None
    if match is None:
        shown = str(path)[:80]
        raise ScimError(f'"{shown}" is not a path of this endpoint\'s users.', "invalidPath")
    return _Path(
        text=path,
        urn=(match["urn"] or "").lower(),
        attr=match["attr"].lower(),
        filter=match["filter"] or "",
        sub=(match["sub"] or "").lower(),
    )


def _apply_object(state: UserState, op: str, value: dict, *, user_id: str) -> None:
    """A path-less add or replace: each key is an attribute (or a path) and its value."""
    for key, item in value.items():
        if not isinstance(key, str):
            raise ScimError("Attribute names must be strings.", "invalidValue")
        if key.lower() == USER_SCHEMA.lower():  # the core attributes, qualified as one object
            if not isinstance(item, dict):
                raise ScimError(f"{USER_SCHEMA} must be an object.", "invalidValue")
            _apply_object(state, op, item, user_id=user_id)
            continue
        _apply(state, op, _parse_path(key), item, user_id=user_id)


def _apply(state: UserState, op: str, path: _Path, value, *, user_id: str) -> None:
    if path.urn and path.urn != USER_SCHEMA.lower():
        return  # another schema's attribute (the enterprise extension's ...): not kept here
    attr, removing = path.attr, op == "remove"
    if attr in ("username", "displayname", "active", "id") and (path.filter or path.sub):
        raise ScimError(f'"{path.text[:80]}": {attr} has no sub-attributes.', "invalidPath")
    if attr == "username":
        if removing:
            raise ScimError("userName is required: it cannot be removed.", "mutability")
        state.email = _user_name(value)
    elif attr == "displayname":
        state.display_name = "" if removing else _string(value, "displayName")
    elif attr == "name":
        _apply_name(state, path, value, removing=removing)
    elif attr == "active":
        if removing:
            raise ScimError("active cannot be removed: replace it with false.", "mutability")
        state.active = _boolean(value, "active")
    elif attr == "emails":
        if removing:
            raise ScimError("emails follow userName here: they cannot be removed.", "mutability")
        state.emails += _addresses(value, sub=path.sub)
    elif attr == "id" and (removing or value != user_id):
        raise ScimError("id is set by this endpoint: it cannot be changed.", "mutability")
    # Its current id, and anything else (meta, schemas, title, phoneNumbers, externalId ...) is not kept here.


def _apply_name(state: UserState, path: _Path, value, *, removing: bool) -> None:
    if path.filter:
        raise ScimError(f'"{path.text[:80]}": name is not multi-valued.', "invalidPath")
    if path.sub:
        parts = {path.sub: None if removing else value}
    elif removing:
        parts = {"givenname": None, "familyname": None}
    elif isinstance(value, dict):  # the sub-attributes given replace theirs; the others stay (§3.5.2.3)
        parts = _lower_keys(value)
    else:
        raise ScimError("name must be an object.", "invalidValue")
    if "givenname" in parts:
        state.first_name = _string(parts["givenname"], "name.givenName")
    if "familyname" in parts:
        state.last_name = _string(parts["familyname"], "name.familyName")
    # name.formatted, middleName, honorificPrefix ...: not kept here.


def _addresses(value, *, sub: str) -> list[str]:
    """The addresses an operation on ``emails`` gives: ``emails[...].value`` a string, ``emails`` (or one
    filtered) an object or a list of objects with a ``value``; its other sub-attributes are not kept."""
    if sub:
        if sub != "value":
            return []
        if not isinstance(value, str):
            raise ScimError("emails.value must be a string.", "invalidValue")
        return [value]
    items = value if isinstance(value, list) else [value]
    addresses = []
    for item in items:
        address = _lower_keys(item).get("value") if isinstance(item, dict) else None
        if not isinstance(address, str):
            raise ScimError("Each of emails must be an object with a string value.", "invalidValue")
        addresses.append(address)
    return addresses
