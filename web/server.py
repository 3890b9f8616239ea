"""Run the app: waitress for plain HTTP, cheroot's builtin TLS adapter for ``--cert/--key``.

waitress has no TLS of its own (its maintainers point to a reverse proxy, Pylons/waitress#459);
cheroot (CherryPy's WSGI server) wraps sockets with the standard library's ``ssl`` module, so
``--cert/--key`` works without a proxy for a home server or a LAN with a self-signed
certificate. Behind Caddy or nginx, run plain HTTP with ``--behind-proxy``.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from cardscan.errors import BadConfigError


@dataclass
class Server:
    """A started WSGI server: its URL, and ``serve_forever``/``stop``."""

    url: str
    _impl: Any
    _kind: str
    _thread: threading.Thread | None = field(default=None, repr=False)

    _stopping: bool = field(default=False, repr=False)

    def serve_forever(self) -> None:
        """Serve until stopped (blocks)."""
        try:
            if self._kind == "waitress":
                self._impl.run()
            else:
                self._impl.serve()
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
) -> Server:
    """Bind a server for the app (port 0 picks a free port).

    Raises:
        BadConfigError: only one of cert/key, or they cannot be loaded; the port is taken.
    """
    if bool(cert) != bool(key):
        raise BadConfigError("give both --cert and --key for https, or neither.")
    try:
        if cert and key:
            from cheroot import wsgi
            from cheroot.ssl.builtin import BuiltinSSLAdapter

            _check_tls_files(cert, key)
            impl = wsgi.Server((host, port), app, numthreads=threads)
            impl.ssl_adapter = BuiltinSSLAdapter(cert, key)
            impl.prepare()
            bound_port = impl.bind_addr[1]
            return Server(f"https://{host}:{bound_port}", impl, "cheroot")
        from waitress import create_server

        # waitress reads a whole request body (into a temp file) before the app sees it, so
        # Flask's MAX_CONTENT_LENGTH alone would take in a 100 MB upload before refusing it:
        # the same limit here makes waitress answer 413 from the headers.
        limit = app.config.get("MAX_CONTENT_LENGTH")
        impl = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            clear_untrusted_proxy_headers=True,
            ident="cardscan",
            **({"max_request_body_size": int(limit) + 1} if limit else {}),
        )
        bound_port = impl.effective_port  # type: ignore[union-attr]
        return Server(f"http://{host}:{bound_port}", impl, "waitress")
    except OSError as e:
        raise BadConfigError(
            f"cannot listen on {host}:{port}: {e.strerror or e}. Choose another --port or --host."
        ) from e
