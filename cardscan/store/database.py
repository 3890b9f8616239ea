"""The store put together: one SQLite database, the photos beside it, and a part per area.

Like ``sqlite_utils.Database`` hands out tables, ``Store`` hands out its parts:
``store.users``, ``store.events``, ``store.cards``, ``store.contacts``, ``store.reasons``,
``store.dates``, ``store.duplicates``, ``store.plans``, ``store.touches``,
``store.preferences``, ``store.photos``, and what reaches the user: ``store.outreach``,
``store.digests``, ``store.links``, ``store.acts``.
Each part is given the others it needs when the store is built, so what calls what is
written down here, once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import sqlite_utils

from cardscan.errors import ConflictError, ValidationError
from cardscan.store._base import Tables, connect, private_dir, private_file, storage_errors
from cardscan.store.cards import Cards
from cardscan.store.contacts import Contacts
from cardscan.store.duplicates import Duplicates
from cardscan.store.events import Events
from cardscan.store.forget import Deletions
from cardscan.store.outreach import Acts, Digests, Outreach, UsedLinks
from cardscan.store.photos import Photos
from cardscan.store.preferences import Preferences
from cardscan.store.reasons import ImportantDates, Reasons
from cardscan.store.touches import Plans, Touches
from cardscan.store.users import Users
from cardscan.store.worker_tokens import WorkerTokens

DB_NAME = "cardscan.db"
PHOTOS_DIR = "photos"


class Store:
    """Everything cardscan keeps: users, events, cards, contacts and follow-ups.

    Every method of a part that reads or writes user data takes ``user_id`` first and only
    sees that user's rows: another user's id raises ``NotFoundError``, the same as a missing
    one.

    Example::

        with Store.open(data_dir) as store:
            user = store.users.add("ana", "a long password")
            card, created = store.cards.add(user.id, photo_bytes)
    """

    db: sqlite_utils.Database
    data_dir: Path | None

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        memory: bool = False,
        photos_dir: str | os.PathLike[str] | None = None,
        migrate: bool = True,
    ) -> None:
        """Open a database file (or an in-memory one) and bring its schema up to date.

        Args:
            path: the SQLite file; its directory also holds ``photos/`` unless ``photos_dir``.
            memory: use an in-memory database (tests); needs ``photos_dir``.
            photos_dir: where photos are stored.
            migrate: apply pending migrations (default).

        Raises:
            ValidationError: neither a path nor ``memory=True`` with a ``photos_dir``.
            StorageError: the file is damaged, read-only or not cardscan's; the disk is full.
        """
        from cardscan.store.upgrade import migrate as run_migrations

        if memory == (path is not None):
            raise ValidationError("give either a database path or memory=True, not both")
        if memory and photos_dir is None:
            raise ValidationError("an in-memory store needs photos_dir= for the photos")
        db_path = Path(path) if path is not None else None
        self.data_dir = db_path.parent if db_path is not None else None
        if photos_dir is None:
            assert db_path is not None
            photos_dir = db_path.parent / PHOTOS_DIR
        where = db_path if db_path is not None else ":memory:"
        with storage_errors(where):
            self.db = sqlite_utils.Database(connect(db_path))
            if migrate:
                run_migrations(self.db)
        tables = Tables(self.db, where)
        self.photos = Photos(Path(photos_dir))
        self.users = Users(tables)
        self.events = Events(tables)
        self.contacts = Contacts(tables)
        self.reasons = Reasons(tables)
        self.dates = ImportantDates(tables)
        self.duplicates = Duplicates(tables, contacts=self.contacts)
        self.cards = Cards(
            tables,
            photos=self.photos,
            contacts=self.contacts,
            duplicates=self.duplicates,
        )
        self.plans = Plans(tables)
        self.touches = Touches(tables)
        self.deletions = Deletions(tables, photos=self.photos, on_disk=db_path is not None)
        self.preferences = Preferences(tables)
        self.outreach = Outreach(tables)
        self.digests = Digests(tables)
        self.links = UsedLinks(tables)
        self.acts = Acts(tables)
        self.worker_tokens = WorkerTokens(tables)
        self._tables = tables

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str], *, migrate: bool = True) -> Self:
        """Open (creating if needed) the store in a data directory.

        Args:
            data_dir: holds ``cardscan.db`` and ``photos/``; created when missing.
            migrate: apply pending migrations (default).

        Returns:
            The open store; close it, or use it as a context manager.
        """
        directory = Path(data_dir).expanduser()
        with storage_errors(directory):
            private_dir(directory)
        with contextlib.suppress(OSError):  # a read-only copy can still be read
            directory.chmod(0o700)  # one made by an older version, or by hand
        return cls(directory / DB_NAME, migrate=migrate)

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def atomic(self) -> contextlib.AbstractContextManager[sqlite_utils.Database]:
        """One transaction over every part: all inside commits together or not at all.

        The outermost block takes the write lock at once (``BEGIN IMMEDIATE``), so two
        writers queue on ``busy_timeout`` instead of failing when a read turns into a write.
        Nested blocks become savepoints.
        """
        return self._tables.atomic()

    def timings(self) -> dict[str, float]:
        """Seconds this store's connection waited for the write lock (``lock``) and spent
        committing (``commit``, the fsync) since it was opened."""
        return {"lock": self._tables.lock_wait, "commit": self._tables.commit_time}

    def backup(self, dest_dir: str | os.PathLike[str]) -> Path:
        """A consistent copy of the data directory, safe while the server runs.

        The database is copied with SQLite's online backup API (a snapshot, even with
        writers active), then the photos. Photos are written before their rows commit and
        never change, so every photo the snapshot refers to is already on disk. The copy is
        itself a data directory: ``cardscan --data DEST ...`` works on it.

        Args:
            dest_dir: a new or empty directory.

        Returns:
            The path of the copied database.

        Raises:
            ConflictError: ``dest_dir`` already holds a database.
        """
        dest = Path(dest_dir).expanduser()
        target = dest / DB_NAME
        if target.exists():
            raise ConflictError(
                f"{str(target)!r} already exists: back up into a new or empty directory."
            )
        private_dir(dest)
        partial = dest / f".{DB_NAME}.partial"
        private_file(partial)
        copy = sqlite3.connect(str(partial))
        try:
            self.db.conn.backup(copy, pages=1024)
            copy.execute("PRAGMA journal_mode=WAL")
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if check != "ok":  # pragma: no cover - would mean a broken source database
            raise ConflictError(f"the backup copy failed its integrity check: {check}")
        for photo in _photo_files(self.photos.dir):
            out = dest / PHOTOS_DIR / photo.relative_to(self.photos.dir)
            if not out.exists():
                private_dir(out.parent)
                shutil.copy2(photo, out)
                out.chmod(0o600)
        os.replace(partial, target)
        return target


def _photo_files(directory: Path) -> Iterator[Path]:
    """The stored photos under ``directory`` (none when it does not exist yet)."""
    if not directory.is_dir():
        return
    for photo in directory.rglob("*.jpg"):
        if not photo.name.startswith("."):  # one still being written: its row is not copied
            yield photo
