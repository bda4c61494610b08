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
import json
import os

import hypothesis
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.core import SCHEMATHESIS_TEST_CASE_HEADER
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

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


# Every request sent and validated so far in this process, as sent (method, path, query, headers with the
# bearer token, body). Hypothesis draws the same request again and again where a schema leaves little to draw
# (a list with two optional parameters, a DELETE of a generated id), and a replay on real ids turns different
# cases into one: a measured run sent 1,277 of its 8,618 requests a second time within the same test, every
# one answered with its first status. The token is the test's own, so a request repeats only within the test
# that sent it (a later test's world, with its rows, is asked again). A request that failed is not recorded:
# hypothesis's replay of a failure sends it again.
_REQUESTS_VALIDATED: set[str] = set()

# The operations whose authentication schemathesis has confirmed (with no token, then a made-up one). Its own
# runner confirms each operation once ("enforcement is a property of the operation"); called from a test, it
# did so after every success, 1,792 probes in a run, every one answered 401.
_AUTH_CONFIRMED: set[str] = set()


def _auth_enforced_once_per_operation(ctx, response, case):
    ctx.auth_enforced_operations = _AUTH_CONFIRMED
    return ignored_auth(ctx, response, case)


def _as_sent(case, headers: dict) -> str:
    request = case.as_transport_kwargs(headers=headers)
    request["headers"].pop(SCHEMATHESIS_TEST_CASE_HEADER, None)  # a fresh id for every case
    return json.dumps(request, default=repr)


def call_and_validate(case, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    request = _as_sent(case, headers)
    if request in _REQUESTS_VALIDATED:
        return
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance, ignored_auth],
        additional_checks=[_auth_enforced_once_per_operation],
    )
    _REQUESTS_VALIDATED.add(request)
