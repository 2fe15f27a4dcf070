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

# Functions that reseal values kept outside the encrypted model fields (e.g. the changes of
# confidential audit entries): each takes `reseal(token) -> token` and returns how many values
# it resealed. `eom keys rotate` calls them after the fields.
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
