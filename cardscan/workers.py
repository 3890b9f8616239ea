"""Who is reading a card, and whether that reader still lives; the cores a process may use,
a thread's CPU priority, a child process that ends with its parent (OCR workers, the
web server's processes), and glibc's malloc tuned for a process that reads photos.

A worker's claim on a card names its host, process (pid and start time) and thread, so a
claim left by a process that died (or whose pid now belongs to another process) is told
from one still being worked on. Linux gives the start time in ``/proc``; elsewhere
``os.kill(pid, 0)`` says whether the pid exists.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

#: A child that exits sooner than this after its start is started again only after a pause.
CRASH_LOOP_SECONDS = 10.0

#: glibc's malloc as a process that reads photos runs it (see :func:`reading_malloc_env`):
#: buffers of 4 MB or more get mappings of their own, handed back when freed, on
#: transparent huge pages.
READING_MALLOC = {"glibc.malloc.mmap_threshold": "4194304", "glibc.malloc.hugetlb": "1"}
_THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def lower_thread_priority(nice: int) -> None:
    """Lower the calling thread's CPU priority by ``nice``; threads it starts inherit it.

    Linux keeps a nice value per thread (``os.nice`` changes the caller's only); elsewhere
    the whole process is lowered.
    """
    if sys.platform != "linux":
        os.nice(nice)
        return
    _lower(threading.get_native_id(), nice)


def lower_other_threads(nice: int) -> None:
    """Lower by ``nice`` the CPU priority of every thread of this process but the caller's
    (threads started on import, such as OpenBLAS's pool, run beside the reading). Linux
    only: elsewhere a priority is the process's (see :func:`lower_thread_priority`)."""
    if sys.platform != "linux":
        return
    me = threading.get_native_id()
    with contextlib.suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            if int(task) != me:
                _lower(int(task), nice)


def _lower(tid: int, nice: int) -> None:
    """Lower thread ``tid``'s CPU priority by ``nice`` (at most to 19; a thread that ended
    meanwhile is left)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))


def process_start(pid: int) -> str:
    """When a process started (clock ticks since boot, from /proc), "" if unknown; with the
    pid it names one process even after the pid is reused. "Z" for a zombie (dead, not yet
    reaped by its parent)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return "Z" if fields[0] in ("Z", "X") else fields[19]


def worker_id() -> str:
    """Who is claiming a card: host, process (pid and start time) and thread."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_start(pid)}:{threading.get_ident()}"


def claim_is_dead(claimed_by: str | None) -> bool:
    """True when the process (or, in this process, the thread) that claimed a card is gone."""
    if not claimed_by:
        return True
    host, _, rest = claimed_by.partition(":")
    pid_text, _, rest = rest.partition(":")
    started, _, thread_text = rest.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: leave it to the stale timeout
    pid = int(pid_text)
    if pid == os.getpid():
        live = {t.ident for t in threading.enumerate()}
        return not thread_text.isdigit() or int(thread_text) not in live
    now_started = process_start(pid)
    if now_started:  # Linux: gone, a zombie, or the pid now belongs to another process
        return now_started == "Z" or (bool(started) and now_started != started)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def exit_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends: at once on Linux (PR_SET_PDEATHSIG), within a
    second elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class KeptProcesses:
    """``count`` child processes kept running: each is started again when it exits (after a
    pause when it keeps dying), and all are stopped with SIGTERM, then SIGKILL.

    Call :meth:`keep` from one long-lived thread: Linux sends a child its parent-death signal
    (``exit_with_parent``) when the *thread* that started it ends.
    """

    def __init__(
        self,
        what: str,
        count: int,
        command: Callable[[], list[str]],
        *,
        env: Callable[[], dict[str, str]] | None = None,
        pass_fds: Sequence[int] = (),
    ) -> None:
        self.what = what  # for the log: "OCR worker", "web process"
        self.command = command
        self.env = env
        self.pass_fds = tuple(pass_fds)
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * count
        self._started = [0.0] * count
        self._not_before = [0.0] * count

    def pids(self) -> list[int]:
        """The running processes' pids."""
        return [p.pid for p in self.processes if p is not None and p.poll() is None]

    def keep(self) -> None:
        """Start every process that is not running (unless it is pausing after a crash)."""
        for i in range(len(self.processes)):
            self._keep(i)

    def _keep(self, i: int) -> None:
        process = self.processes[i]
        now = time.monotonic()
        if process is not None:
            if process.poll() is None:
                return
            log.warning("%s %s (pid %s) exited %s", self.what, i, process.pid, process.returncode)
            self.processes[i] = None
            lived = now - self._started[i]
            self._not_before[i] = now + max(0.0, CRASH_LOOP_SECONDS - lived)
        if now < self._not_before[i]:
            return
        self.processes[i] = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            env=self.env() if self.env else None,
            pass_fds=self.pass_fds,
        )
        self._started[i] = now

    def stop(self, timeout: float) -> None:
        """SIGTERM to each running process; SIGKILL to those still running after ``timeout``."""
        live = [p for p in self.processes if p is not None and p.poll() is None]
        for process in live:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in live:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def reading_malloc_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with :data:`READING_MALLOC` added to ``GLIBC_TUNABLES``, for a process that
    reads photos (``cardscan scan``, OCR workers); unchanged without glibc or transparent
    huge pages, or when ``GLIBC_TUNABLES`` sets any of malloc's own (the user's choice: for
    glibc's defaults, ``GLIBC_TUNABLES=glibc.malloc.hugetlb=0``).

    The text detector's working memory (about 300 MB at 1280 px) is made of tensors of a few
    to 60 MB. glibc by default keeps what they leave (its mmap threshold rises to the
    largest buffer freed), fragmented, so a process's peak grows over the photos it reads
    (``scan`` of the 58 real photos: 727-829 MB). Given back at once instead, each photo's
    tensors are page-faulted in again: on 4 KB pages that costs a quarter more CPU, on huge
    pages far less (figures in docs/scaling.md), hence both tunables together, and nothing
    where huge pages are off.
    """
    env = dict(environ)
    if platform.libc_ver()[0] != "glibc" or not _huge_pages_available():
        return env
    tunables = [t for t in env.get("GLIBC_TUNABLES", "").split(":") if t]
    if any(t.startswith("glibc.malloc.") for t in tunables):
        return env
    tunables += [f"{k}={v}" for k, v in READING_MALLOC.items()]
    env["GLIBC_TUNABLES"] = ":".join(tunables)
    return env


def _huge_pages_available() -> bool:
    """Whether the kernel gives transparent huge pages to a process that asks (``always`` or
    ``madvise``, not ``never``)."""
    try:
        return "[never]" not in _THP.read_text(encoding="ascii")
    except OSError:
        return False


def restart_with_reading_malloc() -> None:
    """Start this ``cardscan`` program again (exec: the same pid, arguments and streams)
    with :func:`reading_malloc_env`, unless it runs with it already.

    glibc reads its tunables only when a process starts. Nothing happens when the caller is
    not the ``cardscan`` program itself (a test calling the CLI in process, an embedding
    application): only its own start can set them.
    """
    env = reading_malloc_env(os.environ)
    if env == dict(os.environ) or not _running_cardscan():
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)


def _running_cardscan() -> bool:
    """Whether this process is the ``cardscan`` program (``python -m cardscan`` or the
    console script), not one that imported it."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "cardscan.__main__":
        return True
    return spec is None and Path(sys.argv[0]).name == "cardscan"
