"""schemathesis over every /v1/ operation of our own ``/v1/openapi.json``: no 5xx, no answer outside the
schema, no invalid input accepted."""

import pytest
from schemathesis.checks import load_all_checks

from tests.contract.fuzz import call_and_validate, fuzz_schema, fuzz_settings

load_all_checks()

pytestmark = pytest.mark.fuzz

schema = fuzz_schema()


@schema.parametrize()
@fuzz_settings(25)
def test_fuzz_every_operation(case, acme_token, world):
    # Business rules beyond the schema (a role a partner cannot hold, an e-mail already taken, the last
    # full administrator) legitimately answer schema-valid input with 400, so "positive data accepted" is
    # not a property of this API; every other check is.
    call_and_validate(case, acme_token)
    # A generated person id never exists: valid input is replayed on a real person so that the success
    # answers of the detail operations (roles, assignments, removal) are checked too.
    if (
        case.meta is not None
        and case.meta.generation.mode.is_positive
        and "person_id" in (case.path_parameters or {})
    ):
        case.path_parameters["person_id"] = world.acme_partner_admin.webex_id
        if case.query and "orgId" in case.query:
            case.query["orgId"] = world.acme.webex_id
        call_and_validate(case, acme_token)
