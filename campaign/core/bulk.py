"""Bulk statements whose parameters are converted before the write lock is taken.

SQLAlchemy converts every value of an executemany through its column's type (aware datetimes
to UTC text, lists to JSON) and builds each parameter set when the statement runs: for a plan
of 5,000 events that is most of the time its write holds SQLite's write lock. `BulkRows` does
that conversion while the rows are prepared (a reading transaction, nothing locked); `send`
then hands the ready parameters to the driver's executemany.

Only values known when the rows are prepared are converted; those known only at write time
(ids of rows the write itself inserts) go in `late` columns, which must need no conversion
(integers). Statements sent this way bypass the session's ORM events: the caller says what
they change where a hook would have noted it (the coverage cells).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.expression import ColumnElement


@dataclass(frozen=True)
class BulkRows:
    """One statement and its parameter sets, ready for the driver (see the module)."""

    sql: str
    keys: tuple[str, ...]  # the early columns, then the late ones
    binds: tuple[str, ...]  # the statement's bind name of each key
    order: tuple[int, ...] | None  # a positional driver's parameters: the key of each place
    converted: list[tuple[Any, ...]]  # per row: the converted values of the early columns
    late: int  # how many of `keys` are late

    def send(self, connection: Connection, late: Sequence[Sequence[Any]] = ()) -> None:
        """Execute once per row: the prepared rows, `late[i]` giving row i's values of the late
        columns; when every column is late, once per item of `late`."""
        rows: Sequence[tuple[Any, ...]]
        if self.late == len(self.keys):
            rows = [tuple(values) for values in late]
        elif self.late:
            assert len(late) == len(self.converted), "one set of late values per row"
            rows = [(*early, *extra) for early, extra in zip(self.converted, late, strict=True)]
        else:
            rows = self.converted
        if not rows:
            return
        if self.order is not None:
            order = self.order
            params: list[Any] = [tuple(row[i] for i in order) for row in rows]
        else:
            params = [dict(zip(self.binds, row, strict=True)) for row in rows]
        connection.exec_driver_sql(self.sql, params)


NOTHING = BulkRows("", (), (), None, [], 0)  # no rows: `send` does nothing


def _convert(table: Table, rows: Iterable[dict[str, Any]], columns: Sequence[str],
             dialect: Dialect) -> list[tuple[Any, ...]]:
    """Each row's values of `columns`, through the columns' types for `dialect`."""
    converters = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in columns]
    pairs = list(zip(columns, converters, strict=True))
    converted = []
    for row in rows:
        values = []
        for name, convert in pairs:
            value = row[name]
            values.append(value if convert is None or value is None else convert(value))
        converted.append(tuple(values))
    return converted


def _prepared(statement: Any, table: Table, rows: Sequence[dict[str, Any]], dialect: Dialect, *,
              early: tuple[str, ...], late: Sequence[str], binds: dict[str, str]) -> BulkRows:
    compiled = statement.compile(dialect=dialect)
    keys = (*early, *late)
    key_of = {bind: key for key, bind in binds.items()}
    # A column left out whose default SQLAlchemy would compute per row (default=utcnow) is a
    # parameter of its own here, which the driver would never get: refuse it at once.
    missing = sorted(set(compiled.binds) - set(key_of))
    if missing:
        raise ValueError(f"{table.name}: give {', '.join(missing)} in every row (a column "
                         "default is not computed by a bulk statement)")
    position = compiled.positiontup
    order = None if position is None else tuple(keys.index(key_of[name]) for name in position)
    return BulkRows(str(compiled), keys, tuple(binds[k] for k in keys), order,
                    _convert(table, rows, early, dialect), len(late))


def bulk_insert(table: Table, rows: Sequence[dict[str, Any]], dialect: Dialect, *,
                late: Sequence[str] = ()) -> BulkRows:
    """An INSERT of `rows` (dicts with the same keys, the late columns left out)."""
    if not rows and not late:
        return NOTHING
    early = tuple(rows[0]) if rows else ()
    # Bind names must differ from the names of the columns a statement sets.
    binds = {name: f"new_{name}" for name in (*early, *late)}
    statement = insert(table).values({name: bindparam(bind) for name, bind in binds.items()})
    return _prepared(statement, table, rows, dialect, early=early, late=late, binds=binds)


def bulk_update(table: Table, rows: Sequence[dict[str, Any]], dialect: Dialect, *,
                key: str = "id", also: dict[str, ColumnElement[Any]] | None = None,
                late: Sequence[str] = ()) -> BulkRows:
    """An UPDATE by `key` of `rows` (dicts with the same keys, `key` among them, or late);
    `also` sets columns to SQL expressions (`sequence = sequence + 1`)."""
    if not rows and not late:
        return NOTHING
    early = tuple(rows[0]) if rows else ()
    binds = {name: f"new_{name}" for name in (*early, *late)}
    values: dict[str, Any] = {name: bindparam(bind) for name, bind in binds.items()
                              if name != key}
    values.update(also or {})
    statement = update(table).where(table.c[key] == bindparam(binds[key])).values(values)
    return _prepared(statement, table, rows, dialect, early=early, late=late, binds=binds)
