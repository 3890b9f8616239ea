"""OCR workers as processes: ``cardscan worker``, and the supervisor ``cardscan serve`` runs.

Each worker is its own process with its own OCR engine, at a lower CPU priority than the web
server (``ocr_worker_nice``), so reading cards never starves request handling and a crash
in the OCR takes down one worker, not the server. ``cardscan serve`` starts one per CPU
core but one (``ocr_workers``), restarts any that dies, and sweeps the queue every
``sweep_seconds`` (``cardscan.ocrqueue.sweep``): a card whose worker died mid-card (even by
``kill -9``) goes back in the queue and another worker reads it.

A worker started by ``serve`` ends with it, even when ``serve`` is killed (Linux's
parent-death signal, and a check of the parent elsewhere).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence

from cardscan.errors import BadConfigError
from cardscan.ocrqueue import CardQueue, sweep
from cardscan.settings import Settings
from cardscan.store import Store
from cardscan.workers import (
    KeptProcesses,
    available_cores,
    exit_with_parent,
    lower_other_threads,
    reading_malloc_env,
    restart_with_reading_malloc,
)

log = logging.getLogger(__name__)


def default_workers(cores: int | None = None) -> int:
    """One OCR worker per CPU core (``cores``, or those this process may use), but one (for
    the web server); at least one."""
    return max(1, (available_cores() if cores is None else cores) - 1)


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT let the worker finish its card, then stop; a second one stops now."""

    def handle(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise SystemExit(128 + signum)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handle)


def run_worker(
    settings: Settings,
    *,
    nice: int = 0,
    exit_with: int | None = None,
    server: str | None = None,
    token: str | None = None,
    afresh: bool = False,
) -> None:
    """Run one OCR worker in this process until SIGTERM or SIGINT: load the engine, then read
    the cards the queue names (``cardscan worker``). After ``ocr_idle_seconds`` with nothing
    to read it starts afresh (``_start_afresh``), holding no engine until the next card.

    Args:
        settings: the data directory, the queue, the engine, ``ocr_max_tries``.
        nice: lower the reading's CPU priority by this much (every thread but the one that
            takes cards and stores their readings).
        exit_with: the pid of the process that started this one: end when it ends.
        server: a worker on another machine: read that server's cards over its worker API
            (``cardscan.remote``) instead of this machine's store; needs ``token`` and a
            Redis ``queue_url`` shared with the server.
        token: the worker token for ``server``.
        afresh: this process is a worker that started afresh after being idle: it loads the
            engine only for the next card.

    Raises:
        BadConfigError: ``server`` without a token, a Redis queue, or a usable URL.
    """
    from cardscan.jobs import CardSource, LazyReader, LocalCards, work

    restart_with_reading_malloc()  # a worker started by hand; serve's start with it
    remote = None
    if server:
        from cardscan.remote import RemoteCards

        remote = RemoteCards(server, token or "")
        if not settings.queue_url.strip():
            raise BadConfigError(
                "a worker on another machine shares the server's queue: set queue_url ="
                ' "redis://HOST:6379/0" (CARDSCAN_QUEUE_URL) as on the server.'
            )
    if exit_with:
        exit_with_parent(exit_with)
    if nice > 0:
        # The reading runs in a thread of its own at the lower priority (LazyReader); this
        # thread keeps the server's, for the short steps that hold a writer turn.
        lower_other_threads(nice)
    stop = threading.Event()
    _stop_on_signals(stop)
    reader = LazyReader(settings, nice=nice)
    if not afresh:  # started afresh, it loads the engine for the next card
        try:
            reader.load()  # before the first card, so that card is not slow
        except Exception as e:  # each card will fail with the reason; the engine may come back
            log.error("the OCR engine did not load: %s", e)
    queue = CardQueue.open(settings)
    idle = False
    try:
        with contextlib.ExitStack() as stack:
            source: CardSource
            if remote is not None:
                stack.callback(remote.close)
                source = remote
            else:
                store = stack.enter_context(Store.open(settings.data_dir, migrate=False))
                source = LocalCards(store, max_tries=settings.ocr_max_tries, queue=queue)
            while not stop.is_set():
                idle = work(source, queue, reader, stop=stop, idle_after=settings.ocr_idle_seconds)
                if not idle or reader.loaded:  # idle with nothing loaded: wait on
                    break
    finally:
        queue.close()
    if idle and reader.loaded and not stop.is_set():
        _start_afresh()


#: The worker's hidden flag for a worker started again by itself (see ``_start_afresh``).
AFRESH = "--afresh"


def _start_afresh() -> None:
    """Start this worker again in a fresh process (exec: the same pid, so ``serve`` sees
    nothing happen), which loads its engine only when the next card comes.

    An idle worker holds its OCR models and whatever its last photos left fragmented:
    ~200 MB that letting go of the engine and trimming the heap gave back only a quarter
    of. A fresh process waiting on the queue holds ~60 MB; the next card costs a second or
    two more to load everything again.
    """
    argv = [sys.executable, *sys.orig_argv[1:]]
    if AFRESH not in argv:
        argv.append(AFRESH)
    log.info("nothing to read: starting afresh, without the engine")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os.execv(sys.executable, argv)


class Supervisor:
    """``cardscan serve``'s OCR side: worker processes, kept running, and the queue's sweep.

    Example::

        supervisor = Supervisor(settings, workers=2, command=[sys.executable, "-m", "cardscan"])
        supervisor.start()
        ...
        supervisor.stop()
    """

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int,
        command: Sequence[str] | None = None,
        config: str | None = None,
    ) -> None:
        """Prepare (nothing starts before :meth:`start`).

        Args:
            settings: the data directory, the queue, ``ocr_worker_nice``, ``sweep_seconds``.
            workers: how many worker processes (0: none, the sweep only).
            command: how to run ``cardscan`` (default: this Python, ``-m cardscan``).
            config: the ``--config`` file the workers are to read, if one was given.
        """
        self.settings = settings
        self.workers = workers
        self.command = list(command or [sys.executable, "-m", "cardscan"])
        self.config = config
        self._workers = KeptProcesses(
            "OCR worker", workers, self.worker_command, env=self._worker_env
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def worker_command(self) -> list[str]:
        """The command line of one worker process."""
        command = [*self.command, "--data", str(self.settings.data_dir)]
        if self.config:
            command += ["--config", self.config]
        return [
            *command,
            "worker",
            "--nice",
            str(self.settings.ocr_worker_nice),
            "--exit-with",
            str(os.getpid()),
        ]

    def start(self) -> None:
        """Start the thread that sweeps, starts the workers and keeps them running."""
        self._stop.clear()
        # Workers are started from this one long-lived thread: Linux sends a child its
        # parent-death signal when the *thread* that started it ends.
        self._thread = threading.Thread(target=self._run, name="ocr-supervisor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Let each worker finish its card (SIGTERM), kill those still busy after
        ``timeout`` seconds (their cards go back to the queue), and stop sweeping."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._workers.stop(timeout)

    def _worker_env(self) -> dict[str, str]:
        """The workers share the cores out: each runs its engine on cores / workers threads
        (unless ``ocr_threads`` says), so they do not fight over the same cores; and they
        start with malloc tuned for reading photos (``workers.reading_malloc_env``)."""
        env = reading_malloc_env(os.environ)
        if not self.settings.ocr_threads:
            env["CARDSCAN_OCR_THREADS"] = str(max(1, available_cores() // max(1, self.workers)))
        return env

    def pids(self) -> list[int]:
        """The worker processes' pids (those running)."""
        return self._workers.pids()

    def _run(self) -> None:
        queue = CardQueue.open(self.settings)
        try:
            next_sweep = 0.0
            while not self._stop.is_set():
                if time.monotonic() >= next_sweep:
                    self._sweep(queue)
                    next_sweep = time.monotonic() + self.settings.sweep_seconds
                self._workers.keep()
                self._stop.wait(0.5)
        finally:
            queue.close()

    def _sweep(self, queue: CardQueue) -> None:
        try:
            with Store.open(self.settings.data_dir, migrate=False) as store:
                sweep(store, queue, max_tries=self.settings.ocr_max_tries)
        except Exception:  # the database or the queue is busy or down: next time
            log.exception("sweeping the OCR queue failed")
