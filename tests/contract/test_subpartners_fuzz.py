"""schemathesis from the official Webex Wholesale OpenAPI file (as the contract tests read it) on
``GET /v1/wholesale/subPartners``: no 5xx, no status or body outside the document, whatever the query."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler

from tests.contract.fuzz import call_and_validate, fuzz_settings
from tests.contract.openapi_contract import contract_document

pytestmark = pytest.mark.fuzz

schema = schemathesis.openapi.from_dict(contract_document()).include(path_regex="subPartners")
schema.app = WSGIHandler()
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)


@schema.parametrize()
@fuzz_settings(30)
def test_fuzz_the_subpartner_list_from_the_official_file(case, acme_token, world):
    call_and_validate(case, acme_token)
