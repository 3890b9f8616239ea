"""Run the app: waitress for plain HTTP, hypercorn for https with ``--cert/--key``.

waitress has no TLS of its own (its maintainers point to a reverse proxy, Pylons/waitress#459).
For ``--cert/--key`` without a proxy (a home server, a LAN with a self-signed certificate) the
app is served by hypercorn on asyncio: TLS handshakes and request headers are read by the event
loop, so clients that trickle their headers or never shake hands cost a coroutine each, not a
thread, and everyone else is still answered. (cheroot, used before, shook hands in its accept
loop and gave each connection a thread until its headers were in: 10 slow clients stopped it.)
The Flask app runs in a2wsgi's bounded thread pool, which streams request bodies, so an upload
over the limit is refused from its Content-Length before it is read. Behind Caddy or nginx,
run plain HTTP with ``--behind-proxy``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from cardscan.errors import BadConfigError
from web.uploads import IN_MEMORY_BODY


@dataclass
class Server:
    """A started WSGI server: its URL, and ``serve_forever``/``stop``."""

    url: str
    _impl: Any
    _kind: str
    #: The listening sockets' file descriptors, for other processes to answer on too.
    fds: list[int] = field(default_factory=list)
    _thread: threading.Thread | None = field(default=None, repr=False)

    _stopping: bool = field(default=False, repr=False)

    def serve_forever(self) -> None:
        """Serve until stopped (blocks)."""
        try:
            self._impl.run()
        except OSError:
            if not self._stopping:  # closing the sockets under the loop is how stop() works
                raise

    def start_in_thread(self) -> Server:
        """Serve from a daemon thread (tests, screenshots)."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="cardscan-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, finish or drop open requests, and return."""
        self._stopping = True
        if self._kind == "waitress":
            self._impl.close()
            self._impl.task_dispatcher.shutdown(timeout=5)
        else:
            self._impl.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)


class _TlsServer:
    """hypercorn on its own asyncio loop, serving the WSGI app through a2wsgi's thread pool."""

    def __init__(self, app: Flask, sock: socket.socket, cert: str, key: str, threads: int):
        from a2wsgi import WSGIMiddleware
        from hypercorn.config import Config

        self._limit = app.config.get("MAX_CONTENT_LENGTH")
        self._wsgi = WSGIMiddleware(app, workers=threads)  # type: ignore[arg-type]
        self._config = Config()
        self._config.bind = [f"fd://{sock.detach()}"]  # bound here, so port 0 and errors work
        self._config.certfile, self._config.keyfile = cert, key
        self._config.ssl_handshake_timeout = 10  # a client that never finishes is dropped
        self._config.read_timeout = 60  # nothing received for a minute: drop the connection
        self._config.keep_alive_timeout = 15
        self._config.accesslog = None
        self._config.errorlog = None  # the app logs its own errors
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Event | None = None

    async def _app(self, scope: Any, receive: Any, send: Any) -> None:
        """Refuse a body over the upload limit from its Content-Length, before reading it."""
        if scope["type"] == "http" and self._limit:
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if length.isdigit() and int(length) > int(self._limit):
                await send({"type": "http.response.start", "status": 413,
                            "headers": [(b"content-type", b"text/plain"),
                                        (b"connection", b"close")]})  # fmt: skip
                await send({"type": "http.response.body", "body": b"Upload too large.\n"})
                return
        await self._wsgi(scope, receive, send)

    def run(self) -> None:
        """Serve until ``stop``."""
        from hypercorn.asyncio import serve

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._done = asyncio.Event()
            await serve(self._app, self._config, shutdown_trigger=self._done.wait, mode="asgi")  # type: ignore[arg-type]

        try:
            asyncio.run(main())
        finally:
            self._loop = None  # Ctrl+C ends asyncio.run and closes the loop

    def stop(self) -> None:
        """Ask the loop to stop (from any thread); nothing to do once it has ended."""
        loop, done = self._loop, self._done
        if loop is not None and done is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(done.set)


def _check_tls_files(cert: str, key: str) -> ssl.SSLContext:
    for name, path in (("--cert", cert), ("--key", key)):
        if not Path(path).is_file():
            raise BadConfigError(f"{name} file {path!r} does not exist: give the PEM file's path.")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as e:
        raise BadConfigError(
            f"cannot use certificate {cert!r} with key {key!r}: {e}. Give a PEM certificate "
            "(chain) and its unencrypted private key."
        ) from e
    return context


def make_server(
    app: Flask,
    host: str,
    port: int,
    *,
    cert: str | None = None,
    key: str | None = None,
    threads: int = 8,
    fds: list[int] | None = None,
) -> Server:
    """Bind a server for the app (port 0 picks a free port), or serve on the listening
    sockets ``fds`` another process bound (its ``Server.fds``: the web server's processes
    share one port, and the kernel hands each new connection to one of them).

    Raises:
        BadConfigError: only one of cert/key, or they cannot be loaded; the port is taken.
    """
    if bool(cert) != bool(key):
        raise BadConfigError("give both --cert and --key for https, or neither.")
    inherited = [socket.socket(fileno=fd) for fd in fds or []]
    try:
        if cert and key:
            _check_tls_files(cert, key)
            sock = inherited[0] if inherited else socket.create_server((host, port))
            bound_port = sock.getsockname()[1]
            fd = sock.fileno()
            tls = _TlsServer(app, sock, cert, key, threads)
            return Server(f"https://{host}:{bound_port}", tls, "hypercorn", [fd])
        from waitress import create_server
        from waitress.server import BaseWSGIServer

        # waitress reads a whole request body (into a temp file) before the app sees it, so
        # Flask's MAX_CONTENT_LENGTH alone would take in a 100 MB upload before refusing it:
        # the same limit here makes waitress answer 413 from the headers.
        limit = app.config.get("MAX_CONTENT_LENGTH")
        where: dict[str, Any] = (
            {"sockets": inherited} if inherited else {"host": host, "port": port}
        )
        impl = create_server(
            app,
            **where,
            threads=threads,
            # Behind a proxy the X-Forwarded-* headers must reach ProxyFix (web.security);
            # waitress would strip them, leaving the app to think every request was http.
            clear_untrusted_proxy_headers=not app.config.get("BEHIND_PROXY"),
            ident="cardscan",
            # A photo arrives in 256 KB reads, not waitress's 8 KB: a 2 MB upload took 250
            # turns of the server's loop (and of the GIL), ~3 ms of CPU an upload.
            recv_bytes=256 * 1024,
            inbuf_overflow=IN_MEMORY_BODY,  # a photo's body stays in memory (web.uploads)
            **({"max_request_body_size": int(limit) + 1} if limit else {}),
        )
        listening = [s for s in getattr(impl, "map", {}).values() if isinstance(s, BaseWSGIServer)]
        bound_port = impl.effective_port  # type: ignore[union-attr]
        return Server(
            f"http://{host}:{bound_port}",
            impl,
            "waitress",
            [s.socket.fileno() for s in listening or [impl]],
        )
    except OSError as e:
        raise BadConfigError(
            f"cannot listen on {host}:{port}: {e.strerror or e}. Choose another --port or --host."
        ) from e
