"""Upgrading a database: a copy into ``backups/`` first, then the pending migrations under a
lock, and a database a newer cardscan made is refused (the steps themselves are in
``migrations``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from cardscan.errors import ConflictError, StorageError
from cardscan.store.migrations import database_file, migrations

#: Beside the database: the copies taken before each upgrade (``backup_before_upgrade``).
BACKUPS_DIR = "backups"


def known_migrations() -> list[str]:
    """The names of every migration this version of cardscan has, in order."""
    return [m.name for m in migrations._migrations]


def schema_version(db: sqlite_utils.Database) -> str:
    """The last migration applied to ``db`` ("" for a new, empty database)."""
    applied = migrations.applied(db)
    return applied[-1].name if applied else ""


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Back up the database, then apply the pending migrations; return their names.

    The check runs first without a lock (cheap: most opens have nothing to do). An existing
    database is copied into ``backups/`` beside it before anything changes (see
    :func:`backup_before_upgrade`); a new one has nothing to keep. Between processes, a lock
    file makes one of them back up and migrate while the others wait and then find nothing
    left to do; the apply itself runs inside ``BEGIN IMMEDIATE``.

    Raises:
        ConflictError: the database was made by a newer cardscan (it has migrations this
            version does not know).
        StorageError: the backup could not be written (full disk, permissions); nothing was
            changed.
    """
    if not _pending(db):
        return []
    path = database_file(db)
    with _migration_lock(path if migrations.applied(db) else None):
        pending = _pending(db)
        if not pending:
            return []  # another process upgraded it while this one waited
        if path is not None and migrations.applied(db):
            backup_before_upgrade(db, path)
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            names = [m.name for m in migrations.pending(db)]
            migrations.apply(db)
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
        return names


def _pending(db: sqlite_utils.Database) -> list[str]:
    """Pending migrations' names; refuse a database a newer cardscan has upgraded."""
    known = known_migrations()
    applied = [m.name for m in migrations.applied(db)]
    newer = [name for name in applied if name not in known]
    if newer:
        raise ConflictError(
            f"the database was upgraded by a newer cardscan (it has migration {newer[-1]!r}; this"
            f" version knows up to {known[-1]!r}): install that newer cardscan again, or restore"
            f" the copy kept in {BACKUPS_DIR}/ before that upgrade (see docs/upgrading.md)."
        )
    return [name for name in known if name not in applied]


@contextlib.contextmanager
def _migration_lock(path: Path | None) -> Iterator[None]:
    """Hold ``backups/.lock`` beside the database (nothing to hold for a new or in-memory one).

    A file lock, not SQLite's: the backup must be taken before the write transaction starts
    (SQLite's online backup cannot read through a connection holding the write lock).
    """
    if path is None:
        yield
        return
    folder = _backups_dir(path)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _backups_dir(path: Path) -> Path:
    folder = path.parent / BACKUPS_DIR
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as e:
        raise StorageError(
            f"cannot create {str(folder)!r} for the backup taken before upgrading the database:"
            f" {e.strerror or e}. Make the data directory writable by the user running cardscan."
        ) from e
    return folder


def backup_before_upgrade(db: sqlite_utils.Database, path: Path) -> Path:
    """Copy the database into ``backups/`` beside it, named by its schema version and the time.

    For example ``backups/cardscan-0004_contacts_triaged-20261207T101500Z.db``: the database
    as the release that knew migrations up to 0004 left it. Copies are kept (delete old ones
    when you no longer need to go back); the copy is made with SQLite's online backup API,
    so it is consistent even while another process writes.

    Raises:
        StorageError: the copy could not be written; the database is unchanged.
    """
    folder = _backups_dir(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-{schema_version(db)}-{stamp}{path.suffix}"
    partial = folder / f".{target.name}.partial"
    try:
        copy = sqlite3.connect(str(partial))
        try:
            db.conn.backup(copy)
        finally:
            copy.close()
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as e:
        partial.unlink(missing_ok=True)
        raise StorageError(
            f"cannot back up the database to {str(target)!r} before upgrading it: {e}. Nothing"
            " was changed: free some disk space (cardscan doctor shows how much is left) or fix"
            " the data directory's permissions, then start cardscan again."
        ) from e
    return target
