"""Tables of test cases kept as data: the TOML files under ``tests/data/`` (stdlib tomllib).

A table is data when it is cases in and answers out (card lines and the fields read, a phrase
and its day): adding a case is adding a row there, and a parametrized test reads it with
:func:`cases` (rows of arguments) or a loader of its own built on :func:`table`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def table(name: str) -> dict:
    """The file ``tests/data/<name>.toml``, read."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def cases(name: str, key: str, *, size: int | None = None) -> list[tuple]:
    """The rows of the array ``key`` in ``tests/data/<name>.toml``, one tuple of test arguments
    each; with ``size``, a shorter row ends in ``None``s (TOML has no null)."""
    rows = [tuple(row) for row in table(name)[key]]
    if size is not None:
        rows = [row + (None,) * (size - len(row)) for row in rows]
    return rows
