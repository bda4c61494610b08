"""schemathesis over the partner API for workspaces (``/v1/partner/workspaces``): no 5xx, no answer outside
the schema; valid cases replayed on a real customer and workspace."""

import pytest

from apps.customers.models import Customer
from apps.subscribers.models import Workspace
from apps.subscribers.services.workspaces import workspace_create
from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings
from tests.factories import provision_customer

pytestmark = pytest.mark.fuzz

CAC = "common_area_calling"

schema = fuzz_schema(FUZZED_BY_THEIR_OWN_MODULE[__name__])


@schema.parametrize()
@fuzz_settings(20)
def test_fuzz_the_workspace_operations(case, acme_token, world):
    """No 5xx, no answer outside the schema; valid cases replayed on a real customer and workspace."""

    call_and_validate(case, acme_token)
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    customer = Customer.objects.filter(org__name="Fuzz Harbor").first() or provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Fuzz Harbor",
        admin_email="admin@fuzzharbor.test",
        packages=["webex_calling", CAC],
    )
    workspace = Workspace.objects.filter(customer=customer).first() or workspace_create(
        actor=world.acme_admin, customer=customer, name="Fuzz lobby", extension="4999"
    )
    if "workspace_id" in (case.path_parameters or {}):
        case.path_parameters["workspace_id"] = workspace.webex_id
    case.query = {
        k: v for k, v in (case.query or {}).items() if k not in ("orgId", "customerId", "locationId")
    }
    if isinstance(case.body, dict):
        case.body.pop("locationId", None)
        case.body.pop("phoneNumber", None)
        if "customerId" in case.body:
            case.body["customerId"] = customer.webex_id
    call_and_validate(case, acme_token)
