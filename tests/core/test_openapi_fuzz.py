"""schemathesis over every /v1/ operation of our own ``/v1/openapi.json`` that no module of its own fuzzes
(``FUZZED_BY_THEIR_OWN_MODULE``): no 5xx, no answer outside the schema, no invalid input accepted."""

import importlib.util
import re

import pytest
from schemathesis.checks import load_all_checks

from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings

load_all_checks()

pytestmark = pytest.mark.fuzz

schema = fuzz_schema(excluding=tuple(FUZZED_BY_THEIR_OWN_MODULE.values()))


def _operations(fuzzed) -> set[str]:
    return {f"{op.ok().method.upper()} {op.ok().path}" for op in fuzzed.get_all_operations()}


def test_every_operation_is_fuzzed_exactly_once():
    """This module's operations and those of the modules of their own make up the whole schema, without
    overlap: an operation added to the API is fuzzed here unless a module takes it."""
    every = _operations(fuzz_schema())
    here = _operations(schema)
    for module, regex in FUZZED_BY_THEIR_OWN_MODULE.items():
        assert importlib.util.find_spec(module) is not None, f"{module} is gone"
        theirs = {operation for operation in every if re.search(regex, operation.split(" ", 1)[1])}
        assert theirs, f"{module} fuzzes no operation of the schema"
        assert not theirs & here, f"fuzzed twice: {sorted(theirs & here)}"
        here |= theirs
    assert here == every
    assert len(every) > 40


@schema.parametrize()
@fuzz_settings(15)
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
