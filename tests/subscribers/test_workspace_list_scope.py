"""The workspace lists at scale: the Workspaces page and ``GET /v1/partner/workspaces`` find the scope's
customers first (one subquery) and read the API's page as plain rows; the rows are the scoping selector's
for every persona and scope, and a row's body is ``WorkspaceSerializer``'s."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.customers.models import CustomerPackage, PackageStatus
from apps.subscribers.api.serializers import WorkspaceSerializer
from apps.subscribers.api.workspaces import workspace_list_body
from apps.subscribers.selectors.workspaces import (
    with_calling,
    with_numbers_and_extensions,
    workspaces_for_api,
    workspaces_of_org,
    workspaces_visible_to,
)
from apps.subscribers.services.workspaces import workspace_create
from tests.conftest import fresh

PERSONAS = ["operator", "acme_admin", "acme_readonly", "acme_partner_admin", "acme_wholesale"]
PERSONAS += ["northwind_admin", "globex_admin", "blue_admin", "blue_user_admin", "cedar_admin"]
SCOPES = ["acme", "northwind", "globex", "blue_harbor", "cedar_pine", "riverside"]


@pytest.fixture
def workspaces(world):
    made = []
    for customer, admin in ((world.blue_harbor, world.acme_admin), (world.cedar_pine, world.acme_admin)):
        CustomerPackage.objects.create(  # as an update adding Common Area Calling leaves it
            customer=customer, code="common_area_calling", status=PackageStatus.PROVISIONED
        )
        for n in range(3):
            made.append(
                workspace_create(actor=fresh(admin), customer=customer, name=f"Room {n}", extension=f"770{n}")
            )
    return made


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_lists_hold_the_workspaces_of_the_scope_the_actor_sees(world, workspaces, persona):
    actor = fresh(getattr(world, persona))
    for name in SCOPES:
        value = getattr(world, name)
        scope = getattr(value, "org", value)
        visible = workspaces_visible_to(actor=actor)
        expected = visible.filter(customer__org=scope if scope.is_customer else None)
        if not scope.is_customer:
            expected = visible.filter(customer__org__parent=scope)
        listed = [
            row["id"] for row in workspaces_for_api(actor=actor, scope=scope).page(offset=0, limit=1000)
        ]
        assert listed == list(expected.order_by("created", "id").values_list("pk", flat=True)), (
            persona,
            name,
        )
        if scope.is_customer:
            paged = list(workspaces_of_org(actor=actor, org=scope).values_list("pk", flat=True))
            assert paged == list(expected.order_by("name", "id").values_list("pk", flat=True)), persona


def test_a_rows_body_is_the_serializers(world, workspaces):
    actor = fresh(world.acme_admin)
    rows = with_numbers_and_extensions(
        workspaces_for_api(actor=actor, scope=world.acme).page(offset=0, limit=100)
    )
    instances = with_calling(workspaces_visible_to(actor=actor).filter(customer__org__parent=world.acme))
    expected = WorkspaceSerializer(instances.order_by("created", "id"), many=True).data
    assert [workspace_list_body(row) for row in rows] == expected
    assert any(row["extension"] for row in rows)


def test_the_api_reads_a_fixed_number_of_queries(world, workspaces, api_client):
    api = api_client(world.acme_admin)
    api.get("/v1/partner/workspaces")  # the token's once-a-minute last use
    with CaptureQueriesContext(connection) as few:
        assert api.get("/v1/partner/workspaces").status_code == 200
    for n in range(5):
        workspace_create(
            actor=fresh(world.acme_admin), customer=world.blue_harbor, name=f"More {n}", extension=f"771{n}"
        )
    with CaptureQueriesContext(connection) as more:
        assert api.get("/v1/partner/workspaces").status_code == 200
    assert len(more) == len(few)


def test_a_pages_numbers_and_extensions_are_read_with_it_on_postgresql(world, workspaces):
    """On PostgreSQL the page's own query reads each row's first number and extension; elsewhere (or for
    rows without them) ``with_numbers_and_extensions`` reads them, the same, in one query (two on SQLite,
    after the page's own)."""
    bound = workspaces_for_api(actor=fresh(world.acme_admin), scope=world.acme)
    with CaptureQueriesContext(connection) as read:
        rows = with_numbers_and_extensions(bound.page(offset=0, limit=100))
    assert len(read) == (1 if connection.vendor == "postgresql" else 1 + 2)
    plain = [{k: v for k, v in row.items() if k not in ("phone_number", "extension")} for row in rows]
    with CaptureQueriesContext(connection) as read:
        assert with_numbers_and_extensions(plain) == rows
    assert len(read) == (1 if connection.vendor == "postgresql" else 2)
    assert any(row["extension"] for row in rows)
    assert with_numbers_and_extensions([]) == []
