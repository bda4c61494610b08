"""A task that gives up marks its object failed, and never raises from its failure handler: with the database
away (the PostgreSQL outage of the fault suite), an exception there stopped the solo worker."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from apps.provisioning.tasks import customer_provision_task


def test_a_customer_task_that_gives_up_marks_the_customer_failed():
    with mock.patch("apps.provisioning.services.customer_work_failed") as failed:
        customer_provision_task.on_failure(OperationalError("away"), "task-1", ("c-1",), {}, None)
    failed.assert_called_once_with(customer_id="c-1")


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_the_failure_handler_does_not_raise_while_the_database_is_away(error):
    # The logger itself is watched, not the root's records (caplog): a worker test earlier in the same process
    # (Celery's logging set-up) can leave the records out of the root's handlers, and this test failed then.
    with (
        mock.patch("apps.provisioning.services.customer_work_failed", side_effect=error),
        mock.patch("apps.core.tasks.logger") as logger,
    ):
        customer_provision_task.on_failure(error, "task-1", (), {"customer_id": "c-2"}, None)
    message, *values = logger.warning.call_args.args
    assert "not marked failed yet" in message % tuple(values) and "c-2" in values
