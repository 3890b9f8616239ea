"""The connection: open the data directory, set SQLite up for durability, one-transaction blocks.

Every thread (web request, OCR worker) opens its own ``Store``: a ``sqlite3`` connection is
not shared between threads. WAL lets readers run while one writer commits; ``busy_timeout``
makes a second writer wait instead of failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Self, TypeVar

import sqlite_utils

from cardscan.errors import ConflictError, NotFoundError, ValidationError

DB_NAME = "cardscan.db"
PHOTOS_DIR = "photos"
#: Beside ``photos/``: images made from the photos (thumbnails, flattened cards). Safe to delete.
CACHE_DIR = "cache"
#: Milliseconds a writer waits for another writer before giving up.
BUSY_TIMEOUT_MS = 30_000


def now() -> datetime:
    """The current time, aware UTC, to the microsecond."""
    return datetime.now(UTC)


def to_text(value: datetime | date | None) -> str | None:
    """A date or timestamp as ISO 8601 text (how they are stored), or None."""
    return value.isoformat() if value is not None else None


def to_datetime(text: str | None) -> datetime | None:
    """Parse a stored timestamp."""
    return datetime.fromisoformat(text) if text else None


def to_date(value: str | date | None, name: str = "date") -> date | None:
    """Parse a stored or user-given date (``YYYY-MM-DD``).

    Raises:
        ValidationError: the text is not an ISO date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise ValidationError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD.") from e


def dumps(value: Any) -> str:
    """Compact, stable JSON for a JSON column."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    """Read a JSON column (None or empty gives ``default``)."""
    return json.loads(text) if text else default


def photo_hash(data: bytes) -> str:
    """The content hash photos are stored under (sha256, hex)."""
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that it is either absent or complete, even across a crash.

    Temp file in the same directory, fsync, rename over the target, fsync the directory.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")


def writes(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a store method in one ``BEGIN IMMEDIATE`` transaction.

    A deferred transaction that reads and then writes can fail at once with "database is
    locked" when another connection wrote in between (WAL cannot upgrade a stale
    snapshot); taking the write lock first makes it wait on ``busy_timeout`` instead.
    """

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.atomic():
            return method(self, *args, **kwargs)

    return wrapper


def connect(path: Path | None) -> sqlite3.Connection:
    """A connection set up for cardscan: WAL, busy timeout, foreign keys, full sync."""
    conn = sqlite3.connect(
        ":memory:" if path is None else str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    if path is not None:
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed capture survives a power cut too, not only a process crash.
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class StoreBase:
    """Holds the database and the photos directory; opening, closing and transactions."""

    db: sqlite_utils.Database
    photos_dir: Path
    cache_dir: Path  # derived images, made again when missing
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
        """
        from cardscan.migrations import migrate as run_migrations

        if memory == (path is not None):
            raise ValidationError("give either a database path or memory=True, not both")
        if memory and photos_dir is None:
            raise ValidationError("an in-memory store needs photos_dir= for the photos")
        db_path = Path(path) if path is not None else None
        self.data_dir = db_path.parent if db_path is not None else None
        if photos_dir is not None:
            self.photos_dir = Path(photos_dir)
        elif db_path is not None:
            self.photos_dir = db_path.parent / PHOTOS_DIR
        self.cache_dir = self.photos_dir.parent / CACHE_DIR
        self.db = sqlite_utils.Database(connect(db_path))
        if migrate:
            run_migrations(self.db)

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
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory / DB_NAME, migrate=migrate)

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One transaction: everything inside commits together or not at all.

        The outermost block takes the write lock at once (``BEGIN IMMEDIATE``), so two
        writers queue on ``busy_timeout`` instead of failing when a read turns into a write.
        Nested blocks become savepoints.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    # --- small shared helpers ---------------------------------------------------------------

    def _row(self, table: str, row_id: int, user_id: int | None, what: str) -> dict[str, Any]:
        """One row by id, owned by ``user_id`` (None: any owner); NotFoundError otherwise."""
        sql = f"select * from [{table}] where id = ?"
        params: list[Any] = [row_id]
        if user_id is not None:
            sql += " and user_id = ?"
            params.append(user_id)
        rows = list(self.db.query(sql, params))
        if not rows:
            raise NotFoundError(f"no {what} with id {row_id!r}: list them to see the ids you have.")
        return rows[0]

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
        dest.mkdir(parents=True, exist_ok=True)
        partial = dest / f".{DB_NAME}.partial"
        copy = sqlite3.connect(str(partial))
        try:
            self.db.conn.backup(copy, pages=1024)
            copy.execute("PRAGMA journal_mode=WAL")
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if check != "ok":  # pragma: no cover - would mean a broken source database
            raise ConflictError(f"the backup copy failed its integrity check: {check}")
        if self.photos_dir.is_dir():
            for photo in self.photos_dir.rglob("*.jpg"):
                if photo.name.startswith("."):
                    continue  # a photo still being written: its row is not in the snapshot
                out = dest / PHOTOS_DIR / photo.relative_to(self.photos_dir)
                if not out.exists():
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(photo, out)
        os.replace(partial, target)
        return target

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row and return its id."""
        return int(self.db.table(table).insert(row).last_pk)  # type: ignore[arg-type]

    def photo_path(self, photo_hash: str) -> Path:
        """Where a stored photo lives on disk.

        Raises:
            NotFoundError: no photo with that hash is stored.
        """
        if not photo_hash or not all(c in "0123456789abcdef" for c in photo_hash):
            raise NotFoundError(f"no photo {photo_hash!r}: photo names are sha256 hex digests.")
        path = self._photo_file(photo_hash)
        if not path.is_file():
            raise NotFoundError(f"no photo {photo_hash!r} in {str(self.photos_dir)!r}.")
        return path

    def _photo_file(self, digest: str) -> Path:
        return self.photos_dir / digest[:2] / f"{digest}.jpg"

    def _save_photo(self, data: bytes) -> str:
        """Store photo bytes by content hash (atomically, once) and return the hash."""
        digest = photo_hash(data)
        path = self._photo_file(digest)
        if not path.is_file():
            write_atomically(path, data)
        return digest
