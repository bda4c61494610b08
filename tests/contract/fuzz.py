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
import os

import hypothesis
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.specs.openapi.checks import positive_data_acceptance

OPENAPI_PATH = "/v1/openapi.json"

# The operations a module of their own fuzzes with more examples and realistic replays (by module name: the
# path regex that module passes to ``fuzz_schema``). The suite-wide fuzz (tests/core/test_openapi_fuzz.py)
# takes every other operation, so each operation is fuzzed once (schemathesis's coverage phase alone sends
# dozens of cases per operation); that module checks that the two add up to the whole schema.
FUZZED_BY_THEIR_OWN_MODULE = {
    "tests.contract.test_customers_fuzz": r"^/v1/wholesale/customers",
    "tests.contract.test_subscribers_fuzz": r"^/v1/(wholesale/)?subscribers",
    "tests.contract.test_billing_fuzz": r"^/v1/wholesale/billing/reports",
    "tests.locations.test_locations_fuzz": r"^/v1/partner/(locations|numbers)",
    "tests.subscribers.test_workspaces_fuzz": r"^/v1/partner/workspaces",
}


@functools.cache
def _our_document() -> dict:
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, WSGIHandler()).raw_schema


def fuzz_schema(path_regex: str | None = None, *, excluding: tuple[str, ...] = ()):
    """Our schema (the operations matching ``path_regex``, less those matching one of ``excluding``), calling
    the portal in-process."""
    schema = schemathesis.openapi.from_dict(copy.deepcopy(_our_document()))
    schema.app = WSGIHandler()
    schema.location = OPENAPI_PATH
    if path_regex:
        schema = schema.include(path_regex=path_regex)
    for regex in excluding:
        schema = schema.exclude(path_regex=regex)
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    return schema


# How deep the fuzzing phase goes: `make test` (and CI) runs ``max_examples`` generated cases per operation,
# the same ones every run (derandomized), beside schemathesis's coverage phase (the boundary and negative
# cases it derives from the schema, dozens per operation); `make fuzz` sets FUZZ_DEPTH (a multiplier) and
# FUZZ_RANDOM=1 to explore new cases each run.
FUZZ_DEPTH = float(os.environ.get("FUZZ_DEPTH", "1"))
FUZZ_RANDOM = os.environ.get("FUZZ_RANDOM") == "1"


def fuzz_settings(max_examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max(1, round(max_examples * FUZZ_DEPTH)),
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=not FUZZ_RANDOM,
        database=None,
    )


def call_and_validate(case, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )
