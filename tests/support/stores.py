"""A store for tests: a real SQLite file in a data directory, with cheap password hashing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cardscan.store import Store


@contextmanager
def open_store(data_dir: Path) -> Iterator[Store]:
    """The store in ``data_dir``, password hashing made cheap (scrypt at full cost is about
    0.1 s a user: too slow for tests)."""
    with Store.open(data_dir) as store:
        store.users.password_cost = 2**10
        yield store
