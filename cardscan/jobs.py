"""The durable OCR queue: worker threads that read queued cards and store what they find.

The queue is the ``cards`` table (see ``cardscan.store.cards``): nothing lives only in
memory, so a crash or a restart loses nothing. On start the pool puts cards left 'reading'
by a dead process back in the queue. A card whose reading fails is retried (after the
others) and ends 'failed' with its error after ``settings.ocr_max_tries`` tries; a file
that is not a readable image fails at once.

The reader is injectable: ``reader(front_bytes, back_bytes) -> list[CardReading]``. The
default loads the configured OCR engine once and runs ``cardscan.pipeline.scan_image``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cardscan.errors import CardscanError, InputImageError, ValidationError
from cardscan.followups import plan_read_card
from cardscan.models import Card
from cardscan.settings import Settings
from cardscan.store import Reading, Store
from cardscan.store._base import photo_hash
from cardscan.workers import worker_id

log = logging.getLogger(__name__)

#: What reads a card: front photo bytes, back photo bytes (or None) -> one reading per card.
Reader = Callable[[bytes, bytes | None], Sequence[Reading]]

#: Photo files ``import`` picks up from a folder.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp")


def pipeline_reader(settings: Settings) -> Reader:
    """The real reader: the configured OCR engine, loaded once, and the full pipeline."""
    from cardscan.ocr import get_engine
    from cardscan.pipeline import scan_image

    languages = settings.tesseract_languages if settings.engine == "tesseract" else "eng"
    engine = get_engine(settings.engine, languages=languages)

    def read(front: bytes, back: bytes | None) -> Sequence[Reading]:
        return scan_image(front, settings, engine=engine, back=back)

    return read


def read_one(
    store: Store,
    reader: Reader,
    *,
    max_tries: int,
    worker: str | None = None,
    today: date | None = None,
) -> Card | None:
    """Claim the next queued card, read it and record the outcome.

    A card read is stored with its contacts and their follow-ups (the default plan,
    provisionally: ``followups.plan_read_card``) in one transaction, so a crash in between
    cannot leave a read card without them.

    Returns:
        The card as it ends ('done', 'queued' for another try, or 'failed'), or None when
        the queue is empty.
    """
    card = store.cards.claim_next(worker)
    if card is None:
        return None
    try:
        front, back = store.cards.photos(card.id)
        readings = list(reader(front, back))
    except Exception as e:  # any failure of the reader is recorded on the card, never raised
        final = card.tries >= max_tries or isinstance(e, InputImageError)
        message = getattr(e, "message", "") or str(e) or type(e).__name__
        log.warning("card %s: reading failed (try %s): %s", card.id, card.tries, message)
        store.cards.fail(card.id, f"{type(e).__name__}: {message}", final=final)
    else:
        with store.atomic():
            contacts = store.cards.finish(card.id, readings)
            ids = [record.id for record in contacts]
            plan_read_card(store, card.user_id, ids, today or date.today())
    return store.cards.get(card.user_id, card.id)


class WorkerPool:
    """N threads reading cards from the queue, each with its own database connection.

    Example::

        pool = WorkerPool(data_dir, settings)
        pool.start()          # a server: runs until stop()
        pool.wake()           # after a new card is stored
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
        poll_seconds: float = 2.0,
        on_card: Callable[[Card], None] | None = None,
    ) -> None:
        """Prepare the pool; the reader (and its engine) is loaded on first use.

        Args:
            data_dir: the data directory holding ``cardscan.db``.
            settings: for the reader and ``ocr_max_tries``.
            reader: what reads a card (default: :func:`pipeline_reader`).
            workers: threads (default ``settings.ocr_workers``).
            poll_seconds: how often idle workers look for work without being woken.
            on_card: called (from a worker thread) with each card after its try.
        """
        self.data_dir = Path(data_dir)
        self.settings = settings
        self.workers = max(1, workers or settings.ocr_workers)
        self.poll_seconds = poll_seconds
        self.on_card = on_card
        self._reader = reader
        self._reader_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def reader(self) -> Reader:
        """The reader, loaded once for all threads."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = pipeline_reader(self.settings)
            return self._reader

    def requeue_interrupted(self) -> int:
        """Put cards left 'reading' by a dead process back in the queue."""
        with Store.open(self.data_dir) as store:
            return store.cards.requeue_interrupted(max_tries=self.settings.ocr_max_tries)

    def start(self) -> None:
        """Resume interrupted cards and start the worker threads (they run until stop())."""
        self.requeue_interrupted()
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, args=(False,), name=f"ocr-{i}", daemon=True)
            for i in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()

    def wake(self) -> None:
        """Tell idle workers that a card is waiting."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the workers to stop after their current card, and wait for them."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def run_until_idle(self) -> None:
        """Resume interrupted cards, then read until the queue is empty (for batch imports)."""
        self.requeue_interrupted()
        self._stop.clear()
        threads = [
            threading.Thread(target=self._run, args=(True,), name=f"ocr-{i}")
            for i in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _read(self, front: bytes, back: bytes | None) -> Sequence[Reading]:
        """Read with the shared reader, loading it (the OCR engine) on the first card only."""
        return self.reader(front, back)

    def _run(self, until_idle: bool) -> None:
        reader = self._read
        me = worker_id()
        with Store.open(self.data_dir, migrate=False) as store:
            while not self._stop.is_set():
                try:
                    card = read_one(store, reader, max_tries=self.settings.ocr_max_tries, worker=me)
                except Exception:  # a database error: log it, back off, keep serving
                    log.exception("OCR worker error")
                    card = None
                    if until_idle:
                        raise
                    self._stop.wait(self.poll_seconds)
                    continue
                if card is not None:
                    if self.on_card is not None:
                        self.on_card(card)
                    continue
                if until_idle:
                    return
                self._wake.wait(self.poll_seconds)
                self._wake.clear()


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
