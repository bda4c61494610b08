"""A serializer whose fields are built once per class, then copied for each instance.

DRF gives every serializer instance fields of its own by deep-copying the declared ones, and a field's deep
copy calls its ``__init__`` again with the arguments it was declared with (its validators, its error
messages, its child's, a nested serializer's fields): ~150 µs for a request body of eight fields, three
quarters of what validating it costs. ``FieldsOnceSerializer`` deep-copies them once per class (the same
fresh fields DRF would make) and gives each instance plain copies of those, which DRF then binds to it as
always. What the copies share with each other is what ``__init__`` made and nothing changes afterwards:
their validators, error messages and declared arguments.

For the fields of plain bodies: text, numbers, choices, lists and dicts of those, nested serializers. A field
holding other fields in a way not listed here (a related field's ``child_relation``) is refused when the
class first makes its fields."""

import copy

from rest_framework import serializers
from rest_framework.fields import Field

_MADE: dict[type, dict[str, Field]] = {}  # class -> its fields as DRF deep-copies them, never bound


class FieldsOnceSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, Field]:
        made = _MADE.get(type(self))
        if made is None:
            # Two threads may both make them the first time: the same fields, either kept.
            made = _MADE[type(self)] = super().get_fields()
            for name, field in made.items():
                _check_copyable(name, field)
        return {name: _copy(field) for name, field in made.items()}


def _copy(field: Field) -> Field:
    """A copy of an unbound field, as DRF's deep copy would make it: its child (a list's or a dict's items,
    a ``many=True`` serializer's), which the field's ``__init__`` bound to it, copied too and bound to the
    copy."""
    copied = copy.copy(field)
    child = getattr(field, "child", None)
    if child is not None:
        copied.child = _copy(child)
        copied.child.parent = copied  # bound as the original was (no name, no source), to its own parent
    return copied


def _check_copyable(name: str, field: Field) -> None:
    if hasattr(field, "child_relation"):
        raise TypeError(f"FieldsOnceSerializer cannot copy {name}: {type(field).__name__}")
    if getattr(field, "child", None) is not None:
        _check_copyable(name, field.child)
