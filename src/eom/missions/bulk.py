"""Inserting many new rows of one model at once: the reports of a batch, their QA flags and their
audit entries (`insert_many`, from model instances), and the protocols of an official results
import or the new polling stations it creates (`insert_rows`, from plain {field: value} rows).

On PostgreSQL the rows go through COPY. A multi-row INSERT of forty reports carries about seven
hundred parameters; Django compiles that statement anew for every batch and psycopg then splits
it and merges the parameters into its text in Python, which cost more CPU than checking the
reports did (bench/bench_ingest.py, docs/performance.md). COPY sends the same values, formatted
by the driver's C code, with one short statement, and the server parses it with less work too.
The ids a caller needs are drawn from the table's sequence first, in one query.

One row (a report sent alone, its audit entry) is one INSERT (… RETURNING its id when it is
needed) instead of reading the sequence, then a COPY; on SQLite Django's `bulk_create` does the
work. Either way each value is what Django itself would write (`pre_save`, then
`get_db_prep_save`), the objects come back as saved, with their ids, and a unique key that is
already taken raises Django's IntegrityError.

The hand-written statements of the ingestion path (`rows`, `select`, `execute` and the one-row
INSERT) run, on PostgreSQL, through a cursor that binds its parameters on the server, so that
psycopg prepares a statement once it has run a few times on a connection (`prepare_threshold`,
5): the same statement text, sent with every report, is then no longer parsed and planned
anew; planning the deployments' five-table join cost the database ten times what running it
did. They go through Django's cursor wrapper all the same (logged, counted, execute wrappers,
Django's exceptions). Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or later
with `max_prepared_statements` set, or EOM_DB_PREPARED_STATEMENTS=false (docs/configuration.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import connections, models, router

# Runs of one statement text on a connection after which psycopg prepares it (its default).
PREPARE_THRESHOLD = 5


def insert_many(model: type[models.Model], objs: Sequence[models.Model], *,
                with_ids: bool = True) -> None:
    """Insert the unsaved `objs` of `model` in the current transaction. With `with_ids`, each
    object gets its primary key; without, the database assigns them and the objects keep None
    (for rows nobody refers to, such as audit entries)."""
    if not objs:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model.objects.using(alias).bulk_create(objs)
        return
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    if len(objs) == 1:  # one INSERT, prepared once it is frequent: cheaper than a COPY
        [obj] = objs
        quote = connection.ops.quote_name
        values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        returning = f" RETURNING {quote(pk.column)}" if with_ids else ""
        done = _execute(connection, (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
            f" VALUES ({marks(values)}){returning}"), values)
        if with_ids:
            obj.pk = done.fetchone()[0]
        obj._state.adding = False
        obj._state.db = alias
        return
    columns = ([pk.column] if with_ids else []) + [f.column for f in fields]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        ids: list = []
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)])
            ids = [row[0] for row in cursor.fetchall()]
        rows = []
        for index, obj in enumerate(objs):
            row = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            if with_ids:
                row.insert(0, ids[index])
            rows.append(row)
        _copy(connection, cursor, meta.db_table, columns, rows)
    for index, obj in enumerate(objs):
        if with_ids:
            obj.pk = ids[index]
        obj._state.adding = False
        obj._state.db = alias


def insert_with_entry(obj: models.Model, entry: models.Model, *, refers: str) -> None:
    """PostgreSQL: INSERT the unsaved `obj` and the unsaved `entry`, whose field `refers` (a
    text field) holds `obj`'s id as text, in one statement: run outside a transaction, it is
    its own (a report sent alone and its audit entry: one round trip instead of BEGIN, two
    INSERTs and COMMIT). Both come back as saved, with their ids; a unique key of `obj` that is
    already taken raises Django's IntegrityError and writes neither."""
    alias = router.db_for_write(type(obj))
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk, entry_pk = obj._meta.pk, entry._meta.pk
    fields = [f for f in obj._meta.concrete_fields if f is not pk]
    referring = entry._meta.get_field(refers)
    entry_fields = [f for f in entry._meta.concrete_fields
                    if f is not entry_pk and f is not referring]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    entry_values = [f.get_db_prep_save(f.pre_save(entry, True), connection)
                    for f in entry_fields]
    sql = (
        f"WITH s AS (INSERT INTO {quote(obj._meta.db_table)}"
        f" ({', '.join(quote(f.column) for f in fields)}) VALUES ({marks(values)})"
        f" RETURNING {quote(pk.column)})"
        f" INSERT INTO {quote(entry._meta.db_table)}"
        f" ({', '.join(quote(f.column) for f in [*entry_fields, referring])})"
        f" VALUES ({marks(entry_values)}, (SELECT {quote(pk.column)}::text FROM s))"
        f" RETURNING (SELECT {quote(pk.column)} FROM s), {quote(entry_pk.column)}")
    obj.pk, entry.pk = _execute(connection, sql, [*values, *entry_values]).fetchone()
    setattr(entry, referring.attname, str(obj.pk))
    for saved in (obj, entry):
        saved._state.adding = False
        saved._state.db = alias


def insert_rows(model: type[models.Model], rows: Sequence[Mapping],
                constant: Mapping | None = None) -> None:
    """INSERT many rows of `model` given as {field name or attname: value}, without building
    model instances (5× faster than bulk_create for 100,000 protocols); the database assigns
    the ids. Fields left out take their default, `constant` ones take the same value on every
    row; JSON and date fields are prepared for the database as the ORM would. On PostgreSQL
    through COPY (JSON goes as its text), elsewhere as multi-row INSERTs."""
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = {f.name for f in fields if f.get_internal_type() in {"JSONField", "DateTimeField"}}
    defaults = {f.name: f.get_default() for f in fields}
    for name, value in (constant or {}).items():
        field = model._meta.get_field(name)
        defaults[field.name] = field.get_db_prep_save(value, connection)
        prepared.discard(field.name)
    keys = [(f, f.attname, f.name) for f in fields]
    columns = [f.column for f in fields]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            _copy(connection, cursor, model._meta.db_table, columns,
                  _copy_values(rows, keys, defaults, prepared))
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        table = quote(model._meta.db_table)
        per_statement = max(1, min(1000, connection.ops.bulk_batch_size(fields, rows)))
        cache: dict[tuple[str, str], object] = {}  # repeated small JSON values (failed checks)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            params = []
            for row in chunk:
                for f, attname, name in keys:
                    value = row.get(attname, row.get(name, defaults[name]))
                    if name in prepared:
                        if isinstance(value, list) and len(value) < 4:
                            key = (name, repr(value))
                            if key not in cache:
                                cache[key] = f.get_db_prep_save(value, connection)
                            value = cache[key]
                        else:
                            value = f.get_db_prep_save(value, connection)
                    params.append(value)
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES "
                           f"{', '.join([row_marks] * len(chunk))}", params)


def _copy_values(rows: Sequence[Mapping], keys, defaults: dict, prepared: set):
    """The values of `rows` for COPY: defaults filled in, JSON as its text."""
    for row in rows:
        values = []
        for _f, attname, name in keys:
            value = row.get(attname, row.get(name, defaults[name]))
            if name in prepared and not isinstance(value, str | type(None)):
                value = json.dumps(value) if isinstance(value, dict | list) else value
            values.append(value)
        yield values


def _copy(connection, cursor, table: str, columns: Sequence[str], rows) -> None:
    """COPY `rows` (sequences of values for `columns`) into `table`: PostgreSQL only. Django's
    psycopg cursor binds parameters on the client, which is slow for a million of them."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    started = time.monotonic()
    count = 0
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    if connection.queries_logged:  # counted and shown like any other statement
        connection.queries_log.append({
            "sql": f"{statement} -- {count} rows",
            "time": f"{time.monotonic() - started:.3f}"})


def select(model: type[models.Model], fields: Sequence[str], tail: str, params: Sequence, *,
           alias: str = "t") -> list:
    """Instances of `model` with `fields` loaded (the others deferred) for the rows that `tail`
    picks, in its order. `tail` follows `SELECT <the fields' columns> FROM <model's table> AS t`
    and names its parameters %s. For a read on the ingestion path that runs with every request,
    where Django compiling the query took several times longer than the database running it;
    the result is what `model.objects.only(*fields)` would give."""
    db = router.db_for_read(model)
    meta = model._meta
    chosen = [meta.get_field(name) for name in fields]
    quote = connections[db].ops.quote_name
    columns = ", ".join(f"{alias}.{quote(field.column)}" for field in chosen)
    found = rows(f"SELECT {columns} FROM {quote(meta.db_table)} AS {alias} {tail}", params,
                 chosen, using=db)
    names = [field.attname for field in chosen]
    return [model.from_db(db, names, row) for row in found]


_CONVERTERS: dict[tuple, list] = {}  # (database alias, the fields' ids): the converters


def rows(sql: str, params: Sequence, fields: Sequence, *, using: str = "default") -> list[tuple]:
    """The rows of hand-written SQL, each value turned into Python as Django turns that model
    field's column (dates and times on SQLite, JSON, booleans…); `fields` gives one model field
    per selected column."""
    connection = connections[using]
    # Which converters each column needs depends on the fields and the database only: worked
    # out once per process (it took longer than the query itself).
    key = (using, *map(id, fields))
    convert = _CONVERTERS.get(key)
    if convert is None:
        convert = []
        for position, field in enumerate(fields):
            column = field.get_col("t")
            converters = (connection.ops.get_db_converters(column)
                          + column.get_db_converters(connection))
            if converters:
                convert.append((position, column, converters))
        if len(_CONVERTERS) > 500:
            _CONVERTERS.clear()
        _CONVERTERS[key] = convert
    found = _execute(connection, sql, params).fetchall()
    if not convert:
        return found
    out = []
    for row in found:
        row = list(row)
        for position, column, converters in convert:
            value = row[position]
            for converter in converters:
                value = converter(value, column, connection)
            row[position] = value
        out.append(tuple(row))
    return out


def execute(sql: str, params: Sequence, *, using: str = "default") -> int:
    """Run a hand-written statement that returns no rows (an UPDATE); returns the rows it
    changed."""
    connection = connections[using]
    return _execute(connection, sql, params).rowcount


def _execute(connection, sql: str, params: Sequence):
    """Run `sql` through Django's cursor wrapper (logged and timed when queries are logged,
    through the connection's execute wrappers, database errors as Django's); returns the
    driver's cursor that holds the result, to be read before the next statement. On PostgreSQL
    the statement goes through a cursor of the same connection, in the same transaction, that
    binds its parameters on the server: psycopg then prepares the statement once it has run
    `prepare_threshold` times on this connection, and the server no longer parses and plans it.
    That cursor is kept with the connection and used again: making Django's cursor and a second
    one for every statement cost more than psycopg's own work for it."""
    if connection.vendor != "postgresql":
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor.cursor
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    driver = connection.connection
    raw = getattr(connection, "_server_binding_cursor", None)
    if raw is None or raw.connection is not driver or raw.closed:
        from django.db.backends.postgresql.base import ServerBindingCursor

        if settings.EOM_DB_PREPARED_STATEMENTS and driver.prepare_threshold is None:
            # Django turns psycopg's preparing off (for connection poolers); its own cursors
            # bind on the client and never prepare, so this concerns the statements run here.
            driver.prepare_threshold = PREPARE_THRESHOLD
        raw = connection._server_binding_cursor = ServerBindingCursor(driver)
    cursor = connection._prepare_cursor(raw)  # Django's wrapper: cheap, and no cursor closed
    prepare = None if settings.EOM_DB_PREPARED_STATEMENTS else False

    def run(sql, params, many, context):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            return raw.execute(sql, params, prepare=prepare)

    if hasattr(cursor, "debug_sql"):  # queries are logged (DEBUG, tests): with their values
        import psycopg

        try:
            shown = connection.ops.compose_sql(sql, params)
        except psycopg.Error:
            shown = sql
        with cursor.debug_sql(shown):
            cursor._execute_with_wrappers(sql, params, many=False, executor=run)
    else:
        cursor._execute_with_wrappers(sql, params, many=False, executor=run)
    return raw


def marks(values: Sequence) -> str:
    """`%s, %s, …` for an IN list of `values` (not empty: `IN ()` is no SQL)."""
    if not values:
        raise ValueError("an IN list needs at least one value")
    return ", ".join(["%s"] * len(values))
