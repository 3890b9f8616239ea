"""Back up a data directory with everything a restore needs, and restore one.

A backup is itself a data directory: the database (SQLite's online backup, consistent while
the server runs), the photos, ``secret_key`` (without it every session and signed link of the
restored server would be dead) and ``cardscan.toml`` when there is one (preferences live in
the database). The
database is written last, so a backup that has one is complete.

A restore checks the backup first (the database opens and passes SQLite's integrity check,
every card's photo is there), never overwrites a data directory that holds a database (with
``replace`` it is moved aside, kept whole), and copies the backup in with private modes.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from cardscan.errors import ConflictError, NotFoundError, StorageError
from cardscan.store import DB_NAME, PHOTOS_DIR, Store, private_dir

#: What a data directory holds beside the database and photos, copied as it is.
EXTRAS = ("secret_key", "cardscan.toml")


def backup_data_dir(store: Store, data_dir: Path, dest: Path) -> Path:
    """Copy the database (preferences included), photos, secret key and settings file into ``dest``.

    Returns:
        The backup's database file.

    Raises:
        ConflictError: ``dest`` already holds a database.
    """
    dest = Path(dest).expanduser()
    if (dest / DB_NAME).exists():
        raise ConflictError(
            f"{str(dest / DB_NAME)!r} already exists: back up into a new or empty directory."
        )
    private_dir(dest)
    _copy_extras(Path(data_dir), dest)
    return store.backup(dest)  # the database last: its presence says the backup is whole


def restore_data_dir(backup: Path, data_dir: Path, *, replace: bool = False) -> Path | None:
    """Put a backup in place as the data directory.

    Args:
        backup: a directory made by :func:`backup_data_dir` (or ``cardscan backup``).
        data_dir: where cardscan keeps its data; stop the server first.
        replace: when ``data_dir`` already holds a database, move it aside (to
            ``<data_dir>.before-restore-<time>``) instead of refusing.

    Returns:
        Where the previous data directory was moved, or None.

    Raises:
        NotFoundError: the backup has no database.
        StorageError: the backup's database is damaged, or photos are missing.
        ConflictError: ``data_dir`` holds a database and ``replace`` is false.
    """
    backup, data_dir = Path(backup).expanduser(), Path(data_dir).expanduser()
    _check_backup(backup)
    moved = None
    if (data_dir / DB_NAME).exists():
        if not replace:
            raise ConflictError(
                f"{str(data_dir)!r} already holds a database: stop cardscan, then restore with"
                " --replace (the current data is moved aside, not deleted), or restore into a"
                " new directory."
            )
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        moved = data_dir.with_name(f"{data_dir.name}.before-restore-{stamp}")
        data_dir.rename(moved)
    private_dir(data_dir)
    _copy_extras(backup, data_dir)
    # The database (a consistent copy, written last) and the photos, as a backup is made;
    # the backup itself is left as it was (not migrated), the restored copy is.
    with Store.open(backup, migrate=False) as source:
        source.backup(data_dir)
    Store.open(data_dir).close()
    return moved


def _copy_extras(source: Path, dest: Path) -> None:
    for name in EXTRAS:
        path = source / name
        if path.is_dir():
            for item in path.rglob("*"):
                if item.is_file():
                    out = dest / name / item.relative_to(path)
                    private_dir(out.parent)
                    shutil.copyfile(item, out)
                    out.chmod(0o600)
        elif path.is_file():
            shutil.copyfile(path, dest / name)
            (dest / name).chmod(0o600)


def _check_backup(backup: Path) -> None:
    """The backup's database opens read-only, passes integrity_check, and has its photos."""
    db = backup / DB_NAME
    if not db.is_file():
        raise NotFoundError(f"{str(backup)!r} is not a cardscan backup: it has no {DB_NAME}.")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            rows = conn.execute("select front_photo, back_photo from cards").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StorageError(f"the backup's database {str(db)!r} cannot be read ({e}).") from e
    if check != "ok":
        raise StorageError(f"the backup's database {str(db)!r} is damaged: {check}.")
    missing = [
        digest
        for row in rows
        for digest in row
        if digest and not (backup / PHOTOS_DIR / digest[:2] / f"{digest}.jpg").is_file()
    ]
    if missing:
        raise StorageError(
            f"the backup {str(backup)!r} lacks {len(missing)} card photo(s) (e.g."
            f" {missing[0][:12]}...): restore from another backup."
        )
