"""https keeps answering while slow clients hold connections open (``cardscan serve --cert``).

A slow client trickles its request headers (one line every 4 s) or never even starts the TLS
handshake; a server that gives each connection a thread until its headers are in, or that
shakes hands in its accept loop, stops answering everyone. The server runs as the real
``cardscan serve`` command in its own process.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.hardening import unchecked_tls

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 12


@pytest.fixture(scope="module")
def https_serve(tmp_path_factory, self_signed):
    """``cardscan serve --cert --key`` on a free port; yields its port."""
    folder = tmp_path_factory.mktemp("serve")
    cert, key = self_signed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "cardscan", "--data", str(folder / "d"), "serve",
         "--port", str(port), "--cert", str(cert), "--key", str(key)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while _get(port, timeout=2) != 200:
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _get(port: int, timeout: float) -> int | None:
    """A normal request for the login page; its status, or None when it did not answer."""
    try:
        with urllib.request.urlopen(
            f"https://127.0.0.1:{port}/login", context=unchecked_tls(), timeout=timeout
        ) as r:
            return r.status
    except OSError:
        return None


def _trickle(port: int, until: float) -> None:
    """Shake hands, then send the request line and one header line every 4 s."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with unchecked_tls().wrap_socket(raw) as tls:
            tls.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            line = 0
            while time.monotonic() < until:
                time.sleep(4)
                tls.sendall(b"X-Slow-%d: a\r\n" % line)
                line += 1


def _silent(port: int, until: float) -> None:
    """Open a TCP connection and never send a TLS ClientHello."""
    with socket.create_connection(("127.0.0.1", port), timeout=30):
        while time.monotonic() < until:
            time.sleep(0.2)


def _hold(target, port: int) -> tuple[list[threading.Thread], float]:
    until = time.monotonic() + 6  # past the normal request (at 1.5 s, answered within 2)
    threads = [
        threading.Thread(target=target, args=(port, until), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every slow client is connected and holding on
    return threads, until


@pytest.mark.slow
@pytest.mark.parametrize("slow", [_trickle, _silent], ids=["trickling headers", "no handshake"])
def test_a_normal_request_is_answered_while_12_slow_tls_clients_hang_on(https_serve, slow):
    threads, _ = _hold(slow, https_serve)
    started = time.monotonic()
    status = _get(https_serve, timeout=10)
    took = time.monotonic() - started
    assert status == 200 and took < 2.0, f"answered {status} after {took:.1f} s"
    assert all(t.is_alive() for t in threads)  # the slow ones were still there throughout
    for thread in threads:
        thread.join(timeout=20)
