"""A look at a data directory's database without changing it, for ``cardscan doctor``.

It opens the file read-only: no migration runs, no row is written and a missing database is
not created. (SQLite may still create the ``-wal``/``-shm`` files of a database in WAL mode;
run as root, it gives them the database file's owner.)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cardscan.errors import NotFoundError
from cardscan.store.database import DB_NAME, PHOTOS_DIR
from cardscan.store.photos import Photos
from cardscan.store.upgrade import BACKUPS_DIR, known_migrations

#: Most integrity messages reported; a badly damaged file can produce thousands.
MAX_MESSAGES = 10


@dataclass(frozen=True)
class DatabaseHealth:
    """What :func:`inspect_database` found."""

    path: Path
    exists: bool
    #: The file could not be read at all ("file is not a database", a permission error).
    error: str = ""
    #: ``integrity_check`` (or ``quick_check``) messages; empty when the check said "ok".
    damage: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()
    #: Migrations this version has that the database has not seen (they run at the next start).
    pending: tuple[str, ...] = ()
    #: Migrations the database has seen that this version does not know (a newer cardscan).
    unknown: tuple[str, ...] = ()
    cards: int = 0
    #: Photos named by cards that are not on disk (checked only by a full inspection).
    missing_photos: tuple[str, ...] = ()
    #: Copies kept in ``backups/`` from earlier upgrades, oldest first.
    backups: tuple[Path, ...] = ()
    #: Cards queued or being read, when the oldest of them was stored, and when a card was
    #: last read (or failed): ISO times in UTC, "" when there is none.
    waiting: int = 0
    oldest_waiting: str = ""
    last_read: str = ""

    @property
    def ok(self) -> bool:
        """Nothing wrong: readable, undamaged, not from a newer version, no photo missing."""
        return not (self.error or self.damage or self.unknown or self.missing_photos)


def inspect_database(data_dir: Path, *, full: bool = True) -> DatabaseHealth:
    """Check the database in ``data_dir`` read-only.

    Args:
        data_dir: the data directory (``cardscan.db`` and ``photos/``).
        full: ``integrity_check`` and every card's photo looked for on disk; otherwise
            ``quick_check`` only (fast enough for every server start).

    Returns:
        What was found; ``exists`` is False when there is no database yet.
    """
    path = data_dir / DB_NAME
    backups = tuple(sorted((data_dir / BACKUPS_DIR).glob(f"{path.stem}-*{path.suffix}")))
    if not path.exists():
        return DatabaseHealth(path, exists=False, backups=backups)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        return DatabaseHealth(path, exists=True, error=str(e), backups=backups)
    try:
        check = "integrity_check" if full else "quick_check"
        rows = conn.execute(f"pragma {check}({MAX_MESSAGES})").fetchall()
        messages = [line for (text,) in rows for line in str(text).splitlines()]
        damage = tuple(m for m in messages if m != "ok" and not m.startswith("***"))
        applied = _applied(conn)
        known = known_migrations()
        tables = {row[0] for row in conn.execute("select name from sqlite_master")}
        cards = conn.execute("select count(*) from cards").fetchone()[0] if "cards" in tables else 0
        missing: tuple[str, ...] = ()
        if full and "cards" in tables and not damage:
            missing = _missing_photos(conn, data_dir / PHOTOS_DIR)
        queue = _queue(conn) if "cards" in tables else (0, "", "")
    except sqlite3.Error as e:
        return DatabaseHealth(path, exists=True, error=str(e), backups=backups)
    finally:
        conn.close()
    return DatabaseHealth(
        path,
        exists=True,
        damage=damage,
        applied=tuple(applied),
        pending=tuple(name for name in known if name not in applied),
        unknown=tuple(name for name in applied if name not in known),
        cards=int(cards),
        missing_photos=missing,
        backups=backups,
        waiting=queue[0],
        oldest_waiting=queue[1],
        last_read=queue[2],
    )


def _queue(conn: sqlite3.Connection) -> tuple[int, str, str]:
    """(cards waiting to be read, the oldest one's ``created``, the last ``updated`` of a card
    read or failed)."""
    waiting, oldest = conn.execute(
        "select count(*), min(created) from cards where status in ('queued', 'reading')"
    ).fetchone()
    (last,) = conn.execute(
        "select max(updated) from cards where status in ('done', 'failed')"
    ).fetchone()
    return int(waiting), oldest or "", last or ""


def _applied(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "select 1 from sqlite_master where name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "select name from _sqlite_migrations where migration_set = 'cardscan' order by rowid"
    )
    return [row[0] for row in rows]


def _missing_photos(conn: sqlite3.Connection, photos_dir: Path) -> tuple[str, ...]:
    photos = Photos(photos_dir)
    rows = conn.execute(
        "select front_photo from cards union select back_photo from cards"
        " where back_photo is not null"
    )
    missing = []
    for (digest,) in rows:
        try:
            photos.path(digest)
        except NotFoundError:
            missing.append(digest)
    return tuple(sorted(missing))
