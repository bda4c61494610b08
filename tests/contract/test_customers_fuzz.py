"""schemathesis over our own ``/v1/openapi.json``, the Wholesale Customers operations only, with more examples
than the suite-wide fuzz: no 5xx, no response outside the schema, no invalid input accepted. Valid cases are
replayed with a real provisioningId, addresses and customer so that the success answers (202, 200) are
checked too."""

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.onboarding.models import OnboardingTemplate
from tests.conftest import fresh
from tests.core.test_openapi import keep_test_connection  # noqa: F401  (fixture)
from tests.factories import api_secret_for

schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", WSGIHandler()).include(
    path_regex=r"^/v1/wholesale/customers"
)
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)

US = {"addressLine1": "1 Main Street", "city": "Milpitas", "country": "US"}


@pytest.fixture
def acme_token(world, keep_test_connection) -> str:  # noqa: F811
    return api_secret_for(fresh(world.acme_admin))


def _realistic(case, world, n: int) -> None:
    """Make a valid generated case a plausible order: known template, real customer, sane addresses."""
    if "customer_id" in (case.path_parameters or {}):
        case.path_parameters["customer_id"] = world.cedar_pine.webex_id
    if case.query:
        for key in ("orgId", "onBehalfOfSubPartnerOrgId"):
            case.query.pop(key, None)
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    if "provisioningId" in body:
        body["provisioningId"] = OnboardingTemplate.objects.get(partner=world.acme).provisioning_id
    body.pop("orgId", None)
    if "externalId" in body:
        body["externalId"] = f"FUZZ-{n}"
    if "address" in body:
        body["address"] = dict(US)
    info = body.get("customerInfo")
    if isinstance(info, dict):
        info.update(name=f"Fuzz Customer {n}", primaryEmail=f"fuzz{n}@fuzz.test")
        info.pop("language", None)
    params = body.get("provisioningParameters")
    if isinstance(params, dict):
        if "calling" in params:
            params["calling"] = {
                "location": {
                    "name": "HQ",
                    "address": dict(US),
                    "timezone": "America/Chicago",
                    "language": "en_US",
                }
            }
        if isinstance(params.get("meetings"), dict):
            params["meetings"] = {"timezone": "America/Chicago"}


@schema.parametrize()
@hypothesis.settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
    database=None,
)
def test_fuzz_the_customer_operations(case, acme_token, world):
    headers = {"Authorization": f"Bearer {acme_token}"}
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _realistic(case, world, id(case) % 1_000_000)
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
