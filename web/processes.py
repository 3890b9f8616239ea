"""The web server's other processes: copies of ``cardscan serve`` answering on its port.

One Python process answers one request at a time in Python code (the GIL), and an upload
costs it about 10 ms of CPU: twenty phones uploading at once wait for each other. ``serve``
binds its port, then starts ``web_processes - 1`` more processes that answer on the same
listening sockets (inherited file descriptors): the kernel gives each new connection to
whichever process accepts it first, so a busy process leaves it to an idle one. They share
nothing but the data directory (SQLite's locks order their writes) and the secret key file
(sessions and CSRF tokens are good in every process). Each process counts failed logins
itself, so each allows its share of ``login_attempts_per_minute`` (``web.auth``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from cardscan.workers import KeptProcesses, available_cores


def web_process_count(setting: int, cores: int | None = None) -> int:
    """How many processes answer requests: the setting, else two with two cores or more."""
    if setting > 0:
        return setting
    return 2 if (available_cores() if cores is None else cores) >= 2 else 1


class WebProcesses:
    """Run ``count`` copies of the web server on inherited listening sockets, keep them
    running and stop them (SIGTERM: they finish the requests they have).

    Example::

        others = WebProcesses([*program, "serve", "--listen-fd", "5"], fds=[5], count=1)
        others.start()
        ...
        others.stop()
    """

    def __init__(self, command: Sequence[str], *, fds: Sequence[int], count: int) -> None:
        self.command = [*command, "--exit-with", str(os.getpid())]
        self._kept = KeptProcesses("web process", count, lambda: self.command, pass_fds=fds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the processes, from a thread that starts again any that exits."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="web-processes", daemon=True)
        self._thread.start()

    def pids(self) -> list[int]:
        """The running processes' pids."""
        return self._kept.pids()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop keeping them, ask each to stop, and kill those still running after ``timeout``."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._kept.stop(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._kept.keep()
            self._stop.wait(0.5)
