"""The demo world (`make run`'s seed), built once for the tests of this package: ``world_apart`` sets the
shared persona world aside, runs the seed in an atomic of its own and runs each test in a savepoint of it."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from tests.conftest import shared_world_keeper
from tests.shared_world import world_apart


def seed(capture_on_commit_callbacks=TestCase.captureOnCommitCallbacks) -> str:
    """Run the seed as `make run` does, then what its queued tasks do (the worker would run them)."""
    out = StringIO()
    with capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@dataclass
class Seeded:
    out: str  # what the command printed
    mails: list  # the e-mails it sent


@pytest.fixture(scope="package")
def seeded(request, django_db_setup, django_db_blocker) -> Seeded:
    def build() -> Seeded:
        out = seed()
        return Seeded(out=out, mails=list(mail.outbox))

    with world_apart(build, blocker=django_db_blocker, keeper=shared_world_keeper(request)) as done:
        yield done
