"""A bounded load test: N phone-like clients upload card photos to a cardscan server.

Loopback only (it refuses any other host), bounded in clients, uploads and time, and it
stops by itself. Each client uploads its photos one after another through the JSON API
(``POST /api/cards`` with a Bearer token and a fresh upload UUID), as the app's queue does.
Each upload is a distinct capture: a few bytes after the JPEG's end marker make every photo's
content hash new (decoders ignore them), so each one is a new card for the OCR queue.

The report gives acknowledged latency (p50/p95), uploads per second, the OCR throughput
(cards read per minute while the test ran, from the server's own card list) and the errors
by kind ("database is locked" is counted on its own).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import ssl
import statistics
import struct
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cardscan.errors import ValidationError

MAX_CLIENTS = 32
MAX_UPLOADS = 100
MAX_DURATION = 600.0
LOCKED = "database is locked"


@dataclass
class LoadReport:
    """What a load test measured."""

    clients: int
    uploads_per_client: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    cards_done: int = 0
    stopped_by_time: bool = False
    #: The server's own account of each acknowledged upload (its ``Server-Timing`` header):
    #: name (app, cpu, lock, commit, queue) -> seconds, one entry per upload.
    server: dict[str, list[float]] = field(default_factory=dict)

    @property
    def acknowledged(self) -> int:
        """Uploads answered 200/202."""
        return len(self.latencies)

    def percentile(self, q: float, values: Sequence[float] | None = None) -> float:
        """A percentile in seconds of the latencies (or of ``values``); 0 when empty."""
        values = self.latencies if values is None else values
        if not values:
            return 0.0
        if len(values) == 1:
            return values[0]
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return cuts[max(0, min(98, round(q * 100) - 1))]

    def server_ms(self) -> dict[str, tuple[float, float]]:
        """p50 and p95 in ms of each part of the server's own time for an upload."""
        return {
            name: (self.percentile(0.5, values) * 1000, self.percentile(0.95, values) * 1000)
            for name, values in self.server.items()
        }

    @property
    def uploads_per_second(self) -> float:
        """Acknowledged uploads per second of wall time."""
        return self.acknowledged / self.seconds if self.seconds else 0.0

    @property
    def ocr_per_minute(self) -> float:
        """Cards the server finished reading per minute while the test ran."""
        return 60 * self.cards_done / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """A few readable lines."""
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items())) or "none"
        stopped = " (stopped by --duration)" if self.stopped_by_time else ""
        lines = [
            f"clients {self.clients} x uploads {self.uploads_per_client} in"
            f" {self.seconds:.1f} s{stopped}",
            f"acknowledged {self.acknowledged}: p50 {self.percentile(0.5) * 1000:.0f} ms,"
            f" p95 {self.percentile(0.95) * 1000:.0f} ms,"
            f" {self.uploads_per_second:.2f} uploads/s",
            f"OCR: {self.cards_done} cards read while it ran, {self.ocr_per_minute:.1f} cards/min",
            f"errors: {errors}",
        ]
        if self.server:
            parts = (f"{k} {p50:.1f}/{p95:.1f}" for k, (p50, p95) in self.server_ms().items())
            lines.append("in the server (ms, p50/p95): " + ", ".join(parts))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "clients": self.clients,
            "uploads_per_client": self.uploads_per_client,
            "seconds": round(self.seconds, 2),
            "acknowledged": self.acknowledged,
            "p50_ms": round(self.percentile(0.5) * 1000, 1),
            "p95_ms": round(self.percentile(0.95) * 1000, 1),
            "uploads_per_second": round(self.uploads_per_second, 2),
            "cards_done": self.cards_done,
            "ocr_per_minute": round(self.ocr_per_minute, 1),
            "errors": dict(self.errors),
            "stopped_by_time": self.stopped_by_time,
            "server_ms": {
                name: {"p50": round(p50, 2), "p95": round(p95, 2)}
                for name, (p50, p95) in self.server_ms().items()
            },
        }


def check_loopback(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of a loopback URL.

    Raises:
        ValidationError: not http(s), or the host is not a loopback address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"--url {url!r} must look like http://127.0.0.1:8000.")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # No name lookups: only "localhost" or a literal address, which must be loopback.
    if host.lower() != "localhost":
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is None or not address.is_loopback:
            raise ValidationError(
                f"the load test only runs against this machine: {host!r} is not a loopback"
                " address. Use --url http://127.0.0.1:PORT (or localhost, or [::1])."
            )
    return parts.scheme, host, port


def distinct_photo(photo: bytes, tag: str) -> bytes:
    """The JPEG with a tag, so its content hash (and card) is new: in a JFIF APP0 segment
    right after the start marker, which decoders skip and the store keeps (bytes after the
    end of the image, or a comment, are dropped with the metadata when a photo is stored).
    """
    body = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + tag.encode("ascii")
    return photo[:2] + b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body + photo[2:]


def _upload(photo: bytes, client_uuid: str, form: bool) -> tuple[str, bytes, str]:
    """(path, body, content type) of an upload: the photo as the body with its upload id
    in the query string, as the app's uploader sends it, or with ``form`` a multipart form
    (scripts, curl -F)."""
    if form:
        return ("/api/cards", *_multipart(photo, client_uuid))
    return f"/api/cards?uuid={client_uuid}", photo, "image/jpeg"


def _multipart(photo: bytes, client_uuid: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="uuid"\r\n\r\n{client_uuid}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="card.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + photo + f"\r\n--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


class _Client:
    """One phone: a keep-alive connection, reopened after an error."""

    def __init__(self, scheme: str, host: str, port: int, token: str, timeout: float) -> None:
        self.scheme, self.host, self.port = scheme, host, port
        self.token = token
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.timing: dict[str, float] = {}  # the last response's Server-Timing, in seconds

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            if self.scheme == "https":
                # Loopback only: a self-signed certificate is expected here.
                context = ssl._create_unverified_context()  # noqa: S323
                self.conn = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def call(
        self, method: str, path: str, body: bytes | None = None, ctype: str | None = None
    ) -> tuple[int, bytes]:
        """One request; returns (status, body)."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if ctype:
            headers["Content-Type"] = ctype
        conn = self._connect()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        self.timing = server_timing(response.getheader("Server-Timing", ""))
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, data

    def close(self) -> None:
        """Drop the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def server_timing(header: str) -> dict[str, float]:
    """A ``Server-Timing`` header (``cpu;dur=8.1, lock;dur=0.2``) as name -> seconds."""
    spent = {}
    for metric in header.split(","):
        name, _, params = metric.strip().partition(";")
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "dur" and name:
                with contextlib.suppress(ValueError):
                    spent[name] = float(value) / 1000
    return spent


def _error_kind(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if LOCKED in text.lower():
        return LOCKED
    try:
        message = str(json.loads(text).get("error", ""))[:60]
    except (ValueError, AttributeError):
        message = ""
    return f"http {status}" + (f": {message}" if message else "")


def _cards_done(client: _Client) -> int:
    try:
        status, body = client.call("GET", "/api/cards")
    except OSError as e:
        raise ValidationError(
            f"cannot reach the server at {client.host}:{client.port} ({e}): start it with"
            " `cardscan serve` or fix --url."
        ) from e
    if status != 200:
        raise ValidationError(
            f"GET /api/cards answered {status}: check --token (`cardscan token create NAME`)."
        )
    return sum(1 for card in json.loads(body)["cards"] if card["status"] == "done")


def run_load(
    url: str,
    token: str,
    photos: Sequence[bytes],
    *,
    clients: int = 4,
    uploads: int = 5,
    duration: float = 60.0,
    pause: float = 0.0,
    timeout: float = 30.0,
    form: bool = False,
) -> LoadReport:
    """Run the load test and return what it measured.

    Args:
        url: the server, on this machine (e.g. ``http://127.0.0.1:8000``).
        token: an API token (``cardscan token create NAME``).
        photos: card photos (JPEG bytes); clients take them in turn.
        clients: concurrent clients (1..32).
        uploads: uploads per client (1..100).
        duration: stop starting new uploads after this many seconds (at most 600).
        pause: seconds each client waits between its uploads (a person snapping cards).
        timeout: seconds one request may take.
        form: send each photo as a multipart form, not as the request body (the app's way).

    Returns:
        Latencies of acknowledged uploads, errors by kind and the OCR throughput.

    Raises:
        ValidationError: a non-loopback URL, bounds exceeded, no photos, or a bad token.
    """
    scheme, host, port = check_loopback(url)
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValidationError(f"--clients {clients} must be between 1 and {MAX_CLIENTS}.")
    if not 1 <= uploads <= MAX_UPLOADS:
        raise ValidationError(f"--uploads {uploads} must be between 1 and {MAX_UPLOADS}.")
    if not 0 < duration <= MAX_DURATION:
        raise ValidationError(f"--duration {duration} must be between 0 and {MAX_DURATION:.0f}.")
    if not 0 <= pause <= 60:
        raise ValidationError(f"--pause {pause} must be between 0 and 60 seconds.")
    if not photos:
        raise ValidationError("no card photos to upload: give --photos DIR with JPEG files.")

    probe = _Client(scheme, host, port, token, timeout)
    done_before = _cards_done(probe)
    report = LoadReport(clients=clients, uploads_per_client=uploads)
    lock = threading.Lock()
    run_tag = uuid.uuid4().hex[:12]
    started = time.monotonic()
    deadline = started + duration

    def phone(index: int) -> None:
        client = _Client(scheme, host, port, token, timeout)
        try:
            for n in range(uploads):
                if n and pause:
                    time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                if time.monotonic() >= deadline:
                    with lock:
                        report.stopped_by_time = True
                    return
                photo = distinct_photo(photos[(index + n) % len(photos)], f"{run_tag}-{index}-{n}")
                path, body, ctype = _upload(photo, str(uuid.uuid4()), form)
                t0 = time.monotonic()
                try:
                    status, data = client.call("POST", path, body, ctype)
                except (OSError, http.client.HTTPException) as e:
                    with lock:
                        report.errors[type(e).__name__] += 1
                    continue
                elapsed = time.monotonic() - t0
                with lock:
                    if status in (200, 202):
                        report.latencies.append(elapsed)
                        for name, seconds in client.timing.items():
                            report.server.setdefault(name, []).append(seconds)
                    else:
                        report.errors[_error_kind(status, data)] += 1
        finally:
            client.close()

    threads = [
        threading.Thread(target=phone, args=(i,), name=f"load-{i}", daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, deadline + timeout - time.monotonic()))
    report.seconds = time.monotonic() - started
    report.cards_done = _cards_done(probe) - done_before
    probe.close()
    return report


def load_photos(folder: str | Path) -> list[bytes]:
    """The JPEG photos in a folder (sorted by name).

    Raises:
        ValidationError: the folder holds no .jpg/.jpeg files.
    """
    paths = sorted(
        p for p in Path(folder).glob("*") if p.suffix.lower() in (".jpg", ".jpeg") and p.is_file()
    )
    if not paths:
        raise ValidationError(f"no .jpg photos in {str(folder)!r}: give --photos DIR.")
    return [p.read_bytes() for p in paths]
