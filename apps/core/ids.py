"""Opaque Webex-style ids: unpadded base64url of ``ciscospark://us/<TYPE>/<uuid>``."""

import base64
import binascii
import functools
import uuid
from collections.abc import Callable
from enum import StrEnum


class IdType(StrEnum):
    ORGANIZATION = "ORGANIZATION"
    CUSTOMER = "CUSTOMER"
    PEOPLE = "PEOPLE"
    SUBSCRIBER = "SUBSCRIBER"
    LOCATION = "LOCATION"
    NUMBER = "NUMBER"
    WORKSPACE = "PLACE"  # Webex calls workspaces "places" in their ids
    SUBSCRIBER_IMPORT = "SUBSCRIBER_IMPORT"
    BILLING_REPORT = "BILLING_REPORT"
    AUDIT_EVENT = "AUDIT_EVENT"
    API_TOKEN = "API_TOKEN"
    EXPORT = "EXPORT"  # reliability (issue 11): background CSV exports


# base64url without padding in one C call after the encoding: ``urlsafe_b64encode`` translates in a second
# pass and ``rstrip`` copies again (a page of the API lists encodes 200 to 300 ids).
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encode_id(id_type: IdType, value: uuid.UUID) -> str:
    raw = f"ciscospark://us/{id_type}/{value}".encode()
    return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE, b"=").decode()


def id_encoder() -> Callable[[IdType, uuid.UUID], str]:
    """``encode_id`` that encodes each id once, for one page of a list whose rows repeat ids (a location's
    numbers are all of that location and its organisation; a customer's workspaces of that customer)."""
    return functools.cache(encode_id)


def decode_id_or_uuid(value: str, id_type: IdType) -> uuid.UUID | None:
    """An opaque id of ``id_type``, or a bare uuid (pages link by either); None when it is neither."""
    found = decode_id(value, id_type)
    if found is not None:
        return found
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def decode_id(opaque: str, *expected: IdType) -> uuid.UUID | None:
    """The uuid inside an opaque id, or None when it is not one of ours (of one of the expected types)."""
    if not opaque or len(opaque) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(opaque + "=" * (-len(opaque) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("/")
    if len(parts) != 5 or parts[:3] != ["ciscospark:", "", "us"]:
        return None
    if expected and parts[3] not in expected:
        return None
    try:
        return uuid.UUID(parts[4])
    except ValueError:
        return None
