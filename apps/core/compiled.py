"""A queryset whose SQL Django builds once per process, then runs with other values.

Building an annotated queryset (``filter``, ``annotate``, ``Exists``, ``Subquery``) and compiling it to SQL
costs Django far more than the database's answer when the query reads one row: the customer read by every
subscriber add (``subscribers.services.subscribers.OrderLookups``) spent ~3 ms of CPU there per request.
``CompiledQuery`` keeps the ORM as the only spelling of the query: ``build(**values)`` returns the queryset
as the code would run it, and it is built and compiled once for each set of value names (and types), with
stand-ins for the values; each call then runs that SQL with its own values in their places, and turns the
rows into model instances as the queryset would (its ``select_related`` objects and annotations included),
or into its ``values()`` dicts; or, with ``share_locked_pks``, locks the rows and answers their primary keys
(``core.locks``). ``CompiledList`` does the same for each page of a list as the API pages it (first page,
offset, deep offset, cursor): building and compiling a list's page query cost the API lists about as much
CPU as reading and rendering their 100 rows.

The values are given by name; a *form* (positional: hashables, such as an actor's reach,
``accounts.selectors.reach_of``) tells ``build`` which query to build when more than the values' names
decide it, and is part of what the SQL is compiled once for. ``bind`` keeps the form and values for the one
who runs the query (a view hands a scoped customer to the service that locks it).

What ``build`` may do: use a value only as a query parameter, so that the SQL depends on the form and on
which values are given, never on what they are (``filter(email=email)``, not an ``if`` on the value). The
values are ``str``, ``int``, ``UUID`` and aware ``datetime`` (never ``None``: ``= NULL`` compiles to
``IS NULL``); a value that the compiled SQL does not carry as a parameter is refused when it is compiled
(but for an int in a slice's bounds: Django writes ``LIMIT``/``OFFSET`` as numbers, made parameters here).
A text value may also be a part of a text or compared without case (``name__icontains=search``,
``__contains``, ``__[i]startswith``, ``__[i]endswith``, ``__iexact``): its parameter is
the pattern Django makes of it (``%term%``, its wildcards escaped as the backend escapes them), made from the
value on each run (``_PATTERNS``).
A queryset that can match nothing (``none()``, an empty ``__in``) runs no query: it has no rows."""

import copy
import datetime
import functools
import re
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from apps.core import pagination
from apps.core.keyset import cursor_after, cursor_values, rows_following
from apps.core.locks import require_transaction, share_locked_sql
from apps.core.prepared import numbered, prepared_cursor

_TYPES = (str, int, uuid.UUID, datetime.datetime)
# Stand-ins of int values: positive (a slice takes them) and within a 32-bit integer column's range (Django
# answers nothing for an out-of-range lookup, without compiling it).
_INT_STAND_IN = 1_987_654_321
# ``LIMIT n`` / ``OFFSET n`` as Django writes a slice's bounds (literals), and the placeholders before them.
_PLACEHOLDER_OR_BOUND = re.compile(r"%%|%s|\b(LIMIT|OFFSET) ([0-9]+)\b")


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the queryset can match nothing
    params: tuple  # the compiled parameters: a stand-in's value name (a _Slot), or a constant
    compiler: SQLCompiler  # as_sql() has run: its select, klass_info and annotation_col_map are the rows'
    alias: str
    # The rows' converters (the backend's and the fields'), worked out once: each takes the connection it
    # converts for as an argument.
    converters: Callable[[list], dict] = dict
    names: tuple = ()  # a ``values()`` queryset's: the keys of its rows' dicts

    @functools.cached_property
    def sql_numbered(self) -> str:
        """The SQL with its placeholders numbered, as a prepared statement sends it (``core.prepared``)."""
        return numbered(self.sql)


@dataclass(frozen=True)
class _Slot:
    name: str
    # How the database's driver is handed the value, as Django's field adapts it: "hex" for a UUID on a
    # database without a UUID type (SQLite), "datetime" for an instant (text on SQLite).
    adapt: str = ""

    def value(self, values: dict[str, Any], connection) -> Any:
        value = values[self.name]
        if self.adapt == "hex":
            return value.hex
        if self.adapt == "datetime":
            return connection.ops.adapt_datetimefield_value(value)
        if self.adapt in _PATTERNS:
            return _PATTERNS[self.adapt](value, connection)
        return value


# A text value as Django's pattern lookups pass it (``django.db.models.lookups.PatternLookup`` and
# ``IExact``): a part of a text (``contains``/``icontains``: ``%term%``, ``startswith`` ``term%``,
# ``endswith`` ``%term``), its LIKE wildcards escaped by the backend (``prep_for_like_query``); and a text
# compared without case (``iexact``) as the backend prepares it (escaped on SQLite, where it is a LIKE; as it
# is on PostgreSQL, where it is ``UPPER(a) = UPPER(b)``). The SQL around the parameter (UPPER, LIKE, ESCAPE)
# is the lookup's own, compiled once: only the parameter depends on the value.
_PATTERNS: dict[str, Callable[[str, Any], str]] = {
    "iexact": lambda value, connection: connection.ops.prep_for_iexact_query(value),
    "contains": lambda value, connection: f"%{connection.ops.prep_for_like_query(value)}%",
    "startswith": lambda value, connection: f"{connection.ops.prep_for_like_query(value)}%",
    "endswith": lambda value, connection: f"%{connection.ops.prep_for_like_query(value)}",
}


class CompiledQuery:
    """``build(*form, **values) -> QuerySet`` of model rows or of ``values()`` dicts (no
    ``prefetch_related``), compiled once per form and set of value names and types; ``rows(*form, **values)``
    is ``list(build(*form, **values))``; ``share_locked_pks(*form, **values)`` locks those rows and answers
    their primary keys.

    ``build`` may slice with int values (``qs[offset:offset + limit]``, and ``core.pagination.page_slice``):
    Django writes a slice's bounds into the SQL, and they are made parameters of it. ``around(sql, vendor)``,
    when given, wraps the compiled SQL once: its first columns must be the query's own, and its rows' dicts
    also hold the columns it adds (by their names in the SQL)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        around: Callable[[str, str], str] | None = None,
        prepared: bool = False,
    ):
        """``prepared``: on PostgreSQL, the SQL goes as written with its values bound by the server, so that
        it is prepared after a few runs on a connection and PostgreSQL stops planning it (``core.prepared``).
        For lookups whose plan cannot depend on the values (a row by its key: a subscriber's add reads and
        locks its customer, reads its order's rows, at every POST), never for lists: PostgreSQL then plans a
        prepared statement once for any values, and a list's generic plan read 200,000 subscribers for a
        first page (93 ms instead of 7)."""
        self._build = build
        self._around = around
        self._prepared = prepared
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, *form: Hashable, **values: Any) -> list:
        compiler, fetched, compiled, names = self._run(form, values, locked=False)
        if not fetched:
            return []
        if not compiled.names:
            return _instances(compiler, fetched)
        return _dicts(compiler, fetched, compiled.names, names)

    def share_locked_pks(self, *form: Hashable, **values: Any) -> list:
        """The primary keys of the rows, each locked ``FOR SHARE`` until the transaction ends
        (``core.locks.share_locked_sql``)."""
        compiler, fetched, _, _ = self._run(form, values, locked=True)
        return [pk for (pk,) in compiler.results_iter([fetched])] if fetched else []

    def bind(self, *form: Hashable, **values: Any) -> "BoundQuery":
        return BoundQuery(self, form, values)

    def _run(self, form: tuple, values: dict[str, Any], *, locked: bool) -> tuple:
        """The compiler the rows are read with, the rows as the database answered them, what was compiled,
        and the names of the SQL's columns."""
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
            return compiled.compiler, [], compiled, ()
        params = tuple(p.value(values, connection) if isinstance(p, _Slot) else p for p in compiled.params)
        prepared = self._prepared and connection.vendor == "postgresql"
        with prepared_cursor(connection) if prepared else connection.cursor() as cursor:
            cursor.execute(compiled.sql_numbered if prepared else compiled.sql, params)
            fetched = cursor.fetchall()
            names = tuple(column[0] for column in cursor.description or ())
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.get_converters = compiled.converters  # results_iter() asks for them: as compiled
        return compiler, fetched, compiled, names

    def _compile(self, form: tuple, values: dict[str, Any], *, locked: bool) -> _Compiled:
        stand_ins = _stand_ins(values)
        built = self._build(*form, **{name: stand_in for name, stand_in in stand_ins.items()})
        plain_rows = built._iterable_class is ValuesIterable
        if (
            not (plain_rows or built._iterable_class is ModelIterable)
            or built._prefetch_related_lookups
            or (plain_rows and locked)
        ):
            raise TypeError(
                "CompiledQuery builds querysets of model instances or of values() dicts, without "
                "prefetch_related"
            )
        if built._known_related_objects:
            raise TypeError("CompiledQuery does not build a related manager's queryset")
        queryset = built.order_by().values_list("pk", flat=True) if locked else built
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()  # what execute_sql() runs
        except EmptyResultSet:
            return _Compiled(sql=None, params=(), compiler=compiler, alias=queryset.db)
        connection = connections[queryset.db]
        slots: dict[Any, _Slot] = {}  # a parameter as compiled -> its value's slot
        for name, stand_in in stand_ins.items():
            slots[stand_in] = _Slot(name)
            if isinstance(stand_in, uuid.UUID):
                slots[stand_in.hex] = _Slot(name, adapt="hex")
            elif isinstance(stand_in, datetime.datetime):
                slots[connection.ops.adapt_datetimefield_value(stand_in)] = _Slot(name, adapt="datetime")
            elif isinstance(stand_in, str):
                # Each form differs from the plain stand-in: the stand-in holds a LIKE wildcard ("_").
                for how, pattern in _PATTERNS.items():
                    slots.setdefault(pattern(stand_in, connection), _Slot(name, adapt=how))
        params = tuple(slots[p] if _hashable(p) and p in slots else p for p in params)
        bounds = {stand_in: _Slot(name) for name, stand_in in stand_ins.items() if type(stand_in) is int}
        sql, params = _bounds_as_parameters(sql, params, bounds)
        missing = set(values) - {slot.name for slot in params if isinstance(slot, _Slot)}
        inlined = [name for name, stand_in in stand_ins.items() if _text(stand_in) in sql]
        if missing or inlined:
            raise ValueError(
                f"CompiledQuery values not compiled as parameters: {sorted(missing | set(inlined))}"
            )
        if locked:
            sql = share_locked_sql(sql, queryset)
        if self._around is not None:
            sql = self._around(sql, connection.vendor)
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(
            sql=sql,
            params=params,
            compiler=compiler,
            alias=queryset.db,
            converters=lambda fields: converters,
            names=_value_names(queryset.query) if plain_rows else (),
        )


class CompiledList:
    """A list's pages, each page's query compiled once per shape: ``build(*form, **values)`` is the list as
    the ORM spells it (an ordered queryset, as ``CompiledQuery`` takes), and its pages are read as
    ``core.api.pagination.WebexOffsetPagination`` reads a queryset's (``core.pagination.page_slice`` at an
    offset, ``core.keyset`` after a cursor), the page's form (first page, offset, deep offset, cursor and
    which of its values are NULL) being part of the shape, and the offset, the limit and the cursor's values
    parameters of the SQL. ``bind(*form, **values)`` is the list of one request.

    A list may be a ``UNION ALL`` of legs (``union(..., all=True)``) each ordered as the whole list is (a
    search of two scopes, each walked through its own index): each leg of a page's query then stops at the
    rows the page reads up to (its offset + limit, one more parameter), so that the database walks each leg
    in order, merges them and stops, instead of reading every row of both and sorting them all. Without its
    LIMIT, PostgreSQL plans a leg for all its rows (the union's ORDER BY above it)."""

    def __init__(self, build: Callable[..., QuerySet], *, around: Callable[[str, str], str] | None = None):
        self._build = build
        self._pages = CompiledQuery(self._page, around=around)
        self._ordered: dict[tuple, QuerySet] = {}

    def bind(self, *form: Hashable, **values: Any) -> "BoundList":
        return BoundList(self, form, values)

    def queryset(self, *form: Hashable, **values: Any) -> QuerySet:
        """The list as ``build`` spells it with these values, not compiled."""
        return self._build(*form, **values)

    def ordered(self, form: tuple, values: dict[str, Any]) -> QuerySet:
        """The list built once per shape with stand-ins: what its ordering is (for its cursors), never run."""
        key = (form, *sorted((name, type(_plain(name, value))) for name, value in values.items()))
        ordered = self._ordered.get(key)
        if ordered is None:
            plain = {name: _plain(name, value) for name, value in values.items()}
            ordered = self._ordered[key] = self._build(*form, **_stand_ins(plain))
        return ordered

    def _page(self, page: tuple, *form: Hashable, **values: Any) -> QuerySet:
        how, nulls = page[0], page[1:]
        bounds = {name: values.pop(name) for name in [name for name in values if name.startswith(_PAGE)]}
        qs = self._build(*form, **values)
        if f"{_PAGE}reach" in bounds:
            qs = _legs_stopped(qs, bounds[f"{_PAGE}reach"])
        limit = bounds[f"{_PAGE}limit"]
        if how == "cursor":
            after = [None if null else bounds[f"{_PAGE}after{i}"] for i, null in enumerate(nulls)]
            return rows_following(qs, after)[:limit]
        if how == "first":
            return qs[:limit]
        offset = bounds[f"{_PAGE}offset"]
        # The two forms of ``page_slice``: its deep one compiled with its stand-in offset, which is deep.
        if how == "deep":
            return pagination.page_slice(qs, offset, offset + limit)
        return qs[offset : offset + limit]


_PAGE = "page__"  # the names of a page's own values (no ORM argument names a value so)


def _legs_stopped(qs: QuerySet, reach: int) -> QuerySet:
    """A union's legs, each limited to its first ``reach`` rows: the page's rows, in the union's order, are
    among them when each leg is ordered as the union is (refused otherwise: a leg cut unordered would lose
    rows of the page)."""
    if qs.query.combinator != "union" or not qs.query.combinator_all:
        raise TypeError("CompiledList reads a UNION ALL of legs, no other combination of queries")
    qs = qs._chain()
    order, legs = tuple(qs.query.order_by), []
    for leg in qs.query.combined_queries:
        if not order or tuple(leg.order_by) != order or leg.is_sliced or leg.combinator:
            raise TypeError("CompiledList's union legs must each be ordered as the list is, unsliced")
        leg = leg.clone()
        leg.set_limits(high=reach)
        legs.append(leg)
    qs.query.combined_queries = tuple(legs)
    return qs


@dataclass(frozen=True)
class BoundList:
    """One request's list (``CompiledList.bind``), read a page at a time."""

    list: CompiledList
    form: tuple
    values: dict[str, Any]

    def page(self, *, offset: int, limit: int, cursor: str | None = None) -> list:
        """``limit`` rows after the cursor's row when the cursor is one of this list's ordering, else from
        ``offset`` (as ``page_slice(qs, offset, offset + limit)``)."""
        ordered = self.ordered()
        after = cursor_values(ordered, cursor) if cursor else None
        bounds: dict[str, Any] = {f"{_PAGE}limit": limit}
        if ordered.query.combinator:  # a union's legs stop at the page's last row (no cursor follows one)
            bounds[f"{_PAGE}reach"] = offset + limit
        if after is not None:
            page = ("cursor", *(value is None for value in after))
            bounds |= {f"{_PAGE}after{i}": _aware(v) for i, v in enumerate(after) if v is not None}
        elif offset == 0:
            page = ("first",)
        else:
            page = ("deep" if offset >= pagination.DEEP_OFFSET else "offset",)
            bounds[f"{_PAGE}offset"] = offset
        return self.list._pages.rows(page, *self.form, **self.values, **bounds)

    def cursor_after(self, row) -> str | None:
        return cursor_after(self.ordered(), row)

    def ordered(self) -> QuerySet:
        return self.list.ordered(self.form, self.values)

    def queryset(self) -> QuerySet:
        return self.list.queryset(*self.form, **self.values)


def _aware(value):
    """A cursor's instant as the ORM would filter by it: one without a time zone in the current one."""
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _stand_ins(values: dict[str, Any]) -> dict[str, Any]:
    """A stand-in for each value, of its type, that no query holds by itself (found again in the SQL and its
    parameters)."""
    token = uuid.uuid4().hex
    stand_ins = {}
    for n, (name, value) in enumerate(sorted(values.items())):
        if isinstance(value, str):
            # "_": a LIKE wildcard, so that the stand-in as a pattern lookup escapes it (``_PATTERNS``) is
            # told apart from the stand-in as it is.
            stand_ins[name] = f"<{name} {token}_>"
        elif isinstance(value, int):
            stand_ins[name] = _INT_STAND_IN - 7919 * n
        elif isinstance(value, datetime.datetime):
            instant = datetime.datetime(1001, 1, 1, 0, 0, 1, n + 1)  # noqa: DTZ001 (made aware below)
            stand_ins[name] = timezone.make_aware(instant, datetime.UTC) if settings.USE_TZ else instant
        else:
            stand_ins[name] = uuid.uuid4()
    return stand_ins


def _text(stand_in) -> str:
    """How a stand-in would read, written into the SQL (not as a parameter)."""
    return stand_in.isoformat(sep=" ")[:19] if isinstance(stand_in, datetime.datetime) else str(stand_in)


def _bounds_as_parameters(sql: str, params: tuple, bounds: dict[int, "_Slot"]) -> tuple[str, tuple]:
    """``sql`` with each ``LIMIT`` / ``OFFSET`` whose number is a stand-in of ``bounds`` turned into a
    placeholder, and its slot among the parameters in the place of that placeholder."""
    if not bounds:
        return sql, params
    parts, placed, index, last = [], [], 0, 0
    for match in _PLACEHOLDER_OR_BOUND.finditer(sql):
        if match.group(0) == "%s":
            placed.append(params[index])
            index += 1
        elif match.group(1) and int(match.group(2)) in bounds:
            parts += [sql[last : match.start()], f"{match.group(1)} %s"]
            last = match.end()
            placed.append(bounds[int(match.group(2))])
    if index != len(params):
        raise ValueError("CompiledQuery could not place the query's parameters")
    return "".join([*parts, sql[last:]]), tuple(placed)


def _value_names(query) -> tuple:
    """The keys of a ``values()`` row, as ``ValuesIterable`` names them (Django 5.2)."""
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


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
    if isinstance(value, datetime.datetime):
        if settings.USE_TZ and timezone.is_naive(value):
            raise TypeError(f"CompiledQuery value {name}={value!r}: give an aware datetime")
        return value
    for plain in _TYPES:
        if isinstance(value, plain) and not isinstance(value, bool):
            return plain(value) if plain is not uuid.UUID else value
    raise TypeError(f"CompiledQuery value {name}={value!r}: give a str, an int, a UUID or a datetime")


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


def _dicts(compiler: SQLCompiler, fetched: list[tuple], names: tuple, columns: tuple) -> list[dict]:
    """The rows as ``values()`` dicts, as ``ValuesIterable`` makes them, with the columns that ``around``
    added after the query's own (by their names in the SQL)."""
    keys = names + columns[len(names) :]
    return [dict(zip(keys, row, strict=True)) for row in compiler.results_iter([fetched])]
