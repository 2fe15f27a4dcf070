"""Confidential text sealed with the data key, so that a copy of the database alone does not
reveal it.

The data key is kept apart from the database (`EOM_DATA_KEY` or `EOM_DATA_KEY_FILE`; by
default a file `data_key` generated beside the SQLite database, which is only good for a demo).
Values are sealed with Fernet (AES-128-CBC and HMAC-SHA256, from the `cryptography` package):
a sealed value is URL-safe ASCII beginning with `gAAAAA`, different each time even for the same
text, and nobody without a key can read it or alter it unnoticed.

Several keys may be given, newest first: the first seals every new value, all of them open the
stored ones. `eom keys rotate` reseals every stored value with the first key, after which the
others can be dropped (docs/deployment.md, "The data key").
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks

# Functions that reach values sealed outside the encrypted model fields (e.g. the changes of
# confidential audit entries, sealed with `encrypt_json`): each takes `change(token) -> token`,
# passes every token it keeps through it, stores those that come back different, and returns
# how many went through. `eom keys rotate` passes `reseal`; `eom keys check` a counter that
# gives every token back unchanged.
Resealer = Callable[[Callable[[str], str]], int]
_resealers: list[tuple[str, Resealer]] = []


class SealedValueError(Exception):
    """A stored value that none of the configured data keys opens."""


def generate_key() -> str:
    """A new random data key, as EOM_DATA_KEY takes it."""
    return Fernet.generate_key().decode("ascii")


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.EOM_DATA_KEYS))


def encrypt(text: str) -> str:
    """`text` sealed with the current data key."""
    return _keys().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text sealed in `token`; SealedValueError when no configured key opens it."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SealedValueError(
            "A confidential value cannot be opened with the configured data keys "
            "(EOM_DATA_KEY): the key that sealed it is missing, or the value was altered."
        ) from exc


def is_sealed(value: str) -> bool:
    """Whether `value` is a token that one of the configured keys opens."""
    try:
        decrypt(value)
    except SealedValueError:
        return False
    return True


def reseal(token: str) -> str:
    """`token` sealed again with the current (first) data key; its text is unchanged."""
    try:
        return _keys().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SealedValueError(
            "A confidential value cannot be resealed: none of the configured data keys "
            "(EOM_DATA_KEY) opens it."
        ) from exc


def encrypt_json(value: Any) -> str:
    """A JSON-serialisable value (e.g. an audit entry's changes) sealed as one token."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return encrypt(text)


def decrypt_json(token: str) -> Any:
    """The value `encrypt_json` sealed in `token`."""
    return json.loads(decrypt(token))


def register_resealer(name: str, resealer: Resealer) -> None:
    """Have `eom keys rotate` reseal values this module does not know about (idempotent)."""
    if all(existing != name for existing, _function in _resealers):
        _resealers.append((name, resealer))


def resealers() -> list[tuple[str, Resealer]]:
    return list(_resealers)


def _sealed_columns():
    """(model, [encrypted fields]) for every model with encrypted fields."""
    from django.apps import apps

    from .fields import EncryptedMixin

    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if fields:
            yield model, fields


def _change_column_values(model, fields, change: Callable[[str], str]) -> int:
    """Pass each stored, non-empty value of `fields` through `change` (the tokens as they are
    stored, never opened) and write back those that came out different. Returns how many
    values went through."""
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(f.column) for f in fields]
    n_values, updates = 0, []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table} ORDER BY {pk}")
        for row_id, *values in cursor.fetchall():
            new = [change(value) if value else value for value in values]
            n_values += sum(1 for value in values if value)
            if new != values:
                updates.append([*new, row_id])
        if updates:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", updates)
    return n_values


def reseal_all() -> dict[str, int]:
    """Reseal every encrypted value with the current (first) data key, in one transaction:
    the encrypted model fields, then the values the registered resealers keep. Returns
    {what: values resealed}. Raises SealedValueError, changing nothing, when a value opens with
    none of the configured keys."""
    from django.db import transaction

    counts: dict[str, int] = {}
    with transaction.atomic():
        for model, fields in _sealed_columns():
            counts[model._meta.label_lower] = _change_column_values(model, fields, reseal)
        for name, resealer in resealers():
            counts[name] = resealer(reseal)
    return counts


def key_usage() -> dict[str, list[int]]:
    """{what: [values that each configured key opens, in key order]}: once only the first key
    opens values, the others can be dropped (unless a backup made with them is still kept).
    Reads only. Raises SealedValueError when a value opens with none of the keys."""
    single = [Fernet(key) for key in settings.EOM_DATA_KEYS]
    usage: dict[str, list[int]] = {}

    def counter(label: str) -> Callable[[str], str]:
        counts = usage[label] = [0] * len(single)

        def count(token: str) -> str:
            for index, key in enumerate(single):
                try:
                    key.decrypt(token.encode("ascii"))
                except InvalidToken:
                    continue
                counts[index] += 1
                return token
            raise SealedValueError(
                f"A value of {label} opens with none of the configured data keys (EOM_DATA_KEY)."
            )

        return count

    for model, fields in _sealed_columns():
        label = model._meta.label_lower
        _change_column_values(model, fields, counter(label))
    for name, resealer in resealers():
        resealer(counter(name))
    return usage


@checks.register(checks.Tags.security, deploy=True)
def check_data_key_is_kept_apart(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A deployment keeps the data key out of the data folder: a copy of the folder (or of a
    disk holding it) would otherwise hold both the sealed text and the key that opens it."""
    if settings.EOM_DATA_KEY_DEFAULT_FILE is None:
        return []
    return [
        checks.Warning(
            f"The data key that seals confidential meetings is the generated file "
            f"{settings.EOM_DATA_KEY_DEFAULT_FILE}, beside the database.",
            hint="Generate one with `eom keys generate`, keep it outside the data folder and "
            "the backups, give it as EOM_DATA_KEY_FILE (the same on every app server); "
            "see docs/deployment.md.",
            id="eom.keys.W001",
        )
    ]
