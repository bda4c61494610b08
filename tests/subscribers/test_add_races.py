"""What an add answers when a concurrent request took its e-mail or extension between its checks and its
writes (the database's unique indexes refuse the row): the refusal the check would have given, keyed by the
field, and nothing of the add written."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.core.errors import ErrorCode
from apps.locations.models import Extension
from apps.subscribers.fixes import error_codes
from apps.subscribers.models import Subscriber
from apps.subscribers.services.subscribers import OrderLookups, subscriber_add


def _add(world, email: str, extension: str) -> None:
    subscriber_add(
        actor=world.acme_admin,
        customer=world.blue_harbor,
        email=email,
        package="webex_suite",
        first_name="Race",
        extension=extension,
    )


def test_an_extension_taken_since_the_check_is_refused_as_just_taken(world, monkeypatch):
    Extension.objects.create(org=world.blue_harbor.org, extension="3990")
    monkeypatch.setattr(OrderLookups, "extension_taken", lambda self, extension, *, holder: False)
    with pytest.raises(ValidationError) as refused:
        _add(world, "race-ext@blueharbor.test", "3990")
    assert error_codes(refused.value) == [ErrorCode.EXTENSION_IN_USE]
    assert refused.value.message_dict == {"extension": ["Extension 3990 was just taken."]}
    assert not User.objects.filter(email="race-ext@blueharbor.test").exists()
    assert not Subscriber.objects.filter(email="race-ext@blueharbor.test").exists()


def test_an_email_taken_since_the_check_is_refused_as_in_use(world, monkeypatch):
    User.objects.create(email="race-mail@blueharbor.test")
    monkeypatch.setattr(OrderLookups, "email_in_use", lambda self, email: False)
    monkeypatch.setattr(OrderLookups, "person", lambda self, email: None)
    with pytest.raises(ValidationError) as refused:
        _add(world, "race-mail@blueharbor.test", "3991")
    assert error_codes(refused.value) == [ErrorCode.EMAIL_IN_USE]
    assert list(refused.value.message_dict) == ["email"]
    assert not Extension.objects.filter(org=world.blue_harbor.org, extension="3991").exists()
