"""Database functions that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db.models import CharField, Func


class UnicodeLower(Func):
    """Lower-case text in every alphabet. PostgreSQL's LOWER does that already; SQLite's lower()
    folds only ASCII, so on SQLite this calls Python's str.lower, registered per connection."""

    function = "LOWER"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="EOM_LOWER", **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "EOM_LOWER", 1, lambda value: None if value is None else value.lower(),
            deterministic=True,
        )
