"""JSON columns of API list rows, read as text.

A list of 100 customers has 500 JSON columns (the customer's errors, each package's warnings and errors),
nearly all ``[]``; through ``JSONField`` each is decoded by Django's converters, the largest single cost of
building a page. Read as text (``json_text``) they cost nothing until one holds something, and ``json_list``
decodes only those."""

import json

from django.db.models import TextField
from django.db.models.functions import Cast

_EMPTY = (None, "", "[]", "null")


def json_text(name: str) -> Cast:
    """The JSON column ``name`` as its text (an annotation for ``.values()``)."""
    return Cast(name, output_field=TextField())


def json_list(value) -> list:
    """A JSON list from ``json_text`` (or already decoded, from a model instance)."""
    if isinstance(value, list):
        return value
    if value in _EMPTY:
        return []
    return json.loads(value)
