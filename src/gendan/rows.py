"""Rows written as plain statements: Django's ``bulk_create`` and ``bulk_update`` without
compiling an expression per value.

The ORM builds and compiles a statement on every call (an INSERT of one history row compiles
every one of its 40 columns' values as expressions); on an order's life that compiling, not
the SQL, was most of the time (docs/benchmarks.md, "The order's life"). These functions write
the same rows — every concrete field, each value in the database's own form as Django's
``get_db_prep_save`` gives it — from an SQL text built once per (model, columns, connection).
The rows are those the ORM would write: ``tests/test_rows.py`` compares them field for field.

PostgreSQL takes each column as one array (``INSERT ... SELECT FROM unnest(...)``, ``UPDATE
... FROM unnest(...)``): a statement of a few parameters, where a VALUES list of thousands costs
the server more to parse than to write; SQLite takes multi-row VALUES within its bound on
parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, connections
from django.db.models import Model
from django.db.models.fetch_modes import FETCH_ONE
from django.db.models.query import get_related_populators

#: rows per statement at most
MAX_ROWS = 5_000

#: the fields whose Python value is already what the database takes (no conversion)
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",  # SQLite's driver adapter writes str(date), as Django's would
        "DecimalField",  # Django's adapters return a Decimal unchanged
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)

#: and those psycopg takes as they are (Django's PostgreSQL adapter returns them unchanged)
_AS_IS_ON_POSTGRESQL = frozenset({"DateTimeField"})


class Column:
    """One column of a model as these statements write it."""

    __slots__ = ("attname", "column", "convert", "db_type", "field")

    def __init__(self, field: Any, database: Any) -> None:
        kind = field.get_internal_type()
        as_is = kind in _AS_IS or (database.vendor == "postgresql" and kind in _AS_IS_ON_POSTGRESQL)
        self.field = field
        self.column = str(field.column)
        self.attname = str(field.attname)
        self.convert = (
            None if as_is else functools.partial(field.get_db_prep_save, connection=database)
        )
        self.db_type = str(field.db_type(database))

    def value(self, value: Any) -> Any:
        return value if self.convert is None or value is None else self.convert(value)


@functools.cache
def _columns_of(model: type[Model], alias: str) -> tuple[Column, ...]:
    database = connections[alias]  # the connection itself, not the thread's proxy
    return tuple(
        Column(f, database)
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.db_returning)
    )


def columns(model: type[Model]) -> tuple[Column, ...]:
    """Every concrete field an INSERT writes: all but a primary key the database sets."""
    return _columns_of(model, connection.alias)


@functools.cache
def _column(model: type[Model], alias: str, name: str) -> Column:
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return Column(f, connections[alias])
    raise LookupError(f"{model._meta.label} has no concrete field {name!r}")


def column(model: type[Model], name: str) -> Column:
    """The column of one field (by name or attname), the primary key included."""
    return _column(model, connection.alias, name)


def insert(objs: Sequence[Model], *, returning: str = "") -> None:
    """Write new rows of one model as ``bulk_create`` does (every concrete field but an
    automatic primary key, the database's own form of each value). With ``returning="pk"`` the
    new primary keys are read back into ``objs`` in order (as ``bulk_create`` reads them);
    with the name of a unique field, matched by that field."""
    if not objs:
        return
    model = type(objs[0])
    cols = columns(model)
    relations = [c for c in cols if c.field.is_relation]
    for obj in objs:
        for c in relations:  # a related row saved after it was assigned (as bulk_create does)
            if getattr(obj, c.attname) is None and c.field.is_cached(obj):
                related = c.field.get_cached_value(obj)
                if related is not None and related.pk is not None:
                    setattr(obj, c.attname, related.pk)
    rows = [[c.value(getattr(obj, c.attname)) for c in cols] for obj in objs]
    keys = _insert(model, cols, rows, returning)
    pk = model._meta.pk
    assert pk is not None
    if returning == "pk":
        for obj, (pk_value, *_) in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, pk_value)
    elif returning:
        key = model._meta.get_field(returning).attname  # type: ignore[union-attr]
        by_key = {getattr(obj, key): obj for obj in objs}
        for pk_value, key_value in keys:
            setattr(by_key[key_value], pk.attname, pk_value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_values(model: type[Model], values: Sequence[Mapping[str, Any]]) -> None:
    """Write new rows of ``model`` given as field values (a related object for a relation; a
    field left out takes its default), without building a model instance per row."""
    cols = columns(model)
    rows = []
    for given in values:
        row = []
        for c in cols:
            if c.attname in given:
                value = given[c.attname]
            elif c.field.name in given:
                value = given[c.field.name]
                if c.field.is_relation and value is not None:
                    value = value.pk
            else:
                value = c.field.get_default()
            row.append(value if c.convert is None or value is None else c.convert(value))
        rows.append(row)
    _insert(model, cols, rows, "")


def _insert(
    model: type[Model], cols: Sequence[Column], rows: list[list[Any]], returning: str
) -> list[tuple[Any, Any]]:
    """The INSERTs of ``rows``; the (primary key, ``returning`` field) of each new row."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    q = connection.ops.quote_name
    table = q(meta.db_table)
    names = ", ".join(q(c.column) for c in cols)
    returned = ""
    if returning == "pk":
        returned = f" RETURNING {q(str(pk.column))}"
    elif returning:
        key = meta.get_field(returning)
        returned = f" RETURNING {q(str(pk.column))}, {q(str(getattr(key, 'column', '')))}"
    keys: list[tuple[Any, Any]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{c.db_type}[]" for c in cols)
            for start in range(0, len(rows), MAX_ROWS):
                chunk = rows[start : start + MAX_ROWS]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){returned}",
                    [list(values) for values in zip(*chunk, strict=True)],
                )
                if returning:
                    keys.extend(cursor.fetchall())
        else:
            one = "(" + ", ".join(["%s"] * len(cols)) + ")"
            bound = int(connection.features.max_query_params or 999)
            per = max(1, min(MAX_ROWS, bound // len(cols)))
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}"
                    f"{returned}",
                    [value for row in chunk for value in row],
                )
                if returning:
                    keys.extend(cursor.fetchall())
    return keys


def update(objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of rows that exist, each row its own values, in one statement (as
    ``bulk_update`` does, without its ``Case(When(...))`` expressions)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    key = column(model, pk.name)
    cols = [column(model, name) for name in fields]
    q = connection.ops.quote_name
    table = q(meta.db_table)
    with connection.cursor() as cursor:
        if len(objs) == 1:
            (obj,) = objs
            sets = ", ".join(f"{q(c.column)} = %s" for c in cols)
            cursor.execute(
                f"UPDATE {table} SET {sets} WHERE {q(key.column)} = %s",
                [c.value(getattr(obj, c.attname)) for c in cols] + [key.value(obj.pk)],
            )
            return
        sets = ", ".join(f"{q(c.column)} = v.{q(c.column)}" for c in cols)
        names = ", ".join(q(c.column) for c in (key, *cols))
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{c.db_type}[]" for c in (key, *cols))
            for start in range(0, len(objs), MAX_ROWS):
                chunk = objs[start : start + MAX_ROWS]
                cursor.execute(
                    f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) "
                    f"WHERE {table}.{q(key.column)} = v.{q(key.column)}",
                    [[c.value(getattr(obj, c.attname)) for obj in chunk] for c in (key, *cols)],
                )
        else:
            one = "(" + ", ".join(["%s"] * (len(cols) + 1)) + ")"
            bound = int(connection.features.max_query_params or 999)
            per = max(1, min(MAX_ROWS, bound // (len(cols) + 1)))
            for start in range(0, len(objs), per):
                chunk = objs[start : start + per]
                # SQLite names a VALUES list's columns column1, column2, ...: a CTE renames them
                cursor.execute(
                    f"WITH v({names}) AS (VALUES {', '.join([one] * len(chunk))}) "
                    f"UPDATE {table} SET {sets} FROM v "
                    f"WHERE {table}.{q(key.column)} = v.{q(key.column)}",
                    [c.value(getattr(obj, c.attname)) for obj in chunk for c in (key, *cols)],
                )


# ---- reads compiled once ------------------------------------------------------------------------


#: the integer placeholders of a prepared read (no row has such a key)
_PLACEHOLDER_INT = -(2**62) + 7919


def _same(param: Any, mark: Any) -> bool:
    return isinstance(param, str) == isinstance(mark, str) and param == mark


class _Sentinel(str):
    """A parameter's place in a query compiled once: found again in the compiled parameters."""

    __slots__ = ()


class Prepared:
    """A SELECT of model rows, compiled once per connection and run again with new parameters:
    the SQL text, where each parameter goes, the columns, their converters and the
    ``select_related`` populators are what the ORM compiled; each run sends the same statement
    and builds the instances as the ORM's model iterable does (``Model.from_db`` with the
    converted values, related objects through Django's own populators).

    ``build`` takes one value per parameter and returns the queryset; it is called once per
    connection with placeholders, one of each type in ``kinds`` (``str`` or ``int``), that must
    reach the compiled parameters unchanged (plain equality filters of text or integer
    columns)."""

    def __init__(self, build: Any, *kinds: type) -> None:
        self._build = build
        self._kinds = kinds or (str,)
        self._compiled: dict[str, tuple[Any, ...]] = {}

    def _compile(self) -> tuple[Any, ...]:
        alias = connection.alias
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        marks = [
            _Sentinel(f"\x00prepared-{i}\x00") if kind is str else _PLACEHOLDER_INT - i
            for i, kind in enumerate(self._kinds)
        ]
        queryset = self._build(*marks)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = []
        for mark in marks:
            found = [i for i, p in enumerate(params) if _same(p, mark)]
            if len(found) != 1:
                raise ValueError(f"a prepared parameter was not compiled as one value: {found}")
            places.append(found[0])
        if compiler.annotation_col_map:
            raise ValueError("a prepared read takes model rows, not annotations")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [f[0].target.attname for f in compiler.select[start:end]]
        converters = list(compiler.get_converters([s[0] for s in compiler.select]).items())
        populators = get_related_populators(klass_info, compiler.select, alias, FETCH_ONE)
        compiled = (
            sql,
            tuple(params),
            tuple(places),
            klass_info["model"],
            init_list,
            converters,
            start,
            end,
            populators,
        )
        self._compiled[alias] = compiled
        return compiled

    def all(self, *values: Any) -> list[Any]:
        sql, params, places, model, init_list, converters, start, end, populators = self._compile()
        bound = list(params)
        for place, value in zip(places, values, strict=True):
            bound[place] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            fetched = cursor.fetchall()
        alias = connection.alias
        objs = []
        for raw in fetched:
            row = list(raw)
            for pos, (convs, expression) in converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objs.append(obj)
        return objs

    def first(self, *values: Any) -> Any:
        found = self.all(*values)
        return found[0] if found else None


def create[M: Model](model: type[M], **values: Any) -> M:
    """A new row, as ``model.objects.create(**values)`` writes it (no signals: no app listens
    to these models' saves), through ``insert``."""
    obj = model(**values)
    insert([obj], returning="pk")
    return obj
