"""Keyset (cursor) pages of an ordered queryset: the next page is "the rows after the last one shown", a
seek in the index of the ORDER BY, instead of ``OFFSET n``, which reads and throws away ``n`` rows.

A cursor is opaque text naming the ordering it was made for and the last row's values of it. It applies
only to the same ordering of the same list (anything else, or a cursor that does not decode, is ignored and
the caller falls back to its offset), and only to orderings it can follow exactly: plain columns of the
model, nullable ones with an explicit NULLS FIRST / LAST, ending with a unique column (the primary key or
another unique field) so that no two rows tie. The filter is added to the caller's scoped queryset, so a
cursor can never reach a row the list does not hold.
"""

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Field, Q, QuerySet
from django.db.models.expressions import OrderBy


@dataclass(frozen=True)
class _Key:
    field: Field
    descending: bool
    nulls_first: bool | None  # None: the column is not nullable

    @property
    def name(self) -> str:
        return self.field.attname


def _keys(qs: QuerySet) -> list[_Key] | None:
    """The ordering of ``qs`` as keys, or None when a keyset cannot follow it exactly."""
    query = qs.query
    ordering = list(query.order_by) or (list(qs.model._meta.ordering) if query.default_ordering else [])
    if not ordering or query.distinct or query.combinator:
        return None
    keys = []
    for item in ordering:
        nulls_first = None
        if isinstance(item, str):
            descending, name = item.startswith("-"), item.lstrip("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, name = item.descending, item.expression.name
            if item.nulls_first or item.nulls_last:
                nulls_first = bool(item.nulls_first)
        else:
            return None
        if "__" in name:
            return None
        try:
            field = qs.model._meta.pk if name == "pk" else qs.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or (field.is_relation and not field.many_to_one):
            return None
        if field.null and nulls_first is None:
            return None  # where NULLs sort differs between databases
        keys.append(_Key(field, descending, nulls_first if field.null else None))
        if field.primary_key or field.unique:
            return keys  # a unique column ends the ordering: later ones never decide
    return None


def _signature(keys: list[_Key]) -> str:
    return ",".join(
        f"{'-' if k.descending else ''}{k.name}{'' if k.nulls_first is None else k.nulls_first}" for k in keys
    )


def cursor_after(qs: QuerySet, row) -> str | None:
    """The cursor of the rows after ``row`` (an instance, or a ``.values()`` dict holding the ordering's
    attnames) in ``qs``'s ordering (None when it cannot be followed)."""
    keys = _keys(qs)
    if keys is None:
        return None
    if isinstance(row, Mapping):  # a row of ``.values()``: read by attname as from an instance
        row = SimpleNamespace(**row)
    values = [None if getattr(row, key.name) is None else key.field.value_to_string(row) for key in keys]
    raw = json.dumps([_signature(keys), values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def rows_after(qs: QuerySet, cursor: str) -> QuerySet | None:
    """``qs`` from the row after the cursor's, or None when the cursor is not one of this ordering."""
    values = cursor_values(qs, cursor)
    return None if values is None else rows_following(qs, values)


def cursor_values(qs: QuerySet, cursor: str) -> list | None:
    """The last row's values of ``qs``'s ordering that the cursor names (None for a NULL), or None when the
    cursor is not one of this ordering."""
    keys = _keys(qs)
    if keys is None or not cursor or len(cursor) > 2000:
        return None
    try:
        signature, texts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError):
        return None
    if signature != _signature(keys) or not isinstance(texts, list) or len(texts) != len(keys):
        return None
    values = []
    try:
        for key, text in zip(keys, texts, strict=True):
            if text is None:
                if key.nulls_first is None:
                    return None
                values.append(None)
                continue
            if not isinstance(text, str):
                return None
            values.append(key.field.to_python(text))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    return values


def rows_following(qs: QuerySet, values: list) -> QuerySet:
    """``qs`` from the row after the one whose ordering's values are ``values`` (``cursor_values``)."""
    return qs.filter(_seek(_keys(qs), values))


def _after(key: _Key, value) -> Q | None:
    """Rows strictly after ``value`` in this key alone (None: none are)."""
    name = key.name
    if value is None:  # only nullable keys: NULLs first means every value comes after
        return Q(**{f"{name}__isnull": False}) if key.nulls_first else None
    beyond = Q(**{f"{name}__lt" if key.descending else f"{name}__gt": value})
    if key.nulls_first is False:  # NULLs last: they come after every value
        beyond |= Q(**{f"{name}__isnull": True})
    return beyond


def _equal(key: _Key, value) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def _seek(keys: list[_Key], values: list) -> Q:
    """``(k1, k2, ...) > (v1, v2, ...)`` in the ordering's directions, plus a bound on the first key alone
    (``k1 >= v1``) that the database can seek its index with."""
    condition = None
    for i, key in enumerate(keys):
        after = _after(key, values[i])
        if after is None:
            continue
        prefix = Q()
        for previous, value in zip(keys[:i], values[:i], strict=True):
            prefix &= _equal(previous, value)
        condition = prefix & after if condition is None else condition | (prefix & after)
    if condition is None:
        return Q(pk__in=[])  # nothing comes after
    first, value = keys[0], values[0]
    if value is not None and first.nulls_first is not False:
        condition &= Q(**{f"{first.name}__lte" if first.descending else f"{first.name}__gte": value})
    return condition
