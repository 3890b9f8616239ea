"""The check of the OCR workers: how many ``cardscan serve`` starts, whether this machine has
the cores and memory for them, and whether cards are left waiting with nobody reading them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cardscan.doctor import Check, Problem
from cardscan.ocrworkers import default_workers
from cardscan.settings import Settings
from cardscan.store.health import inspect_database
from cardscan.workers import available_cores

#: Memory one OCR worker holds once it has read a card: RapidOCR's three models, onnxruntime
#: and OpenCV (557 MB peak resident size measured reading the sample cards, December 2026).
WORKER_MB = 600
#: The web server beside them (Flask, Pillow, thumbnails being made).
SERVER_MB = 200
#: Cards waiting this long, with no card read meanwhile, are waiting for a worker that is
#: not there.
STUCK_AFTER = timedelta(minutes=10)


def _memory_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """This machine's memory in MB (None where /proc/meminfo is not there)."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _when(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_workers(
    settings: Settings,
    *,
    full: bool,
    cores: int | None = None,
    memory_mb: int | None = None,
    now: datetime | None = None,
) -> Check:
    """The OCR workers ``serve`` starts fit this machine; with ``full``, cards do not wait in
    vain.

    Args:
        settings: ``ocr_workers``, ``ocr_worker_nice`` and the data directory.
        full: also look in the database for cards waiting with no worker reading.
        cores: the CPU cores this process may use (this machine's when None).
        memory_mb: this machine's memory (read from /proc/meminfo when None).
        now: the time to measure waiting against (now when None).
    """
    name = "OCR workers"
    cores = available_cores() if cores is None else cores
    memory_mb = _memory_mb() if memory_mb is None else memory_mb
    chosen = settings.ocr_workers
    count = chosen or default_workers(cores)
    found = (
        f"serve starts {count} worker{'s' if count != 1 else ''}"
        f" ({'ocr_workers' if chosen else 'one per core but one'}) on {cores} core"
        f"{'s' if cores != 1 else ''}, nice {settings.ocr_worker_nice}"
    )
    problems = []
    if chosen > cores:
        problems.append(
            Problem(
                f"ocr_workers = {chosen} is more than the {cores} CPU core(s) here: the workers"
                " take turns on the cores, each card is read no sooner, and each holds its own"
                f" OCR models ({WORKER_MB} MB).",
                "set ocr_workers = 0 (one per core but one) in cardscan.toml, or run workers"
                " on other machines (docs/deploy.md#ocr-workers).",
                "warning",
            )
        )
    need = count * WORKER_MB + SERVER_MB
    if memory_mb is not None:
        found += f"; {memory_mb} MB of memory"
        if memory_mb < need:
            fits = max(1, (memory_mb - SERVER_MB) // WORKER_MB)
            fix = (
                f"set ocr_workers = {fits} in cardscan.toml"
                if fits < count
                else "give the machine more memory, or add swap (reading is slower from swap)"
            )
            problems.append(
                Problem(
                    f"{count} OCR worker(s) and the server need about {need} MB of memory, and"
                    f" this machine has {memory_mb} MB: the kernel would kill workers mid-card"
                    " (they are restarted, the card read again).",
                    fix + "; or run workers on another machine (docs/deploy.md#ocr-workers).",
                    "warning",
                )
            )
    if full:
        problem = _stuck(settings, now or datetime.now(UTC))
        if problem:
            problems.append(problem)
    return Check(name, found, tuple(problems))


def _stuck(settings: Settings, now: datetime) -> Problem | None:
    """Cards waiting for a long time while no card has been read: no worker is running."""
    health = inspect_database(settings.data_dir, full=False)
    if not health.waiting:
        return None
    oldest = _when(health.oldest_waiting)
    last = _when(health.last_read) if health.last_read else None
    if oldest is None or now - oldest < STUCK_AFTER:
        return None
    if last is not None and now - last < STUCK_AFTER:
        return None  # workers are reading; the queue is long, not stuck
    since = oldest.strftime("%Y-%m-%d %H:%M UTC")
    return Problem(
        f"{health.waiting} card(s) wait to be read, the oldest since {since}, and no card has"
        f" been read for {int(STUCK_AFTER.total_seconds() // 60)} minutes: no OCR worker is"
        " reading (the server is stopped, runs with --no-workers, or its workers cannot load"
        " the engine).",
        "start `cardscan serve` (it starts the workers) or `cardscan worker` where serve runs"
        " with --no-workers; if they run, their log says why they stop (journalctl -u"
        " cardscan). Nothing is lost: the cards are read once a worker runs.",
        "warning",
    )
