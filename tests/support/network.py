"""Real network pieces for the doctor and deploy tests: a test certificate authority, the app
served in a thread, a small reverse proxy, a closed port."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cardscan.settings import Settings
from web import create_app
from web.server import make_server


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_pki(d: Path) -> dict[str, Path]:
    """A test authority, two certificates for 127.0.0.1 it signed (60 and 5 days), and a
    self-signed one."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
        "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"), "-subj", "/CN=doctor test CA",
    )  # fmt: skip
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name, days in (("long", "60"), ("short", "5")):
        openssl(
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / f"{name}.key"),
            "-out", str(d / f"{name}.csr"), "-subj", "/CN=127.0.0.1",
        )  # fmt: skip
        openssl(
            "x509", "-req", "-in", str(d / f"{name}.csr"), "-CA", str(d / "ca.pem"),
            "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-days", days,
            "-extfile", str(d / "san.ext"), "-out", str(d / f"{name}.pem"),
        )  # fmt: skip
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
        "-keyout", str(d / "self.key"), "-out", str(d / "self.pem"), "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    return {p.stem if p.suffix == ".pem" else p.name: p for p in d.iterdir()}


@contextlib.contextmanager
def serving(settings: Settings, cert: Path | None = None, key: Path | None = None):
    """The real app on a free loopback port, in a thread."""
    app = create_app({"CARDSCAN_SETTINGS": settings, "BEHIND_PROXY": settings.behind_proxy})
    server = make_server(
        app, "127.0.0.1", 0, cert=str(cert) if cert else None, key=str(key) if key else None
    )
    server.start_in_thread()
    try:
        yield server.url
    finally:
        server.stop()


@contextlib.contextmanager
def proxy(upstream: str, *, forwarded: bool, status: int | None = None) -> Iterator[int]:
    """A small reverse proxy on a free port: passes GETs to ``upstream`` with its own Host,
    adding the X-Forwarded-* headers only when ``forwarded`` (or answers ``status`` itself)."""
    up = upstream.split("://", 1)[1]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            if status is not None:
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"<html>Bad Gateway</html>")
                return
            headers = {"Host": up}
            if forwarded:
                headers |= {
                    "X-Forwarded-For": self.client_address[0],
                    "X-Forwarded-Proto": "http",
                    "X-Forwarded-Host": self.headers["Host"],
                }
            conn = http.client.HTTPConnection(up, timeout=10)
            conn.request("GET", self.path, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", "text/plain"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
