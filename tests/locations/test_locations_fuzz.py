"""schemathesis over our own ``/v1/openapi.json``, the location and number operations: no 5xx, no response
outside the schema. Valid cases are replayed on Blue Harbor's real headquarters and one of its numbers so
that the success answers are checked too."""

import pytest

from apps.locations.models import Location
from apps.locations.services.numbers import numbers_add
from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings

pytestmark = pytest.mark.fuzz

schema = fuzz_schema(FUZZED_BY_THEIR_OWN_MODULE[__name__])


@schema.parametrize()
@fuzz_settings(20)
def test_fuzz_location_operations(case, acme_token, world):
    call_and_validate(case, acme_token)
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    location = Location.objects.get(org=world.blue_harbor.org, is_headquarters=True)
    params = case.path_parameters or {}
    if "location_id" in params:
        params["location_id"] = location.webex_id
    if "number_id" in params:
        number = (
            location.numbers.first()
            or numbers_add(actor=world.acme_admin, location=location, phone_numbers=["+14155559999"])[0]
        )
        params["number_id"] = number.webex_id
    case.query = {**(case.query or {}), "orgId": world.blue_harbor.org.webex_id}
    call_and_validate(case, acme_token)
