"""``cardscan doctor`` over real sockets: the app at base_url, a proxy in front, certificates."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from cardscan.doctor.network import check_reachable, check_tls
from cardscan.settings import Settings, load_settings
from web import create_app
from web.server import make_server


def _messages(check) -> str:
    return " | ".join(f"{p.message} FIX {p.fix}" for p in check.problems)


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    """A test authority, two certificates for 127.0.0.1 it signed (60 and 5 days), and a
    self-signed one."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
        "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"), "-subj", "/CN=doctor test CA",
    )  # fmt: skip
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name, days in (("long", "60"), ("short", "5")):
        _openssl(
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / f"{name}.key"),
            "-out", str(d / f"{name}.csr"), "-subj", "/CN=127.0.0.1",
        )  # fmt: skip
        _openssl(
            "x509", "-req", "-in", str(d / f"{name}.csr"), "-CA", str(d / "ca.pem"),
            "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-days", days,
            "-extfile", str(d / "san.ext"), "-out", str(d / f"{name}.pem"),
        )  # fmt: skip
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
        "-keyout", str(d / "self.key"), "-out", str(d / "self.pem"), "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    return {p.stem if p.suffix == ".pem" else p.name: p for p in d.iterdir()}


@contextlib.contextmanager
def _serving(settings: Settings, cert: Path | None = None, key: Path | None = None):
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
def _proxy(upstream: str, *, forwarded: bool, status: int | None = None) -> Iterator[int]:
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


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def settings(tmp_path) -> Settings:
    return load_settings({"data": str(tmp_path / "data")}, environ={})


def test_reached_directly(settings):
    with _serving(settings) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert check.ok, _messages(check)
    assert f"seen by the app as {url}/" in check.found


def test_nothing_listens_at_base_url(settings):
    url = f"http://127.0.0.1:{_closed_port()}"
    check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert "connection was refused" in _messages(check)


def test_base_url_host_does_not_resolve(settings):
    check = check_reachable(replace(settings, base_url="https://cards.invalid"), timeout=5)
    assert "does not resolve" in _messages(check)


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404"), (502, "cannot reach cardscan")])
def test_something_else_answers(settings, status, words):
    with _proxy("http://127.0.0.1:9", forwarded=False, status=status) as port:
        check = check_reachable(replace(settings, base_url=f"http://localhost:{port}"), timeout=5)
    assert words in _messages(check) and "not cardscan's health answer" in _messages(check)


def test_proxy_that_drops_the_forwarded_headers(settings):
    with _serving(settings) as url, _proxy(url, forwarded=False) as port:
        base = f"http://localhost:{port}"
        check = check_reachable(replace(settings, base_url=base), timeout=5)
    assert f"the app sees requests to {base} as {url}/" in _messages(check)
    assert "X-Forwarded-Proto and X-Forwarded-Host" in _messages(check)


def test_proxy_that_passes_the_headers_to_an_app_that_trusts_them(settings):
    trusting = replace(settings, behind_proxy=True)
    with _serving(trusting) as url, _proxy(url, forwarded=True) as port:
        base = f"http://localhost:{port}"
        check = check_reachable(replace(trusting, base_url=base), timeout=5)
    assert check.ok, _messages(check)


def test_untrusted_certificate(settings, pki):
    with _serving(settings, pki["self"], pki["self.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert url.startswith("https://")
    assert "certificate this machine does not trust" in _messages(check)


def test_certificate_about_to_end(settings, pki, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(pki["ca"]))  # this machine trusts the test CA
    with _serving(settings, pki["long"], pki["long.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert check.ok, _messages(check)
    assert "certificate valid 60 more days" in check.found or "valid 59 more" in check.found
    with _serving(settings, pki["short"], pki["short.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert "the certificate of" in _messages(check) and "ends in" in _messages(check)


def test_tls_files(settings, pki):
    good = replace(
        settings, host="0.0.0.0", tls_cert=str(pki["long"]), tls_key=str(pki["long.key"])
    )
    assert check_tls(good).ok
    assert "only one of tls_cert and tls_key" in _messages(check_tls(replace(good, tls_key="")))
    missing = replace(good, tls_key=str(pki["long"].parent / "nope.pem"))
    assert "does not exist" in _messages(check_tls(missing))
    mismatched = replace(good, tls_key=str(pki["short.key"]))
    assert "cannot be used with the key" in _messages(check_tls(mismatched))


def test_waitress_passes_the_proxy_headers_when_behind_a_proxy(settings):
    # Waitress strips X-Forwarded-* unless told otherwise: behind_proxy must reach ProxyFix.
    for trusting, seen in ((True, "https://cards.example.org/"), (False, None)):
        with _serving(replace(settings, behind_proxy=trusting)) as url:
            conn = http.client.HTTPConnection(url.split("://")[1], timeout=5)
            conn.request(
                "GET",
                "/healthz",
                headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cards.example.org"},
            )
            answer = json.loads(conn.getresponse().read())
            conn.close()
        assert answer["url"] == (seen or f"{url}/")


@pytest.mark.slow
def test_serve_prints_the_quick_checks_at_start(tmp_path):
    from hardening import serving

    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    with serving(data) as server:
        log = server.log.read_text()
    assert "WARN  Data directory" in log and f"chmod -R go= {data}" in log
    assert "Run `cardscan doctor` for the full check." in log
    assert log.index("WARN  Data directory") < log.index("cardscan serving")
