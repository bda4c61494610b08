"""schemathesis over our own ``/v1/openapi.json``, the Wholesale Subscribers operations only (list, create,
get, update, remove, validate, consentMove under both paths): no 5xx, no response outside the schema, no
invalid input accepted. Valid cases are replayed with a real customer, subscriber and a fresh e-mail so that
the success answers (200, 202, 204) are checked too."""

import pytest

from apps.subscribers.models import Subscriber
from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings

pytestmark = pytest.mark.fuzz

schema = fuzz_schema(FUZZED_BY_THEIR_OWN_MODULE[__name__])


def _realistic(case, world, n: int) -> None:
    """Make a valid generated case a plausible order: a real customer and subscriber, a fresh e-mail."""
    if "subscriber_id" in (case.path_parameters or {}):
        maria = Subscriber.objects.filter(email="maria@blueharbor.test").first()
        if maria is not None:
            case.path_parameters["subscriber_id"] = maria.webex_id
    if case.query:
        for key in ("orgId", "onBehalfOfSubPartnerOrgId", "customerId", "personId"):
            case.query.pop(key, None)
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    if "customerId" in body:
        body["customerId"] = world.blue_harbor.webex_id
    if "email" in body:
        body["email"] = f"fuzz{n}@blueharbor.test"
    params = body.get("provisioningParameters")
    if isinstance(params, dict):
        params.pop("locationId", None)
        params.pop("primaryPhoneNumber", None)
        params["extension"] = f"{4000 + n % 5000}"


@schema.parametrize()
@fuzz_settings(20)
def test_fuzz_the_subscriber_operations(case, acme_token, world):
    call_and_validate(case, acme_token)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _realistic(case, world, id(case) % 1_000_000)
        call_and_validate(case, acme_token)
