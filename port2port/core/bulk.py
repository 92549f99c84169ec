"""Fast multi-row inserts for the two hot write paths (bulk indicator import, sensor ingestion).

`QuerySet.bulk_create` compiles every value of every row through the field machinery, which
costs more than the database's own work (measured on 5,000 indicators: 0.6 s in Django's SQL
compiler against 0.1 s for a raw `executemany`). Here each column's conversion is chosen once
per batch, rows are plain tuples, and one `INSERT … VALUES (…), (…) RETURNING id` per chunk
hands back the new keys in row order, as `bulk_create` itself relies on for both databases.

Only the caller's actions use this, after they validated every row: it is not a way around
the named, audited actions.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from django.db import connections, models, router
from pydantic_core import to_json


class EncodedJSON(str):
    """JSON text already encoded (and checked) by the caller, for a JSONField column: stored
    as it is instead of being encoded again."""


def _encoded_json_parameter(connection) -> Callable:
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda text: Jsonb(text, dumps=str)  # already JSON: sent as it is, typed jsonb
    return str


def _converter(field: models.Field, connection) -> Callable | None:
    """How a Python value of this column becomes a database parameter (None: as it is)."""
    if isinstance(field, models.JSONField):
        # Most rows carry an empty list or dict: encode those once, not once per row.
        empty = {list: field.get_db_prep_save([], connection), dict: field.get_db_prep_save({}, connection)}
        encoded = _encoded_json_parameter(connection)
        # On SQLite a JSON column is text: encode it directly, without Django's per-value call
        # chain (a third of the conversion time of a bulk import).
        plain = (_json_text if connection.vendor == "sqlite" and field.encoder is None
                 else lambda value: field.get_db_prep_save(value, connection))

        def convert(value):
            if isinstance(value, EncodedJSON):
                return encoded(value)
            if not value and type(value) in empty:
                return empty[type(value)]
            return plain(value)

        return convert
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        if connection.vendor == "sqlite" and connection.timezone == UTC:
            adapt = _sqlite_utc_text(adapt)
        return _remembering_last(adapt)
    return None


_standard_json_text = json.JSONEncoder().encode
_FLAT_JSON_VALUES = frozenset((str, int, bool, type(None)))


def _json_text(value) -> str:
    """JSON text of a value for a JSON column on SQLite, read back as Django reads its own. A
    flat object (text keys) or list of text, whole numbers, true, false and null, the `extra`
    and `flags` of nearly every indicator, is written by pydantic-core's encoder (compact, in
    UTF-8 where the standard library escapes non-ASCII characters): 0.4 µs against the
    standard library's 2.7 for a two-key object (preparing benchmarks/correlation.py's rows:
    4.8 µs a row before, 3.9 after). Anything else, and text pydantic-core refuses (a lone
    surrogate), the standard library writes (or refuses, as Django would)."""
    if type(value) is dict:
        flat = all(type(key) is str for key in value) and all(type(item) in _FLAT_JSON_VALUES for item in value.values())
    else:
        flat = type(value) is list and all(type(item) in _FLAT_JSON_VALUES for item in value)
    if flat:
        try:
            return to_json(value).decode()
        except ValueError:
            pass
    return _standard_json_text(value)


def _sqlite_utc_text(adapt: Callable) -> Callable:
    """What Django's SQLite backend makes of a datetime in UTC (the naive time as text), without
    its checks for expressions and time zones on every value; any other value goes to `adapt`."""

    def convert(value):
        if type(value) is datetime and value.tzinfo is UTC:
            return value.isoformat(" ")[:-6]  # without "+00:00": a third faster than replace()
        return adapt(value)

    return convert


def _remembering_last(convert: Callable) -> Callable:
    """`convert`, skipped when the value is the one converted just before (a batch stamps
    every row with the same `now`)."""
    last = [object(), None]

    def remembering(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return remembering


class Prepared(list):
    """Rows whose values are already the database's parameters (made by `prepare`)."""


def prepare(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> Prepared:
    """The rows with every value turned into its database parameter. An action calls this
    before it opens its transaction, so that the database's one writer (on SQLite) is held for
    the insert only, not for this Python work; `insert_returning` does it itself otherwise."""
    connection = connections[router.db_for_write(model)]
    converters = [(index, convert) for index, name in enumerate(columns)
                  if (convert := _converter(model._meta.get_field(name), connection)) is not None]
    if not converters:
        return Prepared(rows)
    prepared = Prepared()
    for row in rows:
        row = list(row)
        for index, convert in converters:
            row[index] = convert(row[index])
        prepared.append(row)
    return prepared


def insert_returning_ids(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> list[int]:
    """Insert `rows` (tuples of Python values in the order of `columns`, attribute names such
    as `report_id`) into `model`'s table; return the new primary keys in row order."""
    return [row[0] for row in insert_returning(model, columns, rows)]


def insert_returning(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *,
                     returning: Sequence[str] = ("id",), skip_conflicts_on: Sequence[str] = ()) -> list[tuple]:
    """Insert `rows` and return the `returning` columns of each inserted row. With
    `skip_conflicts_on` (the columns of a unique constraint), rows that would break it are left
    out silently (`ON CONFLICT … DO NOTHING`, on SQLite and PostgreSQL alike) and return nothing:
    the caller tells them apart by what came back."""
    if not rows:
        return []
    if not isinstance(rows, Prepared):
        rows = prepare(model, columns, rows)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conflict = (f" ON CONFLICT ({', '.join(quote(model._meta.get_field(n).column) for n in skip_conflicts_on)}) DO NOTHING"
                if skip_conflicts_on else "")
    returned = ", ".join(quote(model._meta.get_field(n).column) for n in returning)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and connection.in_atomic_block:
            return _insert_then_read_back(cursor, model, insert + one_row + conflict, rows, returned)
        chunk = max(1, connection.ops.bulk_batch_size(fields, rows))
        found = []
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            cursor.execute(insert + ", ".join([one_row] * len(part)) + conflict + " RETURNING " + returned,
                           [value for row in part for value in row])
            found.extend(cursor.fetchall())
        return found


def _insert_then_read_back(cursor, model: type[models.Model], insert_one: str, rows: Sequence, returned: str) -> list:
    """SQLite, inside a transaction: one `executemany` of a one-row insert, then the new rows
    read back by key. Quicker than a multi-row `VALUES … RETURNING`, whose SQL Django rewrites
    placeholder by placeholder (7% of a sensor batch's server time) and SQLite then parses. It is
    exact because a transaction here holds SQLite's one write lock from its first write (or
    fails if another writer came first), so every row above the largest key before the insert
    is one of these, and keys only grow."""
    pk = cursor.db.ops.quote_name(model._meta.pk.column)
    table = cursor.db.ops.quote_name(model._meta.db_table)
    cursor.execute(f"SELECT max({pk}) FROM {table}")
    largest_before = cursor.fetchone()[0] or 0
    cursor.executemany(insert_one, rows)
    cursor.execute(f"SELECT {returned} FROM {table} WHERE {pk} > %s ORDER BY {pk}", [largest_before])
    return cursor.fetchall()


def id_runs(ids: Iterable[int]) -> list[list[int]]:
    """Ids as runs of consecutive numbers, [[first, last], ...]: the ids one multi-row insert
    returns are mostly consecutive, so a task handed 1,000 of them stores two numbers instead
    of a thousand (a task's arguments are JSON, encoded and stored with the task)."""
    runs = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def ids_of(runs: Sequence[Sequence[int]]) -> list[int]:
    """The ids that `id_runs` made into runs."""
    return [pk for first, last in runs for pk in range(first, last + 1)]
