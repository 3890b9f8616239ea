"""Helpers for the hardening tests (issue 6): a real ``cardscan serve`` subprocess, raw HTTP,
and before/after snapshots of everything stored (database rows and photo files).

Not a conftest: the tests import what they need, so this file merges cleanly with the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import json
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"

#: A server started with this launcher (a module, run from ``ROOT``) reads cards with a slow
#: fake reader (system edge) or, asked for, the real pipeline.
LAUNCHER = "tests.support.serve_launcher"


def pipeline_available() -> bool:
    """True once the OCR pipeline (``cardscan.reading.pipeline``) is merged."""
    try:
        import cardscan.reading.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


# --- snapshots ----------------------------------------------------------------------------


@dataclass
class Snapshot:
    """Every table's rows (as sorted tuples) and every photo file's sha256."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    photos: dict[str, str] = field(default_factory=dict)


def snapshot(data_dir: Path) -> Snapshot:
    """Read everything stored in a data directory (a separate read-only connection)."""
    snap = Snapshot()
    db = data_dir / "cardscan.db"
    if db.exists():
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            tables = [
                r[0]
                for r in conn.execute(
                    "select name from sqlite_master where type = 'table' "
                    "and name not like 'sqlite_%' and sql not like '%VIRTUAL TABLE%'"
                )
            ]
            for table in tables:
                rows = conn.execute(f'select * from "{table}"').fetchall()
                snap.rows[table] = sorted(rows, key=repr)
        finally:
            conn.close()
    photos = data_dir / "photos"
    if photos.is_dir():
        for path in photos.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                snap.photos[str(path.relative_to(photos))] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return snap


def assert_unchanged(before: Snapshot, after: Snapshot, *, ignore: tuple[str, ...] = ()) -> None:
    """Nothing stored was added, changed or removed (tables in ``ignore`` aside)."""
    assert after.photos == before.photos
    for table in (set(before.rows) | set(after.rows)) - set(ignore):
        assert after.rows.get(table, []) == before.rows.get(table, []), table


def assert_kept(before: Snapshot, after: Snapshot) -> None:
    """Everything stored before is still there: photos byte-identical, no row removed."""
    for name, digest in before.photos.items():
        assert after.photos.get(name) == digest, name
    for table, rows in before.rows.items():
        assert len(after.rows.get(table, [])) >= len(rows), table


# --- HTTP -----------------------------------------------------------------------------------


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def unchecked_tls() -> ssl.SSLContext:
    """TLS for a test server's self-signed certificate: its name and issuer are not checked."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def request(
    url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: tuple[bytes, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """One HTTP or HTTPS request with http.client; returns (status, body).

    ``body`` is the bytes and their content type, as :func:`multipart` makes them.
    """
    scheme, address = url.split("://", 1)
    host, port = address.split(":")
    conn = (
        http.client.HTTPSConnection(host, int(port), timeout=timeout, context=unchecked_tls())
        if scheme == "https"
        else http.client.HTTPConnection(host, int(port), timeout=timeout)
    )
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body:
        headers["Content-Type"] = body[1]
    try:
        conn.request(method, path, body=body[0] if body else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def upload(url: str, token: str, photo: bytes, *, client_uuid: str | None = None) -> int:
    """POST /api/cards with a Bearer token; returns the status (202 new, 200 already there)."""
    fields = {"uuid": client_uuid} if client_uuid else {}
    body = multipart(fields, {"photo": ("card.jpg", photo)})
    return request(url, "POST", "/api/cards", token=token, body=body)[0]


def get_json(url: str, path: str, token: str) -> Any:
    """GET a JSON API path with a Bearer token."""
    status, body = request(url, "GET", path, token=token)
    assert status == 200, (status, body[:300])
    return json.loads(body)


# --- a real server in a subprocess ------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(data_dir: Path, *args: str, stdin: str | None = None, timeout: float = 60) -> str:
    """Run ``python -m cardscan --data DIR ARGS`` and return its stdout (fails on non-zero)."""
    done = subprocess.run(
        [sys.executable, "-m", "cardscan", "--data", str(data_dir), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARDSCAN_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def make_account(data_dir: Path, name: str = "ana") -> str:
    """Create a user through the CLI and return a fresh API token for it."""
    cli(data_dir, "user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    return cli(data_dir, "token", "create", "tests", "--user", name).strip()


@dataclass
class ServerProcess:
    """A ``cardscan serve`` subprocess on 127.0.0.1."""

    data_dir: Path
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> dict[int, bytes]:
        """The processes the server started, with their command lines. A thread or a child
        that ends while we look is skipped: ``/proc`` changes under the reader."""
        found: dict[int, bytes] = {}
        with contextlib.suppress(FileNotFoundError):
            for task in os.listdir(f"/proc/{self.proc.pid}/task"):
                with contextlib.suppress(FileNotFoundError):
                    with open(f"/proc/{self.proc.pid}/task/{task}/children") as f:
                        for child in f.read().split():
                            with contextlib.suppress(FileNotFoundError):
                                with open(f"/proc/{child}/cmdline", "rb") as cmd:
                                    found[int(child)] = cmd.read()
        return found

    def web_processes(self) -> set[int]:
        """The other web processes (``web.processes``), started with ``--listen-fd``."""
        return {pid for pid, cmd in self.children().items() if b"--listen-fd" in cmd}

    def ocr_workers(self) -> set[int]:
        """The OCR worker processes."""
        return {pid for pid, cmd in self.children().items() if b"--listen-fd" not in cmd}

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as in a crash or an OOM kill."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGINT (Ctrl+C), then wait; SIGKILL if it hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(
    data_dir: Path,
    *,
    port: int | None = None,
    workers: int = 1,
    web_processes: int = 1,
    fake_seconds: float | str = 0.4,
    real_ocr: bool = False,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> ServerProcess:
    """Start the server (with its OCR worker processes) and wait until it answers.

    ``real_ocr`` reads with the configured engine; otherwise the real pipeline runs with the
    fake engine (``tests.support.fake_engine``) taking ``fake_seconds`` per card (or
    ``"tesseract"``: the real Tesseract engine as the load).
    ``env`` adds variables (settings such as ``CARDSCAN_QUEUE_URL``), ``args`` options of
    ``serve`` (``--no-workers``). One web process unless ``web_processes`` says (a second
    costs each test's server a second start; tests/test_web_processes.py runs two).
    """
    port = port or free_port()
    log = data_dir.parent / f"serve-{port}-{time.monotonic_ns()}.log"
    env = _env(
        CARDSCAN_OCR_WORKERS=str(workers),
        CARDSCAN_WEB_PROCESSES=str(web_processes),
        CARDSCAN_FAKE_READ_SECONDS=str(fake_seconds),
        CARDSCAN_TEST_READER="real" if real_ocr else "fake",
        **(env or {}),
    )
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                LAUNCHER,
                "--data",
                str(data_dir),
                "serve",
                "--port",
                str(port),
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(data_dir, port, proc, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited {proc.returncode}: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if request(server.url, "GET", "/login", timeout=2)[0] == 200:
                return server
        time.sleep(0.2)
    server.kill()
    raise AssertionError(f"server did not answer in 60 s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def serving(data_dir: Path, **kwargs: Any) -> Iterator[ServerProcess]:
    """A started server, stopped (or killed) at the end."""
    server = start_server(data_dir, **kwargs)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()


def wait_for(what: Any, timeout: float = 60.0, step: float = 0.05) -> Any:
    """Call ``what`` until it returns something true, and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (value := what()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(step)
    return value


def wait_until_read(url: str, token: str, ids: set[int], timeout: float) -> dict[int, dict]:
    """Poll /api/cards until every card in ids is done or failed (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        cards = {c["id"]: c for c in get_json(url, "/api/cards", token)["cards"]}
        if all(cards.get(i, {}).get("status") in ("done", "failed") for i in ids):
            return cards
        if time.monotonic() > deadline:
            return cards
        time.sleep(0.5)


def sample_photos(limit: int | None = None) -> list[bytes]:
    """The committed sample card photos' bytes."""
    images = sorted((ROOT / "sample_cards" / "images").glob("*.jpg"))
    return [p.read_bytes() for p in images[:limit]]


# --- the app in-process (Flask test client) ---------------------------------------------------


def make_app(data_dir: Path, **settings: Any) -> Any:
    """The real app on a data dir, CSRF on as in production (cheap password hashing)."""
    from cardscan.settings import load_settings
    from web import create_app

    loaded = load_settings({"data": str(data_dir), **settings}, environ={})
    return create_app({"TESTING": True, "CARDSCAN_SETTINGS": loaded})


def add_users(data_dir: Path, *names: str) -> dict[str, int]:
    """Create accounts (cheap scrypt) and return their ids by name."""
    from tests.support.stores import open_store

    with open_store(data_dir) as store:
        return {name: store.users.add(name, PASSWORD).id for name in names}


def csrf_of(client: Any, path: str = "/login") -> str:
    """The CSRF token of the client's session (from a page's meta tag)."""
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def logged_in(app: Any, name: str) -> Any:
    """A test client logged in through the form; its CSRF token in ``client.csrf``."""
    client = app.test_client()
    response = client.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.csrf = csrf_of(client, "/capture")
    return client


def error_of(response: Any, status: int | tuple[int, ...]) -> str:
    """Check the JSON error shape {ok: false, error, status} and return the message."""
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.get_data()[:300])
    body = response.get_json()
    assert body is not None, response.get_data()[:300]
    assert body["ok"] is False and body["status"] == response.status_code
    assert isinstance(body["error"], str) and len(body["error"]) > 10
    return body["error"]


def assert_alive(client: Any) -> None:
    """The app still answers (after a bad input)."""
    assert client.get("/api/cards", headers={"Accept": "application/json"}).status_code == 200


def api_upload(client: Any, photo: bytes, filename: str = "card.jpg", **fields: str) -> Any:
    """POST /api/cards through a logged-in test client."""
    data: dict[str, Any] = {"photo": (io.BytesIO(photo), filename, "image/jpeg")}
    data.update(fields)
    return client.post(
        "/api/cards",
        data=data,
        headers={"X-CSRFToken": client.csrf, "Accept": "application/json"},
        content_type="multipart/form-data",
    )
