"""Who is reading a card, and whether that reader still lives.

A worker's claim on a card names its host, process (pid and start time) and thread, so a
claim left by a process that died (or whose pid now belongs to another process) is told
from one still being worked on. Linux gives the start time in ``/proc``; elsewhere
``os.kill(pid, 0)`` says whether the pid exists.
"""

from __future__ import annotations

import os
import socket
import threading


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
