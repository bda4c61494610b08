"""schemathesis over the four Wholesale Billing Reports operations (create, get, list, delete): from our own
``/v1/openapi.json`` and from the official Webex file: no 5xx, no response outside the schema, no invalid
input accepted. Valid generated cases are replayed with a real period and report so that the success
answers (200, 204) are checked too."""

from datetime import UTC, timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from apps.billing.models import BillingReport
from tests.contract.fuzz import FUZZED_BY_THEIR_OWN_MODULE, call_and_validate, fuzz_schema, fuzz_settings
from tests.contract.openapi_contract import contract_document

pytestmark = pytest.mark.fuzz

schema = fuzz_schema(FUZZED_BY_THEIR_OWN_MODULE[__name__])


def _official():
    document = contract_document()
    document["servers"] = [{"url": "/v1"}]
    document["paths"] = {
        p: v for p, v in document["paths"].items() if p.startswith("/wholesale/billing/reports")
    }
    official = schemathesis.openapi.from_dict(document)
    official.app = WSGIHandler()
    official.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    return official


official = _official()


def _realistic(case, world, n: int) -> None:
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1 + n % 1500)
    if case.query:
        for key in ("orgId", "onBehalfOfSubPartnerOrgId", "subPartnerOrgId"):
            case.query.pop(key, None)
    for key in ("id", "report_id"):
        if key in (case.path_parameters or {}):
            report = BillingReport.objects.filter(partner=world.acme).first()
            if report is not None:
                case.path_parameters[key] = report.webex_id
    body = case.body if isinstance(case.body, dict) else None
    if body is not None:
        body["billingStartDate"] = str(yesterday)
        body["billingEndDate"] = str(yesterday)
        body.pop("subPartnerOrgId", None)
        if body.get("type") not in ("PARTNER", "CUSTOMER", "USER"):
            body.pop("type", None)
        body.pop("category", None)


@schema.parametrize()
@fuzz_settings(20)
def test_fuzz_the_billing_report_operations(case, acme_token, world):
    call_and_validate(case, acme_token)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _realistic(case, world, id(case) % 1_000_000)
        call_and_validate(case, acme_token)


@official.parametrize()
@fuzz_settings(20)
def test_fuzz_the_billing_report_operations_from_the_official_file(case, acme_token, world):
    call_and_validate(case, acme_token)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _realistic(case, world, id(case) % 1_000_000)
        call_and_validate(case, acme_token)
