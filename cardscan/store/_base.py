"""What every part of the store shares: the connection, transactions, stored-value helpers.

Every thread (web request, OCR worker) opens its own ``Store``: a ``sqlite3`` connection is
not shared between threads. WAL lets readers run while one writer commits; ``busy_timeout``
makes a second writer wait instead of failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlite_utils

from cardscan.errors import AuthError, DiskFullError, NotFoundError, StorageError, ValidationError

#: Milliseconds a writer waits for another writer before giving up.
BUSY_TIMEOUT_MS = 30_000

#: A token's ``last_used`` is written again only when it is older than this.
USE_STAMP_EVERY = timedelta(minutes=5)


def token_sha256(token: str) -> str:
    """What is kept of a secret token: its sha256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


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


def one_line(text: str | None, limit: int, *, what: str, example: str) -> str:
    """``text`` on one line (runs of spaces and line breaks made one space), checked.

    Raises:
        ValidationError: nothing left, or more than ``limit`` characters.
    """
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(f"{what} needs some text, e.g. {example!r}.")
    if len(text) > limit:
        raise ValidationError(f"{what} is {len(text)} characters long; keep it under {limit}.")
    return text


def dumps(value: Any) -> str:
    """Compact, stable JSON for a JSON column."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    """Read a JSON column (None or empty gives ``default``)."""
    return json.loads(text) if text else default


def photo_hash(data: bytes) -> str:
    """The content hash photos are stored under (sha256, hex)."""
    return hashlib.sha256(data).hexdigest()


_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_error(error: BaseException, where: Path | str) -> StorageError | None:
    """The clear error for a failed read or write of the data directory, or None.

    A full disk, a read-only or unwritable file, and a damaged database each say what is
    wrong and what to do; anything else is left to surface as it is.
    """
    code = getattr(error, "sqlite_errorname", "")
    if code == "SQLITE_FULL" or (isinstance(error, OSError) and error.errno == errno.ENOSPC):
        return DiskFullError(
            f"the disk is full: {str(where)!r} has no room left, so this was not stored"
            " (everything stored before is kept). Free some space, then try again."
        )
    if (
        code.startswith("SQLITE_READONLY")
        or code == "SQLITE_CANTOPEN"
        or (isinstance(error, OSError) and error.errno in _READ_ONLY)
    ):
        return StorageError(
            f"cannot write {str(where)!r}: it is read-only or not cardscan's ({error}). Make"
            " the data directory and cardscan.db writable by the user running cardscan"
            " (chown/chmod), or mount the disk read-write."
        )
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "malformed" in str(error):
        return StorageError(
            f"the database {str(where)!r} is damaged ({error}). Stop cardscan, move the file"
            " aside, and put your last backup in its place (`cardscan --data DIR restore"
            " BACKUP`); `sqlite3 cardscan.db .recover` may save what the backup lacks."
        )
    return None


@contextlib.contextmanager
def storage_errors(where: Path | str) -> Iterator[None]:
    """Turn a full disk, a read-only file or a damaged database into a ``StorageError``."""
    try:
        yield
    except (OSError, sqlite3.Error) as e:
        if (clear := storage_error(e, where)) is not None:
            raise clear from e
        raise


def private_dir(path: Path) -> Path:
    """Create a directory and its missing parents readable by this user only (0700).

    The data directory holds contacts, card photos and secrets: other accounts on the
    machine must not list or read it, whatever the process's umask.
    """
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another thread
            folder.mkdir(mode=0o700)
    return missing[0] if missing else path


def private_file(path: Path) -> None:
    """Make ``path`` exist with mode 0600 (an empty file when missing), before SQLite opens
    it: SQLite gives its -wal and -shm files the database file's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        with contextlib.suppress(OSError):  # a read-only copy can still be read
            os.chmod(path, 0o600)


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that it is either absent or complete, even across a crash.

    Temp file (mode 0600) in the same directory, fsync, rename over the target, fsync the
    directory.
    """
    with storage_errors(path.parent):
        private_dir(path.parent)
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
S = TypeVar("S", bound="Part")


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
    """A connection set up for cardscan: WAL, busy timeout, foreign keys, durable commits."""
    if path is not None:
        private_file(path)
    conn = sqlite3.connect(
        ":memory:" if path is None else str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    if path is not None:
        for extra in ("-wal", "-shm"):  # left by an older version with the umask's mode
            with contextlib.suppress(OSError):
                os.chmod(f"{path}{extra}", 0o600)
        journal = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        # A committed capture survives a power cut too, not only a process crash: SQLite
        # syncs itself (FULL), or, in WAL mode, Tables.atomic syncs the log after each
        # commit once the write lock is free (NORMAL: never corrupt, and the sync is ours).
        conn.execute(f"PRAGMA synchronous={'NORMAL' if journal == 'wal' else 'FULL'}")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class WriterTurns:
    """The turns at writing one database file, on this machine.

    SQLite's own busy wait polls with growing sleeps (1, 2, 5 ... 100 ms) and no order, so
    under a burst of uploads a writer that waited longest sleeps longest while newcomers
    take the lock: a long tail of waits. Instead, a process's writers queue on a lock and
    start the moment the one before them commits, and the process whose turn it is holds
    an exclusive ``flock`` on ``<file>-writers``, which other processes (the other web
    processes, the OCR workers) wait for, at most a few milliseconds late. The kernel
    releases the flock of a process that dies, even by ``kill -9``.
    """

    def __init__(self, path: str) -> None:
        self._threads = threading.RLock()
        self._depth = 0  # turns held by the thread holding _threads (nested stores)
        self._path = f"{path}-writers"
        self._fd: int | None = None

    @contextlib.contextmanager
    def turn(self, timeout: float = BUSY_TIMEOUT_MS / 1000) -> Iterator[None]:
        """Hold a turn; after ``timeout`` seconds go on without one, leaving the wait to
        SQLite's busy timeout."""
        got = self.acquire(timeout)
        try:
            yield
        finally:
            if got:
                self.release()

    def acquire(self, timeout: float) -> bool:
        """Wait for this process's turn, then the machine's; False after ``timeout`` seconds
        (the caller goes on and leaves the wait to SQLite's busy timeout)."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        if self._depth == 0 and not self._lock_file(deadline):
            self._threads.release()
            return False
        self._depth += 1
        return True

    def release(self) -> None:
        """End the turn (the flock goes with the outermost one)."""
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _lock_file(self, deadline: float) -> bool:
        if self._fd is None:
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:  # a read-only data directory: only SQLite's own locking
                return True
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)


_WRITERS: dict[str, WriterTurns] = {}
_WRITERS_GUARD = threading.Lock()


def writer_turns(path: Path | str) -> WriterTurns | None:
    """The writers' turns at the database file ``path`` (see :class:`WriterTurns`); None for
    an in-memory database, which no other connection sees."""
    if str(path) == ":memory:":
        return None
    key = os.path.realpath(path)
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, WriterTurns(key))


class Tables:
    """The open database as every part of the store uses it: rows by id, inserts, transactions."""

    def __init__(self, db: sqlite_utils.Database, path: Path | str = ":memory:") -> None:
        self.db = db
        self.path = path  # named in storage errors
        self._writers = writer_turns(path)
        #: The write-ahead log, synced by ``atomic`` after each commit (see ``connect``).
        self._log: str | None = None
        if db.execute("PRAGMA synchronous").fetchone()[0] == 1 and str(path) != ":memory:":
            self._log = f"{path}-wal"
        #: Seconds this connection waited for the write lock (another writer held it), and
        #: spent committing (the fsync): what ``Store.timings`` reports.
        self.lock_wait = 0.0
        self.commit_time = 0.0

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
        asked = time.perf_counter()
        with storage_errors(self.path):
            with self._turn():
                conn.execute("BEGIN IMMEDIATE")
                self.lock_wait += time.perf_counter() - asked
                try:
                    yield self.db
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                started = time.perf_counter()
                conn.execute("COMMIT")
            self._sync_log()
            self.commit_time += time.perf_counter() - started

    def _sync_log(self) -> None:
        """Make the commits so far durable: fsync the write-ahead log, after the write lock
        is released, so the next writer commits while the disk works (and syncs that
        overlap cost the disk one flush) instead of queueing behind each one."""
        if self._log is None:
            return
        try:
            fd = os.open(self._log, os.O_RDONLY)
        except FileNotFoundError:  # checkpointed and removed: the database file was synced
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _turn(self) -> contextlib.AbstractContextManager[None]:
        """Wait for the other writers (see :class:`WriterTurns`)."""
        return self._writers.turn() if self._writers else contextlib.nullcontext()

    def row(self, table: str, row_id: int, user_id: int | None, what: str) -> dict[str, Any]:
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

    def insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row and return its id."""
        return int(self.db.table(table).insert(row).last_pk)  # type: ignore[arg-type]


class Part:
    """One area of the store (users, cards, contacts...): its SQL, over the shared tables.

    A part that needs another is handed it when the store is put together, never reaches
    for it through the store.
    """

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.db = tables.db

    def atomic(self) -> contextlib.AbstractContextManager[sqlite_utils.Database]:
        """One transaction (see ``Tables.atomic``)."""
        return self.tables.atomic()

    def add_token(self, table: str, row: dict[str, Any]) -> str:
        """A new secret token in ``table`` (API or worker tokens), with ``row`` (its label,
        its owner); returned once, only its sha256 is kept."""
        token = new_token()
        self._insert(
            table, {**row, "token_sha256": token_sha256(token), "created": now().isoformat()}
        )
        return token

    def used_token(self, table: str, token: str, unknown: str) -> dict[str, Any]:
        """The live (not revoked) row of ``table`` whose ``token_sha256`` is the token's, its
        use noted.

        The use is written only when the last was noted ``USE_STAMP_EVERY`` ago or more:
        checking a token is then a read, and a script's upload does not queue behind other
        writers for a stamp nobody reads to the second.

        Raises:
            AuthError: an unknown or revoked token (``unknown`` says so and what to do).
        """
        digest = token_sha256(token or "")
        row = next(
            self.db.query(
                f"select * from {table} where token_sha256 = ? and revoked is null", [digest]
            ),
            None,
        )
        if row is None or not hmac.compare_digest(row["token_sha256"], digest):
            raise AuthError(unknown)
        stamp = now()
        last = row["last_used"]
        if not last or stamp - datetime.fromisoformat(last) >= USE_STAMP_EVERY:
            with self.atomic():
                self.db.table(table).update(row["id"], {"last_used": stamp.isoformat()})
        return row

    def tokens(self, table: str, user_id: int | None) -> list[dict[str, Any]]:
        """The tokens in ``table`` (id, label, created, last_used, revoked), only
        ``user_id``'s unless it is None; never the secrets."""
        sql = f"select id, label, created, last_used, revoked from {table}"
        if user_id is None:
            return list(self.db.query(sql + " order by id"))
        return list(self.db.query(sql + " where user_id = ? order by id", [user_id]))

    def revoke_token(self, table: str, token_id: int, user_id: int | None, what: str) -> None:
        """Revoke a token of ``table``, ``user_id``'s unless it is None.

        Raises:
            NotFoundError: no such token (of this user).
        """
        self._row(table, token_id, user_id, what)
        self.db.table(table).update(token_id, {"revoked": now().isoformat()})

    def _check_user(self, user_id: int) -> None:
        """NotFoundError unless there is a user with this id."""
        self._row("users", user_id, None, "user")

    def _row(self, table: str, row_id: int, user_id: int | None, what: str) -> dict[str, Any]:
        return self.tables.row(table, row_id, user_id, what)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        return self.tables.insert(table, row)

    def _check_name_free(
        self, table: str, what: str, user_id: int, name: str, row_id: int | None
    ) -> None:
        """Refuse a name that another of the user's rows of ``table`` (events, plans) has."""
        taken = self.db.execute(
            f"select 1 from [{table}] where user_id = ? and name = ? and id is not ?",
            [user_id, name, row_id],
        ).fetchone()
        if taken:
            raise ValidationError(f"you already have {what} named {name!r}: pick another.")
