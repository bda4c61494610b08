"""``core.api.serializers.FieldsOnceSerializer``: fields made once per class and copied for each instance
validate as DRF's own deep copies do (the same answers, errors and data, body for body), and each instance's
fields, children included, are its own and bound to it."""

from unittest import mock

import pytest
from rest_framework import serializers

from apps.core.api.serializers import FieldsOnceSerializer
from apps.subscribers.api.serializers import SubscriberPrecheckSerializer, SubscriberProvisionSerializer

PARAMS = {
    "firstName": "Ann",
    "lastName": "Lee",
    "extension": "3001",
    "primaryPhoneNumber": "",
    "locationId": "x",
}
BODIES = [
    {
        "customerId": "abc",
        "email": "ann@blue.test",
        "package": "webex_suite",
        "provisioningParameters": PARAMS,
    },
    {"customerId": "abc", "email": "ann@blue.test", "packages": ["webex_calling"]},
    {"customerId": "abc", "email": "ann@blue.test", "packages": ["webex_calling", 7]},
    {"customerId": "abc", "email": "ann@blue.test", "packages": "webex_calling"},
    {"customerId": "abc", "email": "ann@blue.test", "packages": ["x" * 1001]},
    {
        "customerId": "",
        "email": 5,
        "package": True,
        "provisioningParameters": {"firstName": 1, "extension": None},
    },
    {"customerId": "abc", "provisioningParameters": "none"},
    {"customerId": "abc", "email": "a" * 1001, "unknown": 1, "customerInfo": {"primaryEmail": 3}},
    {},
    [],
]


def _answers(serializer_class, body) -> tuple:
    serializer = serializer_class(data=body)
    valid = serializer.is_valid()
    return valid, serializer.errors, serializer.validated_data if valid else None


@pytest.mark.parametrize("serializer_class", [SubscriberProvisionSerializer, SubscriberPrecheckSerializer])
@pytest.mark.parametrize("body", BODIES)
def test_the_answers_are_drfs_own(serializer_class, body):
    mine = [_answers(serializer_class, body) for _ in range(2)]  # made, then copied
    with mock.patch.object(FieldsOnceSerializer, "get_fields", serializers.Serializer.get_fields):
        drf = _answers(serializer_class, body)
    assert mine == [drf, drf]


def test_each_instance_has_its_own_fields_bound_to_it():
    one, other = SubscriberProvisionSerializer(data={}), SubscriberProvisionSerializer(data={})
    for name, field in one.fields.items():
        assert field is not other.fields[name]
        assert field.parent is one and field.field_name == name and field.root is one
    packages = one.fields["packages"]
    assert packages.child is not other.fields["packages"].child
    assert packages.child.parent is packages and packages.child.root is one
    nested = one.fields["provisioningParameters"]
    assert nested.fields["firstName"].root is one
    assert nested.fields["firstName"] is not other.fields["provisioningParameters"].fields["firstName"]


def test_a_field_it_cannot_copy_is_refused():
    class Related(FieldsOnceSerializer):
        people = serializers.ManyRelatedField(child_relation=serializers.StringRelatedField())

    with pytest.raises(TypeError, match="people"):
        Related(data={}).fields  # noqa: B018 (made on first use)
