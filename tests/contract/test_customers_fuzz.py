"""schemathesis over our own ``/v1/openapi.json``, the Wholesale Customers operations only, with more examples
than the suite-wide fuzz: no 5xx, no response outside the schema, no invalid input accepted. Valid cases are
replayed with a real provisioningId, addresses and customer so that the success answers (202, 200) are
checked too."""

import pytest

from apps.onboarding.models import OnboardingTemplate
from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings

pytestmark = pytest.mark.fuzz

schema = fuzz_schema(FUZZED_BY_THEIR_OWN_MODULE[__name__])

US = {"addressLine1": "1 Main Street", "city": "Milpitas", "country": "US"}


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
@fuzz_settings(30)
def test_fuzz_the_customer_operations(case, acme_token, world):
    call_and_validate(case, acme_token)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _realistic(case, world, id(case) % 1_000_000)
        call_and_validate(case, acme_token)
