"""A queryset whose SQL Django builds once per process, then runs with other values.

Building an annotated queryset (``filter``, ``annotate``, ``Exists``, ``Subquery``) and compiling it to SQL
costs Django far more than the database's answer when the query reads one row: the customer read by every
subscriber add (``subscribers.services.subscribers.OrderLookups``) spent ~3 ms of CPU there per request.
``CompiledQuery`` keeps the ORM as the only spelling of the query: ``build(**values)`` returns the queryset
as the code would run it, and it is built and compiled once for each set of value names (and types), with
stand-ins for the values; each call then runs that SQL with its own values in their places, and turns the
rows into model instances as the queryset would (its ``select_related`` objects and annotations included).

What ``build`` may do: use a value only as a query parameter, so that the SQL depends on which values are
given, never on what they are (``filter(email=email)``, not an ``if`` on the value). The values are ``str``,
``int`` and ``UUID`` (never ``None``: ``= NULL`` compiles to ``IS NULL``); a value that the compiled SQL does
not carry as a parameter is refused when it is compiled."""

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_TYPES = (str, int, uuid.UUID)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the compiled parameters: a stand-in's value name (a _Slot), or a constant
    compiler: SQLCompiler  # as_sql() has run: its select, klass_info and annotation_col_map are the rows'
    alias: str


@dataclass(frozen=True)
class _Slot:
    name: str
    hex: bool = False  # a UUID as its hex (a database without a UUID type: SQLite)

    def value(self, values: dict[str, Any]) -> Any:
        return values[self.name].hex if self.hex else values[self.name]


class CompiledQuery:
    """``build(**values) -> QuerySet`` of model rows (no ``values()``, no ``prefetch_related``), compiled
    once per set of value names and types; ``rows(**values)`` is ``list(build(**values))``."""

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, **values: Any) -> list[Model]:
        values = {name: _plain(name, value) for name, value in values.items()}
        key = tuple(sorted((name, type(value)) for name, value in values.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            # Two threads may both compile it the first time: the same SQL, either one kept.
            compiled = self._compiled[key] = self._compile(values)
        params = tuple(p.value(values) if isinstance(p, _Slot) else p for p in compiled.params)
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        return _instances(compiler, fetched)

    def _compile(self, values: dict[str, Any]) -> _Compiled:
        token = uuid.uuid4().hex
        stand_ins: dict[Any, str] = {}
        forms: dict[Any, _Slot] = {}  # a parameter as compiled -> its value's slot
        for n, (name, value) in enumerate(sorted(values.items())):
            if isinstance(value, str):
                stand_in = f"<{name} {token}>"
            elif isinstance(value, int):
                stand_in = -(10**15) - n
            else:
                stand_in = uuid.uuid4()
                forms[stand_in.hex] = _Slot(name, hex=True)
            stand_ins[stand_in] = name
            forms[stand_in] = _Slot(name)
        queryset = self._build(**{name: stand_in for stand_in, name in stand_ins.items()})
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise TypeError("CompiledQuery builds querysets of model instances, without prefetch_related")
        if queryset._known_related_objects:
            raise TypeError("CompiledQuery does not build a related manager's queryset")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()  # what execute_sql() runs
        slots = tuple(forms[p] if _hashable(p) and p in forms else p for p in params)
        missing = set(values) - {slot.name for slot in slots if isinstance(slot, _Slot)}
        inlined = [name for stand_in, name in stand_ins.items() if str(stand_in) in sql]
        if missing or inlined:
            raise ValueError(
                f"CompiledQuery values not compiled as parameters: {sorted(missing | set(inlined))}"
            )
        return _Compiled(sql=sql, params=slots, compiler=compiler, alias=queryset.db)


def _plain(name: str, value):
    """The value as its plain type (a TextChoices member as its str)."""
    for plain in _TYPES:
        if isinstance(value, plain) and not isinstance(value, bool):
            return plain(value) if plain is not uuid.UUID else value
    raise TypeError(f"CompiledQuery value {name}={value!r}: give a str, an int or a UUID")


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _instances(compiler: SQLCompiler, fetched: list[tuple]) -> list[Model]:
    """The model instances of the rows, as ``ModelIterable`` makes them (Django 5.2)."""
    if compiler.has_extra_select:
        fetched = [row[: compiler.col_count] for row in fetched]
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    db = compiler.using
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    related_populators = get_related_populators(klass_info, select, db)
    instances = []
    for row in compiler.results_iter([fetched]):
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        for attr_name, col_pos in (annotation_col_map or {}).items():
            setattr(obj, attr_name, row[col_pos])
        instances.append(obj)
    return instances
