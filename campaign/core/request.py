"""The app's request class: query and form values without NUL characters.

No browser sends a NUL in a field on purpose, and PostgreSQL refuses it in any text value —
unremoved, a stray %00 in a search box or a form turns into a server error on PostgreSQL
while SQLite stores it silently. Removing it where parameters are parsed covers every view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _clean(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict[str, Any]):
    """An ImmutableMultiDict whose text keys and values lose their NUL characters."""

    def __init__(self, mapping: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None
                 ) -> None:
        if isinstance(mapping, MultiDict):
            items: Iterable[tuple[str, Any]] = mapping.items(multi=True)
        elif isinstance(mapping, Mapping):
            items = mapping.items()
        else:
            items = mapping or ()
        super().__init__([(_clean(key), _clean(value)) for key, value in items])


class NulFreeRequest(Request):
    """Flask's request with NUL-free `args` and `form` (see the module docstring)."""

    parameter_storage_class = NulFreeMultiDict
