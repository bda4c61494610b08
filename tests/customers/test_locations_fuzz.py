"""schemathesis over our own ``/v1/openapi.json``, the location and number operations: no 5xx, no response
outside the schema. Valid cases are replayed on Blue Harbor's real headquarters and one of its numbers so
that the success answers are checked too."""

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.customers.models import Location
from apps.customers.services.numbers import numbers_add
from tests.conftest import fresh
from tests.core.test_openapi import keep_test_connection  # noqa: F401  (fixture)
from tests.factories import api_secret_for

schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", WSGIHandler()).include(
    path_regex=r"^/v1/partner/(locations|numbers)"
)
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)


@pytest.fixture
def acme_token(world, keep_test_connection) -> str:  # noqa: F811
    return api_secret_for(fresh(world.acme_admin))


@schema.parametrize()
@hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
    database=None,
)
def test_fuzz_location_operations(case, acme_token, world):
    def call_and_validate():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {acme_token}"}, excluded_checks=[positive_data_acceptance]
        )

    call_and_validate()
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
    call_and_validate()
