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
from cardscan.models import Card, CardReading
from cardscan.ocrqueue import CardQueue, sweep
from cardscan.settings import Settings
from cardscan.store import Store
from cardscan.store._base import photo_hash
from cardscan.workers import worker_id

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
    engine = get_engine(settings.engine, languages=languages)

    def read(front: bytes, back: bytes | None) -> Sequence[CardReading]:
        return scan_image(front, settings, engine=engine, back=back)

    return read


class LazyReader:
    """The pipeline reader, loaded (with its OCR engine) on first use or by :meth:`load`.

    An engine that cannot load fails each card with the reason (after its tries) instead of
    stopping the worker: it may be installed meanwhile.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._reader: Reader | None = None
        self._lock = threading.Lock()

    def load(self) -> Reader:
        """Load the engine now (a worker does before its first card)."""
        with self._lock:
            if self._reader is None:
                self._reader = pipeline_reader(self.settings)
            return self._reader

    def __call__(self, front: bytes, back: bytes | None) -> Sequence[CardReading]:
        return self.load()(front, back)


def _message(error: BaseException) -> str:
    return f"{type(error).__name__}: {getattr(error, 'message', '') or str(error) or '-'}"


def read_claimed(
    store: Store,
    reader: Reader,
    card: Card,
    *,
    max_tries: int,
    today: date | None = None,
) -> Card:
    """Read a card this worker has claimed and record the outcome; never leaves it 'reading'.

    What is read is stored with its contacts and their follow-ups (the default plan,
    provisionally: ``followups.plan_read_card``) in one transaction, so a crash in between
    cannot leave a read card without them. A failure to read, or to store what was read,
    releases the claim: the card goes back to the queue, or ends 'failed' after
    ``max_tries`` tries (at once for a file that is not a readable image).

    Returns:
        The card as it ends: 'done', 'queued' for another try, or 'failed'.
    """
    try:
        front, back = store.cards.photos(card.id)
        readings = list(reader(front, back))
    except Exception as e:  # any failure of the reader is recorded on the card, never raised
        final = card.tries >= max_tries or isinstance(e, InputImageError)
        log.warning("card %s: reading failed (try %s): %s", card.id, card.tries, _message(e))
        return store.cards.fail(card.id, _message(e), final=final)
    try:
        with store.atomic():
            contacts = store.cards.finish(card.id, readings)
            ids = [record.id for record in contacts]
            plan_read_card(store, card.user_id, ids, today or date.today())
    except Exception as e:  # storing failed and was rolled back: release the claim
        log.error("card %s: storing the reading failed (try %s): %s", card.id, card.tries, e)
        return store.cards.fail(
            card.id, f"storing the reading failed: {_message(e)}", final=card.tries >= max_tries
        )
    return store.cards.get(card.user_id, card.id)


def read_card(
    store: Store,
    reader: Reader,
    card_id: int,
    *,
    queue: CardQueue | None = None,
    max_tries: int,
    worker: str | None = None,
    today: date | None = None,
) -> Card | None:
    """Claim one card the queue named, read it and record the outcome (see
    :func:`read_claimed`); a card put back for another try goes back in ``queue``.

    Returns:
        The card as it ends, or None when it was not waiting (another worker has it, it
        was read already, or it is gone).
    """
    card = store.cards.claim(card_id, worker)
    if card is None:
        return None
    card = read_claimed(store, reader, card, max_tries=max_tries, today=today)
    if card.status == "queued" and queue is not None:
        queue.submit([(card.id, card.turn)])
    return card


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
    return read_claimed(store, reader, card, max_tries=max_tries, today=today)


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
            work(
                store,
                self.queue,
                self.reader,
                max_tries=self.settings.ocr_max_tries,
                stop=self._stop,
                until_idle=until_idle,
                poll_seconds=self.poll_seconds,
                on_card=self.on_card,
            )


def work(
    store: Store,
    queue: CardQueue,
    reader: Reader,
    *,
    max_tries: int,
    stop: threading.Event,
    until_idle: bool = False,
    poll_seconds: float = 0.2,
    on_card: Callable[[Card], None] | None = None,
) -> None:
    """A worker's loop: take a card id from the queue, read that card, until ``stop`` is set
    (or, with ``until_idle``, until the queue is empty). Errors of the database or the queue
    are logged and waited out, so a worker outlives a restart of Redis."""
    me = worker_id()
    wait = 0.02 if until_idle else poll_seconds
    while not stop.is_set():
        try:
            card_id = queue.take(wait, stop)
            if card_id is None:
                if until_idle:
                    return
                continue
            card = read_card(store, reader, card_id, queue=queue, max_tries=max_tries, worker=me)
        except Exception:
            log.exception("OCR worker error")
            if until_idle:
                raise
            stop.wait(max(poll_seconds, 1.0))
            continue
        if card is not None and on_card is not None:
            on_card(card)


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
