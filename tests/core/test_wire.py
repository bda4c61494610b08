"""``apps.core.wire``: the opaque ids and instants PostgreSQL writes for a list's rows are those Python writes
(``encode_id``, ``webex_time``), for every id type, the extremes of a uuid, NULLs, and instants at the
millisecond edges (truncated, never rounded, as ``isoformat`` does); elsewhere the expressions are NULL and a
body writes the values from the row's own columns."""

import uuid
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from django.db import connection
from django.db.models import F

from apps.core.ids import IdType, encode_id
from apps.core.models import Organization, OrgKind
from apps.core.wire import OpaqueId, WebexTime, webex_time, wire_id, wire_time

pytestmark = pytest.mark.django_db

_random = Random(11)
_END = datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
INSTANTS = [
    _END,
    _END + timedelta(microseconds=1),  # the next year
    datetime(2026, 6, 1, 12, 0, 0, 999_500, tzinfo=UTC),  # .999, not the next second
    datetime(2026, 6, 1, 12, 0, 0, 1_000, tzinfo=UTC),
    datetime(2026, 6, 1, 12, 0, 0, 999, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # when Europe's clocks change
    *(_END - timedelta(microseconds=_random.randrange(10**15)) for _ in range(30)),
]
IDS = [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]
IDS += [uuid.UUID(int=_random.getrandbits(128)) for _ in range(len(INSTANTS) - len(IDS))]


@pytest.fixture
def rows():
    """Organisations of these ids, created at these instants (none with a parent: a NULL column)."""
    Organization.objects.bulk_create(
        Organization(id=pk, name=f"Wire {n}", kind=OrgKind.PARTNER) for n, pk in enumerate(IDS)
    )
    for pk, at in zip(IDS, INSTANTS, strict=True):
        Organization.objects.filter(pk=pk).update(created=at)
    return Organization.objects.filter(pk__in=IDS).order_by("id")


@pytest.mark.parametrize("id_type", list(IdType))
def test_opaque_ids_and_instants_are_written_as_python_writes_them(rows, id_type):
    read = rows.values(
        "id",
        "created",
        "parent_id",
        id_wire=OpaqueId(id_type, "id"),
        parent_wire=OpaqueId(id_type, "parent_id"),
        created_wire=WebexTime(F("created")),
    )
    assert len(read) == len(IDS)
    for row in read:
        if connection.vendor == "postgresql":
            assert row["id_wire"] == encode_id(id_type, row["id"])
            assert row["created_wire"] == webex_time(row["created"])
        else:  # written by the body from the row's own columns
            assert row["id_wire"] is row["created_wire"] is None
        assert row["parent_id"] is row["parent_wire"] is None
        assert wire_id(row, "id_wire", id_type, "id") == encode_id(id_type, row["id"])
        assert wire_time(row, "created_wire", row["created"]) == webex_time(row["created"])
    assert {row["created"] for row in read} == set(INSTANTS)
