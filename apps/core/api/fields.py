"""Serializer fields that take JSON as typed: DRF's CharField turns ``0`` or ``true`` into a string, while the
schema (and a client generated from it) says a string is required."""

from rest_framework import serializers


class StrictStringMixin:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass
