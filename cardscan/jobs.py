"""Reading cards from the OCR queue, in worker threads (here) or processes (``ocrworkers``).

The cards table is the source of truth (``cardscan.store.cards``) and the queue
(``cardscan.ocrqueue``) tells workers which card to read next; nothing lives only in
memory, so a crash or a restart loses nothing. A card whose reading fails is retried (at
the end of its user's line) and ends 'failed' with its error after
``settings.ocr_max_tries`` tries; a file that is not a readable image fails at once. When
storing what was read fails (a full disk, a locked database), the card's claim is released
the same way, so it never stays 'reading'.

The reader is injectable: ``reader(front_bytes, back_bytes) -> list[CardReading]``. The
default loads the configured OCR engine once and runs ``cardscan.reading.pipeline.scan_image``.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from cardscan.errors import CardscanError, InputImageError, ValidationError
from cardscan.followups import FollowUps
from cardscan.followups.clock import local_today
from cardscan.models import Card, CardReading
from cardscan.ocrqueue import CardQueue, sweep
from cardscan.settings import Settings
from cardscan.store import Store
from cardscan.store._base import photo_hash
from cardscan.store.cards import CLAIM_RENEW
from cardscan.workers import lower_thread_priority, worker_id

log = logging.getLogger(__name__)

#: What reads a card: front photo bytes, back photo bytes (or None) -> one reading per card.
Reader = Callable[[bytes, bytes | None], Sequence[CardReading]]

#: Photo files ``import`` picks up from a folder.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp")


def pipeline_reader(settings: Settings) -> Reader:
    """The real reader: the configured OCR engine, loaded once, and the full pipeline."""
    from cardscan.reading.ocr import get_engine
    from cardscan.reading.pipeline import scan_image

    languages = settings.tesseract_languages if settings.engine == "tesseract" else "eng"
    engine = get_engine(settings.engine, languages=languages, threads=settings.ocr_threads)

    def read(front: bytes, back: bytes | None) -> Sequence[CardReading]:
        return scan_image(front, settings, engine=engine, back=back)

    return read


def _load_date_words() -> None:
    """Load the date parser's languages (~1 s of CPU the first time): storing a card plans
    its follow-ups, which reads the dates in its reasons, inside the transaction that holds
    the database's write lock, where the first card would otherwise make every upload wait
    that long."""
    from cardscan.followups.when import find_when

    find_when("coffee next Tuesday", date.today())


class LazyReader:
    """The pipeline reader, loaded (with its OCR engine) on first use or by :meth:`load`.

    An engine that cannot load fails each card with the reason (after its tries) instead of
    stopping the worker: it may be installed meanwhile.

    With ``nice``, loading and reading run in a thread of their own whose CPU priority is
    lower by ``nice`` (as are the engine's threads, which it starts): the caller's thread
    keeps its priority for the short steps around a card that hold the database's or the
    queue's writer turn, which a web server's uploads wait for. Run at a low priority,
    those steps were preempted with the turn held (a priority inversion).
    """

    def __init__(self, settings: Settings, *, nice: int = 0) -> None:
        self.settings = settings
        self._reader: Reader | None = None
        self._lock = threading.Lock()
        self._thread = (
            ThreadPoolExecutor(1, "ocr-read", initializer=lower_thread_priority, initargs=(nice,))
            if nice > 0
            else None
        )

    def load(self) -> Reader:
        """Load the engine now (a worker does before its first card), and the date parser's
        languages (``_load_date_words``)."""
        if self._thread is not None:
            self._thread.submit(self._load).result()
        return self._load()

    def _load(self) -> Reader:
        with self._lock:
            if self._reader is None:
                self._reader = pipeline_reader(self.settings)
                _load_date_words()
            return self._reader

    @property
    def loaded(self) -> bool:
        """Whether the engine is loaded."""
        return self._reader is not None

    def __call__(self, front: bytes, back: bytes | None) -> Sequence[CardReading]:
        if self._thread is not None:
            return self._thread.submit(self._read, front, back).result()
        return self._read(front, back)

    def _read(self, front: bytes, back: bytes | None) -> Sequence[CardReading]:
        return self._load()(front, back)


def _message(error: BaseException) -> str:
    return f"{type(error).__name__}: {getattr(error, 'message', '') or str(error) or '-'}"


class CardSource(Protocol):
    """Where a worker gets cards and hands back what it read: this machine's store
    (:class:`LocalCards`) or a server over HTTP (``cardscan.remote.RemoteCards``)."""

    def claim(self, card_id: int, worker: str) -> Card | None:
        """Take a queued card for reading; None when it is not waiting."""
        ...

    def photos(self, card: Card) -> tuple[bytes, bytes | None]:
        """The front and back photo bytes of a claimed card."""
        ...

    def finish(self, card: Card, readings: Sequence[CardReading]) -> Card:
        """Store what was read; the card as it ends."""
        ...

    def fail(self, card: Card, error: str, *, bad_input: bool) -> Card:
        """Record why reading failed; the card as it ends."""
        ...

    def renew(self, card: Card, worker: str) -> None:
        """Renew the claim while the card is still being read (from another thread)."""
        ...


class LocalCards:
    """The cards in this machine's store, as a worker sees them (see :class:`CardSource`).

    What is read is stored with its contacts and their follow-ups (the default plan,
    provisionally: ``FollowUps.plan_read_card``) in one transaction, so a crash in between
    cannot leave a read card without them. A failure to read, or to store what was read,
    releases the claim: the card goes back to the queue (and into ``queue``, when given),
    or ends 'failed' after ``max_tries`` tries (at once for a file that is not an image).
    """

    def __init__(
        self,
        store: Store,
        *,
        max_tries: int,
        queue: CardQueue | None = None,
        today: date | None = None,
    ) -> None:
        self.store = store
        self.max_tries = max_tries
        self.queue = queue
        self.today = today

    def claim(self, card_id: int, worker: str) -> Card | None:
        """Take a queued card for reading (``Cards.claim``)."""
        return self.store.cards.claim(card_id, worker)

    def photos(self, card: Card) -> tuple[bytes, bytes | None]:
        """The claimed card's photo bytes."""
        return self.store.cards.photos(card.id)

    def finish(self, card: Card, readings: Sequence[CardReading]) -> Card:
        """Store the readings, the contacts and their follow-ups, or release the claim."""
        store = self.store
        try:
            with store.atomic():
                contacts = store.cards.finish(card.id, readings)
                ids = [record.id for record in contacts]
                today = self.today or local_today(store, card.user_id)
                FollowUps(store, card.user_id, today).plan_read_card(ids)
        except Exception as e:  # storing failed and was rolled back: release the claim
            log.error("card %s: storing the reading failed (try %s): %s", card.id, card.tries, e)
            return self.fail(card, f"storing the reading failed: {_message(e)}", bad_input=False)
        return store.cards.get(card.user_id, card.id)

    def renew(self, card: Card, worker: str) -> None:
        """Renew the claim (on a connection of its own: this runs beside the reading)."""
        assert self.store.data_dir is not None
        with Store.open(self.store.data_dir, migrate=False) as own:
            own.cards.renew(card.id, worker)

    def fail(self, card: Card, error: str, *, bad_input: bool) -> Card:
        """Back to the queue for another try, or 'failed' after the last one."""
        final = bad_input or card.tries >= self.max_tries
        log.warning("card %s: try %s failed: %s", card.id, card.tries, error)
        after = self.store.cards.fail(card.id, error, final=final)
        if after.status == "queued" and self.queue is not None:
            self.queue.submit([(after.id, after.turn)])
        return after


@contextlib.contextmanager
def _renewing(source: CardSource, card: Card, worker: str | None) -> Iterator[None]:
    """Renew the claim on ``card`` every ``CLAIM_RENEW`` while the block runs, so a long
    reading is not taken for an abandoned one (``STALE_READING``)."""
    if worker is None:
        yield
        return
    done = threading.Event()

    def renew() -> None:
        while not done.wait(CLAIM_RENEW.total_seconds()):
            try:
                source.renew(card, worker)
            except Exception:  # the next renewal may work; the claim lasts STALE_READING
                log.warning("card %s: renewing the claim failed", card.id, exc_info=True)

    thread = threading.Thread(target=renew, name=f"renew-{card.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def read_claimed(source: CardSource, reader: Reader, card: Card, worker: str | None = None) -> Card:
    """Read a claimed card and hand the outcome to ``source``; never leaves it 'reading'.
    With ``worker`` (the claim's owner) the claim is renewed while the card is read.

    Returns:
        The card as it ends: 'done', 'queued' for another try, or 'failed'.
    """
    try:
        with _renewing(source, card, worker):
            front, back = source.photos(card)
            readings = list(reader(front, back))
    except Exception as e:  # any failure of the reader is recorded on the card, never raised
        return source.fail(card, _message(e), bad_input=isinstance(e, InputImageError))
    return source.finish(card, readings)


def read_card(source: CardSource, reader: Reader, card_id: int, worker: str) -> Card | None:
    """Claim one card the queue named, read it and record the outcome.

    Returns:
        The card as it ends, or None when it was not waiting (another worker has it, it
        was read already, or it is gone).
    """
    card = source.claim(card_id, worker)
    return read_claimed(source, reader, card, worker) if card is not None else None


def read_one(
    store: Store,
    reader: Reader,
    *,
    max_tries: int,
    worker: str | None = None,
    today: date | None = None,
) -> Card | None:
    """Claim the queued card whose turn comes first, read it and record the outcome.

    Returns:
        The card as it ends, or None when nothing is queued.
    """
    card = store.cards.claim_next(worker)
    if card is None:
        return None
    return read_claimed(LocalCards(store, max_tries=max_tries, today=today), reader, card)


class WorkerPool:
    """N threads reading cards from the OCR queue, in this process (``cardscan import``, the
    tests); ``cardscan serve`` runs worker processes instead (``cardscan.ocrworkers``).

    Example::

        pool = WorkerPool(data_dir, settings)
        pool.start()          # runs until stop()
        pool.stop()

        WorkerPool(data_dir, settings).run_until_idle()   # a batch: empty the queue
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        settings: Settings,
        *,
        reader: Reader | None = None,
        workers: int | None = None,
        poll_seconds: float = 0.2,
        on_card: Callable[[Card], None] | None = None,
    ) -> None:
        """Prepare the pool; the reader (and its engine) is loaded on first use.

        Args:
            data_dir: the data directory holding ``cardscan.db``.
            settings: for the reader, the queue and ``ocr_max_tries``.
            reader: what reads a card (default: :func:`pipeline_reader`, loaded on the
                first card and shared by the threads).
            workers: threads (default 1).
            poll_seconds: how long an idle worker waits before looking at the queue again.
            on_card: called (from a worker thread) with each card after its try.
        """
        self.data_dir = Path(data_dir)
        self.settings = settings
        self.workers = max(1, workers or 1)
        self.poll_seconds = poll_seconds
        self.on_card = on_card
        self.reader: Reader = reader or LazyReader(settings)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.queue = CardQueue.open(settings)

    def sweep(self) -> tuple[int, int]:
        """Put cards of dead workers and queued cards without a task back in the queue."""
        with Store.open(self.data_dir) as store:
            return sweep(store, self.queue, max_tries=self.settings.ocr_max_tries)

    def start(self) -> None:
        """Sweep, then start the worker threads (they run until stop())."""
        self._begin(until_idle=False)

    def wake(self) -> None:
        """Kept for callers of the thread pool: the workers look at the queue by themselves."""

    def stop(self, timeout: float | None = None) -> None:
        """Ask the workers to stop after their current card, and wait for them."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def run_until_idle(self) -> None:
        """Sweep, then read until the queue is empty (for batch imports)."""
        self._begin(until_idle=True)
        for thread in self._threads:
            thread.join()
        self._threads = []

    def _begin(self, *, until_idle: bool) -> None:
        self.sweep()
        self._stop.clear()
        self._threads = [
            threading.Thread(
                target=self._run, args=(until_idle,), name=f"ocr-{i}", daemon=not until_idle
            )
            for i in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()

    def _run(self, until_idle: bool) -> None:
        with Store.open(self.data_dir, migrate=False) as store:
            cards = LocalCards(store, max_tries=self.settings.ocr_max_tries, queue=self.queue)
            work(
                cards,
                self.queue,
                self.reader,
                stop=self._stop,
                until_idle=until_idle,
                poll_seconds=self.poll_seconds,
                on_card=self.on_card,
            )


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_memory() -> None:
    """Return the memory freed after a card to the system. glibc keeps freed heap pages
    for later, so a worker that had read one card stayed at ~530 MB resident instead of the
    ~230 MB its loaded engine needs (measured on real photos)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def work(
    source: CardSource,
    queue: CardQueue,
    reader: Reader,
    *,
    stop: threading.Event,
    until_idle: bool = False,
    poll_seconds: float = 0.2,
    on_card: Callable[[Card], None] | None = None,
    idle_after: float = 0.0,
) -> bool:
    """A worker's loop: take a card id from the queue, read that card, until ``stop`` is set
    (or, with ``until_idle``, until the queue is empty). Errors of the database, the queue
    or the server are logged and waited out, so a worker outlives a restart of Redis.

    Returns:
        True when it stopped because nothing came to read for ``idle_after`` seconds (when
        given), False otherwise.
    """
    me = worker_id()
    wait = 0.02 if until_idle else poll_seconds
    last_card = time.monotonic()
    while not stop.is_set():
        try:
            card_id = queue.take(wait, stop)
            if card_id is None:
                if until_idle:
                    return False
                if idle_after > 0 and time.monotonic() - last_card >= idle_after:
                    return True
                continue
            card = read_card(source, reader, card_id, me)
            last_card = time.monotonic()
            give_back_memory()
        except Exception:
            log.exception("OCR worker error")
            if until_idle:
                raise
            stop.wait(max(poll_seconds, 1.0))
            continue
        if card is not None and on_card is not None:
            on_card(card)
    return False


# --- importing photos from disk ----------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import did: files seen, cards added or already stored, their end states
    (``read_now`` counts the cards read during this run), likely duplicates, seconds."""

    files: int = 0
    added: int = 0
    already: int = 0
    read: int = 0
    read_now: int = 0
    failed: int = 0
    waiting: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    card_ids: list[int] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {k: v for k, v in self.__dict__.items() if k != "card_ids"}


def photo_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The photo files named, folders expanded (recursively, image suffixes only, sorted).

    Raises:
        ValidationError: a path does not exist.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in IMAGE_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ValidationError(f"{str(path)!r} does not exist: give photo files or folders.")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def import_photos(
    data_dir: str | os.PathLike[str],
    user_id: int,
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings,
    *,
    event_id: int | None = None,
    reader: Reader | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Store every photo first, then read the queue in this process.

    Importing the same files again adds nothing: each file's content hash is its upload id.
    Cards interrupted by an earlier crash are read too.

    Args:
        data_dir: the data directory.
        user_id: whose cards these are.
        paths: photo files and folders.
        settings: reader settings and ``ocr_max_tries``.
        event_id: the event where the cards were collected.
        reader: what reads a card (default: the pipeline).
        progress: called with (cards finished, cards to read) as reading goes.

    Returns:
        Counts of what was added, read, failed and found to be a likely duplicate.

    Raises:
        ValidationError: a path does not exist.
        NotFoundError: no such user or event.
    """
    started = time.monotonic()
    files = photo_files(paths)
    summary = ImportSummary(files=len(files))
    names: dict[int, str] = {}
    with Store.open(data_dir) as store:
        store.users.get(user_id)
        if event_id is not None:
            store.events.get(user_id, event_id)
        for path in files:
            try:
                data = path.read_bytes()
                card, created = store.cards.add(
                    user_id, data, event_id=event_id, client_uuid=f"file:{photo_hash(data)}"
                )
            except (OSError, CardscanError) as e:  # one bad file does not stop the others
                summary.failed += 1
                summary.errors[path.name] = getattr(e, "message", "") or str(e)
                continue
            summary.added += created
            summary.already += not created
            summary.card_ids.append(card.id)
            names[card.id] = path.name
        todo = store.cards.queue_counts()["queued"] + store.cards.queue_counts()["reading"]
    finished = 0

    def on_card(card: Card) -> None:
        nonlocal finished
        if card.status in ("done", "failed"):
            finished += 1
            summary.read_now += card.status == "done"
            if progress is not None:
                progress(finished, todo)

    if progress is not None:
        progress(0, todo)
    WorkerPool(data_dir, settings, reader=reader, on_card=on_card).run_until_idle()
    with Store.open(data_dir, migrate=False) as store:
        for card_id in summary.card_ids:
            card = store.cards.get(user_id, card_id)
            if card.status == "done":
                summary.read += 1
            elif card.status == "failed":
                summary.failed += 1
                summary.errors[names[card_id]] = card.error or ""
            else:
                summary.waiting += 1
        summary.duplicates = store.duplicates.offer_count(user_id, card_ids=summary.card_ids)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary
