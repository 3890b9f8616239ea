"""The OCR queue: which cards the workers read next, on one machine or many.

The queue is huey's (a small, well-kept task queue): a SQLite file beside the database by
default (``queue.db``, no service to run), or Redis when workers run on several machines
(``queue_url = "redis://host:6379/0"``). Both go through the same code: a task names one
card, its priority is the card's turn, so users take turns (``Cards._next_turn``).

The ``cards`` table stays the source of truth: a worker *claims* the card a task names
(nothing happens when another worker has it or it is read already), and :func:`sweep`
makes the queue agree with the table again, putting back cards left queued without a task
(an upload whose task was never sent, a lost queue file) or claimed by a worker that died.
So a ``kill -9`` of a worker, or of the whole server, loses nothing.

Of huey we use the storage (SQLite or Redis, with priorities) and the task messages; not
its consumer or its retries: workers are cardscan's own processes (``cardscan.ocrworkers``)
and the table counts each card's tries.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import queue as stdqueue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cardscan.errors import BadConfigError
from cardscan.settings import Settings
from cardscan.store import Store, private_dir, private_file, writer_turns

log = logging.getLogger(__name__)

#: The queue file in the data directory when no ``queue_url`` is set.
QUEUE_FILE = "queue.db"

#: The task's name: it travels in each message, so every process must agree on it.
TASK_NAME = "cardscan.read_card"


def _read_card(card_id: int) -> None:  # pragma: no cover - never executed, only named
    """A card to read (the workers take its id; huey does not run it)."""


@functools.cache
def _queue_file_storage() -> type:
    """huey's SQLite storage, committing without waiting for the disk.

    An upload queues its card after the card's row has committed (with an fsync): a second
    fsync for the queue file doubled what an upload waits on the disk. In WAL mode
    ``synchronous=NORMAL`` never corrupts the file; a power cut may lose the last tasks,
    and the sweep queues their cards again from the cards table. Writers (the web
    processes' uploads, the workers taking tasks) take turns as the database's do
    (``cardscan.store.writer_turns``) instead of polling SQLite's lock.
    """
    from huey.storage import SqliteStorage

    class QueueFileStorage(SqliteStorage):  # type: ignore[misc]
        def _create_connection(self) -> Any:
            conn = super()._create_connection()
            conn.execute("pragma synchronous=NORMAL")
            return conn

        def enqueue(self, data: bytes, priority: float | None = None) -> None:
            with _turn(self.filename):
                super().enqueue(data, priority)

        def dequeue(self) -> bytes | None:
            waiting = "select 1 from task where queue = ? limit 1"
            if not self.sql(waiting, (self.name,), results=True):
                return None  # nothing waiting: no need to take a turn
            with _turn(self.filename):
                return super().dequeue()  # type: ignore[no-any-return]

    return QueueFileStorage


def _turn(path: str) -> contextlib.AbstractContextManager[None]:
    """A writer's turn at the queue file (see ``cardscan.store.writer_turns``)."""
    turns = writer_turns(path)
    return turns.turn() if turns else contextlib.nullcontext()


class CardQueue:
    """The OCR queue: ``submit`` cards, ``take`` the next card id; see the module doc.

    Example::

        queue = CardQueue.open(settings)
        queue.submit([(card.id, card.turn)])
        card_id = queue.take(timeout=1.0)   # a worker
    """

    def __init__(self, huey: Any, where: str) -> None:
        """Wrap a huey instance (see :meth:`open`); ``where`` says where it lives."""
        self.huey = huey
        self.where = where
        self._task = huey.task(name=TASK_NAME)(_read_card)
        self._blocking = bool(getattr(huey.storage, "blocking", False))

    @classmethod
    def open(cls, settings: Settings) -> CardQueue:
        """The queue the settings name: ``queue_url`` (Redis) or ``queue.db`` in the data
        directory.

        Raises:
            BadConfigError: ``queue_url`` is not a ``redis://`` (or ``rediss://``, ``unix://``)
                URL.
        """
        url = settings.queue_url.strip()
        if not url:
            from huey import SqliteHuey

            path = Path(settings.data_dir) / QUEUE_FILE
            private_dir(path.parent)
            private_file(path)  # before SQLite opens it: its -wal and -shm take its mode
            huey = SqliteHuey(
                "cardscan",
                filename=str(path),
                results=False,
                timeout=30,
                storage_class=_queue_file_storage(),
            )
            return cls(huey, str(path))
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise BadConfigError(
                f"queue_url {url!r} is not a Redis URL: write redis://HOST:6379/0, or leave it"
                " empty for the queue file in the data directory."
            )
        from huey import PriorityRedisHuey

        # blocking: an idle worker waits in Redis (BZPOPMIN) instead of polling.
        huey = PriorityRedisHuey("cardscan", url=url, results=False, blocking=True, read_timeout=1)
        return cls(huey, url.split("@")[-1])

    def submit(self, cards: Iterable[tuple[int, int]]) -> int:
        """Queue cards given as (id, turn); returns how many.

        A failure to queue is logged, not raised: the card is stored already and the next
        sweep queues it.
        """
        count = 0
        try:
            for card_id, turn in cards:
                # higher priority first: the smallest turn goes first
                self.huey.enqueue(self._task.s(card_id, priority=-turn))
                count += 1
        except Exception:  # the queue is down (Redis gone, disk full): the sweep retries
            log.exception("could not queue cards for OCR (the next sweep will)")
        return count

    def take(self, timeout: float = 1.0, stop: threading.Event | None = None) -> int | None:
        """The next card id to read, or None after ``timeout`` seconds with nothing queued."""
        task = self.huey.dequeue()
        if task is None and not self._blocking:
            # huey's SQLite storage has no blocking read: look again after a short wait
            (stop or threading.Event()).wait(timeout)
            task = self.huey.dequeue()
        if task is None:
            return None
        args = task.args or ()
        return int(args[0]) if args else None

    def pending_ids(self) -> set[int]:
        """The card ids the queue holds now."""
        return {int(t.args[0]) for t in self.huey.pending() if t.args}

    def pending_count(self) -> int:
        """How many tasks the queue holds now (cheap)."""
        return int(self.huey.pending_count())

    def clear(self) -> None:
        """Empty the queue (the sweep fills it again from the cards table)."""
        self.huey.flush()

    def close(self) -> None:
        """Close the storage's connections."""
        close = getattr(self.huey.storage, "close", None)
        if close is not None:
            close()


class Handoff:
    """Cards handed to the OCR queue by a thread of their own, so whoever hands them (an
    upload's request) does not wait for the queue.

    Sending a task waits for the queue file's writer turn (or for Redis), which an OCR
    worker may hold while it takes its next card; a worker runs at a lower priority and
    can be preempted holding it. An upload's answer waits only for what makes the card
    safe (its row and photo on disk): the cards table is the source of truth, and a task
    lost here (the process killed before the thread sent it) is sent again by the next
    :func:`sweep`. The thread starts on the first card and sends every card waiting at
    once; the cards still waiting are sent when the process exits normally.

    Example::

        handoff = Handoff(lambda: CardQueue.open(settings))
        handoff.put(card.id, card.turn)   # returns at once
    """

    #: Seconds without a card after which the thread closes the queue and ends (the next
    #: card starts another).
    IDLE_SECONDS = 10.0

    def __init__(self, open_queue: Callable[[], CardQueue]) -> None:
        """``open_queue`` gives the queue to send to (called by each thread it starts)."""
        self._open = open_queue
        self._cards: stdqueue.SimpleQueue[tuple[int, int] | None] = stdqueue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self._at_exit = False

    @property
    def running(self) -> bool:
        """Whether a thread is sending (or waiting for) cards now."""
        return self._thread is not None

    def put(self, card_id: int, turn: int) -> None:
        """Queue the card ``card_id`` whose turn is ``turn``, soon (returns at once)."""
        with self._guard:
            self._cards.put((card_id, turn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ocr-handoff", daemon=True)
                self._thread.start()
                if not self._at_exit:
                    self._at_exit = True
                    atexit.register(self.close)

    def close(self, timeout: float = 5.0) -> None:
        """Send the cards still waiting (at most ``timeout`` seconds) and stop the thread."""
        with self._guard:
            thread = self._thread
            if thread is not None:
                self._cards.put(None)
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        queue = self._open()
        try:
            while self._send(queue):
                pass
        finally:
            queue.close()

    def _send(self, queue: CardQueue) -> bool:
        """Send the cards waiting; False when the thread should end (idle, or closed)."""
        try:
            waiting = [self._cards.get(timeout=self.IDLE_SECONDS)]
        except stdqueue.Empty:
            with self._guard:  # a card put from now on starts a new thread
                if self._cards.empty():
                    self._thread = None
                    return False
            return True
        with contextlib.suppress(stdqueue.Empty):
            while True:
                waiting.append(self._cards.get_nowait())
        cards = [card for card in waiting if card is not None]
        if cards:
            queue.submit(cards)
        if None in waiting:
            with self._guard:
                self._thread = None
            return False
        return True


def sweep(store: Store, queue: CardQueue, *, max_tries: int | None = None) -> tuple[int, int]:
    """Make the queue agree with the cards table.

    Cards claimed by a worker that died go back to 'queued' (or end 'failed' after
    ``max_tries``; see ``Cards.requeue_interrupted``), and every queued card without a task
    in the queue gets one. A card whose task is being taken right now may get a second one:
    the claim makes that harmless.

    Returns:
        (cards put back from dead workers, tasks queued).
    """
    requeued = store.cards.requeue_interrupted(max_tries=max_tries)
    queued = store.cards.queued()
    if not queued or queue.pending_count() >= len(queued) and not requeued:
        return requeued, 0
    pending = queue.pending_ids()
    missing = [(card_id, turn) for card_id, turn in queued if card_id not in pending]
    sent = queue.submit(missing) if missing else 0
    if requeued or sent:
        log.info("sweep: %s cards back from dead workers, %s queued again", requeued, sent)
    return requeued, sent
