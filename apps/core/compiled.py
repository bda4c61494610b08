"""A queryset whose SQL Django builds once per process, then runs with other values.

Building an annotated queryset (``filter``, ``annotate``, ``Exists``, ``Subquery``) and compiling it to SQL
costs Django far more than the database's answer when the query reads one row: the customer read by every
subscriber add (``subscribers.services.subscribers.OrderLookups``) spent ~3 ms of CPU there per request.
``CompiledQuery`` keeps the ORM as the only spelling of the query: ``build(**values)`` returns the queryset
as the code would run it, and it is built and compiled once for each set of value names (and types), with
stand-ins for the values; each call then runs that SQL with its own values in their places, and turns the
rows into model instances as the queryset would (its ``select_related`` objects and annotations included);
or, with ``share_locked_pks``, locks the rows and answers their primary keys (``core.locks``).

The values are given by name; a *form* (positional: hashables, such as an actor's reach,
``accounts.selectors.reach_of``) tells ``build`` which query to build when more than the values' names
decide it, and is part of what the SQL is compiled once for. ``bind`` keeps the form and values for the one
who runs the query (a view hands a scoped customer to the service that locks it).

What ``build`` may do: use a value only as a query parameter, so that the SQL depends on the form and on
which values are given, never on what they are (``filter(email=email)``, not an ``if`` on the value). The
values are ``str``, ``int`` and ``UUID`` (never ``None``: ``= NULL`` compiles to ``IS NULL``); a value that
the compiled SQL does not carry as a parameter is refused when it is compiled. A queryset that can match
nothing (``none()``, an empty ``__in``) runs no query: it has no rows."""

import copy
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from apps.core.locks import require_transaction, share_locked_sql

_TYPES = (str, int, uuid.UUID)


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the queryset can match nothing
    params: tuple  # the compiled parameters: a stand-in's value name (a _Slot), or a constant
    compiler: SQLCompiler  # as_sql() has run: its select, klass_info and annotation_col_map are the rows'
    alias: str
    # The rows' converters (the backend's and the fields'), worked out once: each takes the connection it
    # converts for as an argument.
    converters: Callable[[list], dict] = dict


@dataclass(frozen=True)
class _Slot:
    name: str
    hex: bool = False  # a UUID as its hex (a database without a UUID type: SQLite)

    def value(self, values: dict[str, Any]) -> Any:
        return values[self.name].hex if self.hex else values[self.name]


class CompiledQuery:
    """``build(*form, **values) -> QuerySet`` of model rows (no ``values()``, no ``prefetch_related``),
    compiled once per form and set of value names and types; ``rows(*form, **values)`` is
    ``list(build(*form, **values))``; ``share_locked_pks(*form, **values)`` locks those rows and answers
    their primary keys."""

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, *form: Hashable, **values: Any) -> list[Model]:
        compiler, fetched = self._run(form, values, locked=False)
        return _instances(compiler, fetched) if fetched else []

    def share_locked_pks(self, *form: Hashable, **values: Any) -> list:
        """The primary keys of the rows, each locked ``FOR SHARE`` until the transaction ends
        (``core.locks.share_locked_sql``)."""
        compiler, fetched = self._run(form, values, locked=True)
        return [pk for (pk,) in compiler.results_iter([fetched])] if fetched else []

    def bind(self, *form: Hashable, **values: Any) -> "BoundQuery":
        return BoundQuery(self, form, values)

    def _run(self, form: tuple, values: dict[str, Any], *, locked: bool) -> tuple[SQLCompiler, list[tuple]]:
        """The compiler the rows are read with, and the rows as the database answered them."""
        values = {name: _plain(name, value) for name, value in values.items()}
        key = (form, locked, *sorted((name, type(value)) for name, value in values.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            # Two threads may both compile it the first time: the same SQL, either one kept.
            compiled = self._compiled[key] = self._compile(form, values, locked=locked)
        connection = connections[compiled.alias]
        if locked:
            require_transaction(connection, "share_locked_pks() holds its locks in a transaction.")
        if compiled.sql is None:
            return compiled.compiler, []
        params = tuple(p.value(values) if isinstance(p, _Slot) else p for p in compiled.params)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.get_converters = compiled.converters  # results_iter() asks for them: as compiled
        return compiler, fetched

    def _compile(self, form: tuple, values: dict[str, Any], *, locked: bool) -> _Compiled:
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
        built = self._build(*form, **{name: stand_in for stand_in, name in stand_ins.items()})
        if built._iterable_class is not ModelIterable or built._prefetch_related_lookups:
            raise TypeError("CompiledQuery builds querysets of model instances, without prefetch_related")
        if built._known_related_objects:
            raise TypeError("CompiledQuery does not build a related manager's queryset")
        queryset = built.order_by().values_list("pk", flat=True) if locked else built
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()  # what execute_sql() runs
        except EmptyResultSet:
            return _Compiled(sql=None, params=(), compiler=compiler, alias=queryset.db)
        slots = tuple(forms[p] if _hashable(p) and p in forms else p for p in params)
        missing = set(values) - {slot.name for slot in slots if isinstance(slot, _Slot)}
        inlined = [name for stand_in, name in stand_ins.items() if str(stand_in) in sql]
        if missing or inlined:
            raise ValueError(
                f"CompiledQuery values not compiled as parameters: {sorted(missing | set(inlined))}"
            )
        if locked:
            sql = share_locked_sql(sql, queryset)
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(
            sql=sql, params=slots, compiler=compiler, alias=queryset.db, converters=lambda fields: converters
        )


@dataclass(frozen=True)
class BoundQuery:
    """A compiled query with its form and values, not run yet."""

    query: CompiledQuery
    form: tuple
    values: dict[str, Any]

    def rows(self) -> list[Model]:
        return self.query.rows(*self.form, **self.values)

    def share_locked_pks(self) -> list:
        return self.query.share_locked_pks(*self.form, **self.values)


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
