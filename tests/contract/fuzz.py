"""What every schemathesis run over our own ``/v1/openapi.json`` shares: the schema (loaded at collection
through the real endpoint: it needs no database, and schemathesis's lazy ``from_fixture`` loader does not run
under pytest 9), the hypothesis settings and the checks. The document is generated once per process, however
many fuzz modules filter it. Only the fuzz modules (``test_*_fuzz.py``, marked ``fuzz``) import this: `make
test` runs them in a second process beside the rest of the suite, which never loads schemathesis.

Unknown query parameters are ignored, as Webex does (clients send some we do not know), so an extra one is
not "invalid input"; the bearer token is the test's own, so schemathesis generates no credentials. Business
rules beyond the schema (an e-mail already taken, a package the customer lacks) legitimately answer
schema-valid input with 4xx, so "positive data accepted" is not a property of this API; every other check is.
"""

import copy
import functools

import hypothesis
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.specs.openapi.checks import positive_data_acceptance

OPENAPI_PATH = "/v1/openapi.json"


@functools.cache
def _our_document() -> dict:
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, WSGIHandler()).raw_schema


def fuzz_schema(path_regex: str | None = None):
    """Our schema (the operations matching ``path_regex``), calling the portal in-process."""
    schema = schemathesis.openapi.from_dict(copy.deepcopy(_our_document()))
    schema.app = WSGIHandler()
    schema.location = OPENAPI_PATH
    if path_regex:
        schema = schema.include(path_regex=path_regex)
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    return schema


def fuzz_settings(max_examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=True,
        database=None,
    )


def call_and_validate(case, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )
