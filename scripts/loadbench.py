"""Benchmarks that start cardscan's own processes: a server under upload load, and OCR worker
throughput on the SQLite queue or Redis.

Both run in a throw-away data directory, on this machine only, bounded in cards and time, and
stop everything they started. Memory is read from ``/proc`` (Linux): each process's peak
resident set (``VmHWM``) and the peak of the whole group's sum, sampled as it runs.

- :func:`serve_under_load`: ``cardscan serve`` with its OCR worker processes, an account and a
  token; the idle memory once the workers have read a first card, then ``scripts.loadtest``'s
  clients uploading while OCR runs (ack p50/p95), and the memory under that load.
- :func:`worker_throughput`: N cards read by 1, 2, ... ``cardscan worker`` processes; cards a
  minute and CPU seconds a card.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardscan.errors import MissingDependencyError, ValidationError
from cardscan.workers import available_cores
from scripts.loadtest import LoadReport, distinct_photo, run_load

#: How long a benchmark waits for the OCR of its cards before giving up.
MAX_WAIT = 1800.0

#: ``ocr_idle_seconds`` of the benchmark's server: what happens after the setting's 60 s,
#: sooner (the idle memory is measured once the workers have let go of their engines).
IDLE_SECONDS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In a child before exec: end when the process that started it ends (Linux), so a
    benchmark or test stopped by a signal leaves no redis-server behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def local_redis(workdir: str | os.PathLike[str]) -> Iterator[str]:
    """Run Debian's ``redis-server`` on a free loopback port until the block ends (nothing
    persisted); yields its ``redis://`` URL.

    Raises:
        MissingDependencyError: redis-server is not installed.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise MissingDependencyError(
            "redis-server is not installed: run ./setup.sh or `apt-get install redis-server`."
        )
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise MissingDependencyError(f"redis-server did not start (exit {proc.poll()}).")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- processes and their memory ------------------------------------------------------------


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            return dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return {}


def _kb(status: dict[str, str], key: str) -> int:
    return int(status.get(key, "0 kB").split()[0])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found.extend(int(p) for p in f.read().split())
    return found


def _is_web_process(pid: int) -> bool:
    """True for one of serve's other web processes (``web.processes``), not an OCR worker."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"--listen-fd" in f.read()
    except OSError:
        return False


def _workers(pid: int) -> list[int]:
    """The OCR worker processes of a ``cardscan serve``."""
    return [child for child in _children(pid) if not _is_web_process(child)]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (its threads included)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Memory:
    """Resident memory of a process group, in MB: each process's own peak (``VmHWM``) and
    its resident memory at the last sample (``VmRSS``), and the peak of their sum as
    sampled."""

    peaks: dict[str, float] = field(default_factory=dict)
    sum_peak: float = 0.0
    now: dict[str, float] = field(default_factory=dict)

    @property
    def total_now(self) -> float:
        """The group's resident memory at the last sample."""
        return sum(self.now.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "sum_peak_mb": round(self.sum_peak, 1),
            "process_peak_mb": self.peaks,
            "process_now_mb": self.now,
        }


class _Sampler:
    """Samples the resident memory of a process and its children every ``every`` seconds."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        self.root = root
        self.every = every
        self.memory = Memory()
        self._names: dict[int, str] = {root: "serve"}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self.memory

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def sample(self) -> None:
        """Take one sample now."""
        now: dict[str, float] = {}
        for pid in [self.root, *_children(self.root)]:
            status = _status(pid)
            if not status:
                continue
            if pid not in self._names:
                role = "web" if _is_web_process(pid) else "worker"
                count = sum(name.startswith(role) for name in self._names.values())
                self._names[pid] = f"{role} {count + (2 if role == 'web' else 1)}"
            name = self._names[pid]
            now[name] = round(_kb(status, "VmRSS") / 1024, 1)
            peak = _kb(status, "VmHWM") / 1024
            self.memory.peaks[name] = round(max(self.memory.peaks.get(name, 0.0), peak), 1)
        self.memory.now = now
        self.memory.sum_peak = max(self.memory.sum_peak, sum(now.values()))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()


def _sample(pid: int) -> Memory:
    """The resident memory of ``pid`` and its children, now."""
    sampler = _Sampler(pid)
    sampler.sample()
    return sampler.memory


def _program() -> list[str]:
    return [sys.executable, "-m", "cardscan"]


def _account(data: Path) -> tuple[int, str]:
    """A user and an API token in a new data directory."""
    from cardscan.store import Store

    with Store.open(data) as store:
        store.users.password_cost = 2**10  # a benchmark account: no need for a costly hash
        user = store.users.add("bench", "a benchmark password, never used")
        token = store.users.create_api_token(user.id, "bench")
    return user.id, token


def _counts(data: Path) -> dict[str, int]:
    from cardscan.store import Store

    with Store.open(data, migrate=False) as store:
        return store.cards.queue_counts()


def _wait_read(data: Path, total: int, timeout: float) -> bool:
    """Wait until ``total`` cards are done or failed; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = _counts(data)
        if counts["done"] + counts["failed"] >= total:
            return True
        time.sleep(0.2)
    return False


# --- a server under upload load -------------------------------------------------------------


@dataclass
class ServeReport:
    """What :func:`serve_under_load` measured."""

    workers: int
    idle: Memory
    load: LoadReport
    under_load: Memory
    drained_seconds: float | None = None
    #: Right after the first card was read, the engines still loaded (``idle`` is once
    #: the workers have been idle for ``ocr_idle_seconds``).
    loaded: Memory | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "workers": self.workers,
            "idle": self.idle.to_dict(),
            "idle_engines_loaded": self.loaded.to_dict() if self.loaded else None,
            "load": self.load.to_dict(),
            "under_load": self.under_load.to_dict(),
            "drained_seconds": self.drained_seconds,
        }

    def summary(self) -> str:
        """A few readable lines."""
        drained = (
            f"all {self.load.acknowledged + 1} cards read {self.drained_seconds:.0f} s after"
            " the first upload"
            if self.drained_seconds is not None
            else "OCR not waited for"
        )
        return "\n".join(
            [
                self.load.summary(),
                f"serve + {self.workers} OCR workers, resident memory (MB): idle"
                f" {self.idle.total_now:.0f} in all {self.idle.now}"
                + (
                    f" (engines loaded: {self.loaded.total_now:.0f} {self.loaded.now})"
                    if self.loaded
                    else ""
                )
                + f"; under load (peak) {self.under_load.sum_peak:.0f} in all"
                f" {self.under_load.peaks}",
                drained,
            ]
        )


def serve_under_load(
    photos: Sequence[bytes],
    *,
    clients: int = 20,
    uploads: int = 5,
    workers: int = 0,
    wait_for_ocr: bool = True,
) -> ServeReport:
    """Start ``cardscan serve`` in a throw-away data directory and load it.

    Args:
        photos: card photos (JPEG bytes) the clients upload in turn.
        clients: concurrent clients (as ``cardscan load-test``).
        uploads: uploads per client.
        workers: OCR worker processes (0: the server's default, cores - 1).
        wait_for_ocr: after the uploads, wait for the OCR of every card (memory under load
            is sampled until then).

    Raises:
        ValidationError: no photos, or the server did not start.
    """
    if not photos:
        raise ValidationError("no card photos: give --photos DIR with JPEG files.")
    with tempfile.TemporaryDirectory(prefix="cardscan-bench-") as tmp:
        data = Path(tmp) / "data"
        _user, token = _account(data)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARDSCAN_")}
        env["CARDSCAN_OCR_IDLE_SECONDS"] = str(IDLE_SECONDS)
        if workers:
            env["CARDSCAN_OCR_WORKERS"] = str(workers)
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [*_program(), "--data", str(data), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_up(url, server, Path(tmp) / "serve.log")
            # The workers have loaded their engines and read one card; then, idle for
            # ocr_idle_seconds, they let go of them (ocrworkers._start_afresh).
            run_load(url, token, [distinct_photo(photos[0], "warm-up")], clients=1, uploads=1)
            if not _wait_read(data, 1, 300):
                raise ValidationError("the first card was not read within 5 minutes.")
            time.sleep(1.0)
            count = len(_workers(server.pid))
            loaded = _sample(server.pid)
            time.sleep(IDLE_SECONDS + 5.0)
            idle = _sample(server.pid)
            started = time.monotonic()
            with _Sampler(server.pid) as under_load:
                report = run_load(url, token, photos, clients=clients, uploads=uploads)
                drained = None
                if wait_for_ocr and _wait_read(data, report.acknowledged + 1, MAX_WAIT):
                    drained = time.monotonic() - started
            return ServeReport(count, idle, report, under_load, drained, loaded)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()


def _wait_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    import http.client

    host, port = url.split("//")[1].split(":")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ValidationError(f"the server exited: {log.read_text()[-1500:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(host, int(port), timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise ValidationError("the server did not answer within 2 minutes.")


# --- OCR worker throughput ----------------------------------------------------------------------


@dataclass
class ThroughputRun:
    """N cards read by K worker processes."""

    workers: int
    cards: int
    seconds: float
    cpu_seconds: float
    failed: int = 0

    @property
    def per_minute(self) -> float:
        """Cards read a minute."""
        return 60 * self.cards / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "workers": self.workers,
            "cards": self.cards,
            "seconds": round(self.seconds, 2),
            "cards_per_minute": round(self.per_minute, 1),
            "cpu_seconds_per_card": round(self.cpu_seconds / max(1, self.cards), 3),
            "failed": self.failed,
        }


def worker_throughput(
    photos: Sequence[bytes],
    *,
    cards: int,
    workers: Sequence[int] = (1, 2),
    queue_url: str = "",
) -> list[ThroughputRun]:
    """Read ``cards`` cards with each number of ``cardscan worker`` processes in turn.

    Each run gets a fresh data directory (and an emptied Redis queue). The workers load
    their engines and read one card each first; the clock runs from queueing the cards to
    the last one read. CPU is the workers' own (user + system).

    Args:
        photos: card photos (JPEG bytes), used in turn (each card distinct).
        cards: cards per run (1..2000).
        workers: the worker counts to run, e.g. (1, 2).
        queue_url: a Redis URL; empty for the SQLite queue file.

    Raises:
        ValidationError: no photos, or bounds exceeded.
    """
    from cardscan.ocrqueue import CardQueue
    from cardscan.settings import load_settings
    from cardscan.store import Store

    if not photos:
        raise ValidationError("no card photos: give --photos DIR with JPEG files.")
    if not 1 <= cards <= 2000 or not workers or not all(1 <= k <= 64 for k in workers):
        raise ValidationError("give 1..2000 cards and worker counts of 1..64.")
    runs = []
    for count in workers:
        with tempfile.TemporaryDirectory(prefix="cardscan-bench-") as tmp:
            data = Path(tmp) / "data"
            user_id, _token = _account(data)
            settings = load_settings({"data": str(data), "queue_url": queue_url}, environ={})
            queue = CardQueue.open(settings)
            queue.clear()
            env = {k: v for k, v in os.environ.items() if not k.startswith("CARDSCAN_")}
            env["CARDSCAN_QUEUE_URL"] = queue_url
            # as serve gives its workers: the cores shared out (ocrworkers.Supervisor)
            env["CARDSCAN_OCR_THREADS"] = str(max(1, available_cores() // count))
            procs = [
                subprocess.Popen(
                    [*_program(), "--data", str(data), "worker", "--exit-with", str(os.getpid())],
                    env=env,
                    stdin=subprocess.DEVNULL,
                )
                for _ in range(count)
            ]
            try:
                with Store.open(data) as store:
                    warm = [
                        store.cards.add(user_id, distinct_photo(photos[i % len(photos)], f"w{i}"))
                        for i in range(count)
                    ]
                    queue.submit([(c.id, c.turn) for c, _ in warm])
                if not _wait_read(data, count, 600):
                    raise ValidationError("the workers did not read a first card in 10 minutes.")
                with Store.open(data) as store:
                    batch = [
                        store.cards.add(user_id, distinct_photo(photos[i % len(photos)], f"c{i}"))
                        for i in range(cards)
                    ]
                cpu_before = sum(_cpu_seconds(p.pid) for p in procs)
                started = time.monotonic()
                queue.submit([(c.id, c.turn) for c, _ in batch])
                if not _wait_read(data, count + cards, MAX_WAIT):
                    raise ValidationError(f"{cards} cards were not read in {MAX_WAIT:.0f} s.")
                seconds = time.monotonic() - started
                cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu_before
                runs.append(ThroughputRun(count, cards, seconds, cpu, _counts(data)["failed"]))
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    try:
                        proc.wait(30)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                queue.close()
    return runs
