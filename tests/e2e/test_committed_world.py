"""The browser tests' committed world (``CommittedWorld``) comes back as it was built, whatever a test did."""

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.core.models import Organization
from tests.e2e.conftest import CommittedWorld


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Organization, User)}


@pytest.mark.django_db(transaction=True)
def test_a_lent_world_is_put_back_as_it_was_built():
    if connection.vendor != "postgresql":
        pytest.skip("the copy is PostgreSQL's COPY; elsewhere the world is built for each test")
    committed = CommittedWorld()
    first = committed.lend()
    built = _rows()
    User.objects.filter(pk=first.acme_admin.pk).update(first_name="Changed")
    Organization.objects.create(name="Added by a test", kind="customer", parent=first.acme)
    User.objects.filter(pk=first.blue_readonly.pk).delete()

    again = committed.lend()
    assert _rows() == built
    assert User.objects.get(pk=again.acme_admin.pk).first_name == first.acme_admin.first_name
    assert User.objects.filter(pk=first.blue_readonly.pk).exists()
    assert again is not first and again.acme_admin.pk == first.acme_admin.pk
    assert committed.rows
