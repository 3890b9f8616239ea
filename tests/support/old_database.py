"""A database as an older cardscan left it, for the migration and upgrade tests."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from cardscan.store._base import connect
from cardscan.store.migrations import migrations


def old_database(path: Path, stop_before: str) -> sqlite_utils.Database:
    """The database at ``path`` migrated up to (not including) ``stop_before``, holding the
    user ana (id 1) as that version stored users; the caller adds rows and closes it."""
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before=stop_before)
    old["users"].insert(
        {
            "id": 1,
            "name": "ana",
            "password_hash": "x",
            "feed_token": "t",
            "feed_token_sha256": "h",
            "created": "2026-01-01T00:00:00+00:00",
        }
    )
    return old
