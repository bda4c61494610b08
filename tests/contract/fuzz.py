"""What every schemathesis run over our own ``/v1/openapi.json`` shares: the schema (loaded at collection
through the real endpoint: it needs no database, and schemathesis's lazy ``from_fixture`` loader does not run
under pytest 9), the hypothesis settings, Acme's token and the checks.

Unknown query parameters are ignored, as Webex does (clients send some we do not know), so an extra one is
not "invalid input"; the bearer token is the test's own, so schemathesis generates no credentials. Business
rules beyond the schema (an e-mail already taken, a package the customer lacks) legitimately answer
schema-valid input with 4xx, so "positive data accepted" is not a property of this API; every other check is.
"""

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import api_secret_for


def fuzz_schema(path_regex: str | None = None):
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", WSGIHandler())
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


@pytest.fixture
def keep_test_connection():
    """Django as WSGI closes the database connection after each request; the test client does not, and
    neither may a fuzz test, whose transaction holds the world."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def acme_token(world, keep_test_connection) -> str:
    from tests.conftest import fresh

    return api_secret_for(fresh(world.acme_admin))
