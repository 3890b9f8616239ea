"""The checks of how the app is reached: base_url, https, and the SMTP server for digests.

``check_address`` and ``check_tls`` only read the settings; ``check_reachable`` asks the app
at ``base_url`` how it sees the request (``/healthz``), so a proxy that drops the
``X-Forwarded-*`` headers shows; ``check_mail`` says hello to the SMTP server.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cardscan.doctor import Check, Problem
from cardscan.errors import BadConfigError, MailError
from cardscan.outreach.mail import check_server, smtp_config
from cardscan.settings import Settings

#: A certificate that ends sooner than this many days is a problem.
CERT_DAYS = 14
#: Where a container runtime leaves a mark (docker, podman).
_CONTAINER_MARKS = (Path("/.dockerenv"), Path("/run/.containerenv"))

_CONFIG_HINT = "in cardscan.toml in the data directory (or CARDSCAN_{name})"


def _set(name: str, value: str, why: str = "") -> str:
    hint = _CONFIG_HINT.format(name=name.upper())
    return f"set {name} = {value}{f' ({why})' if why else ''} {hint}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _in_container() -> bool:
    return any(mark.exists() for mark in _CONTAINER_MARKS)


def _origin(url: str) -> str:
    """``scheme://host[:port]`` in lower case, without the scheme's default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def check_address(settings: Settings) -> Check:
    """``base_url`` is set when others reach the app, well formed, and agrees with https."""
    name = "Address"
    local = is_loopback(settings.host) and not settings.behind_proxy
    url = settings.base_url.strip()
    if not url:
        if local:
            return Check(
                name,
                f"base_url unset: links use http://{settings.host}:{settings.port}, this machine"
                " only",
            )
        hosts = settings.allowed_hosts.strip()
        if hosts:
            found = f"base_url unset; pages make links for {hosts} (allowed_hosts)"
            message = (
                "base_url is not set: pages reached as one of allowed_hosts make their links,"
                " but the digest e-mail (sent with no request to go by) has no address to use."
            )
        else:
            found = "base_url unset"
            message = (
                "base_url is not set, but others reach this server: the calendar subscription"
                " and links in e-mails have no address to use (pages reached by another name"
                " than localhost make no links)."
            )
        fix = _set("base_url", '"https://cards.example.org"', "the address phones open")
        if not hosts:
            fix += '; on a LAN at least allowed_hosts = "cards.lan,192.168.1.20"'
        return Check(name, found, (Problem(message, fix + ".", "warning"),))
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = Problem(
            f"base_url {url!r} is not an http(s) address.",
            _set("base_url", '"https://cards.example.org"') + ".",
        )
        return Check(name, f"base_url {url}", (problem,))
    problems = []
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        problems.append(
            Problem(
                f"base_url {url!r} has a path: cardscan is served from the root of its own host"
                " name, not under a path.",
                "give cardscan a host name of its own (such as cards.example.org) in base_url"
                " and in the proxy.",
            )
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        problems.append(
            Problem(
                f"base_url {url!r} is plain http: phones install the app and use the camera only"
                " over https, and passwords would cross the network in clear.",
                "put Caddy or nginx in front with a certificate (deploy/, docs/deploy.md) and"
                " use https:// in base_url.",
                "warning",
            )
        )
    if parts.scheme == "https" and not (settings.behind_proxy or settings.tls_cert):
        problems.append(
            Problem(
                "base_url is https, but cardscan serves neither https itself (tls_cert) nor"
                " trusts a proxy (behind_proxy): it thinks every request is plain http, so its"
                " cookies are not marked Secure.",
                _set("behind_proxy", "true") + " when a proxy on this machine serves https"
                " (or run `cardscan serve --behind-proxy`); else give tls_cert and tls_key.",
                "warning",
            )
        )
    found = f"base_url {url}"
    return Check(name, found, tuple(problems))


def check_tls(settings: Settings, *, in_container: bool | None = None) -> Check:
    """https is served (certificate and key, or a proxy), and the proxy headers are safe.

    Args:
        settings: host, port, tls_cert, tls_key, behind_proxy.
        in_container: whether cardscan runs in a container (detected when None), where it
            must listen on every interface and the published port decides who reaches it.
    """
    if in_container is None:
        in_container = _in_container()
    name = "HTTPS"
    host = settings.host
    listen = f"{host}:{settings.port}"
    if settings.tls_cert or settings.tls_key:
        problem = _check_cert_files(settings.tls_cert, settings.tls_key)
        found = f"https on {listen} with {settings.tls_cert or '(no certificate)'}"
        return Check(name, found, (problem,) if problem else ())
    if settings.behind_proxy:
        found = f"plain http on {listen} behind a proxy that serves https"
        if is_loopback(host):
            return Check(name, found)
        if in_container:
            found += " (in a container: publish the port on 127.0.0.1 only, as deploy/ does)"
            return Check(name, found)
        problem = Problem(
            f"behind_proxy is on, but cardscan listens on {host}, not only on this machine:"
            " anyone who reaches the port directly can claim any address or https with"
            " X-Forwarded-* headers.",
            _set("host", '"127.0.0.1"') + " so that only the proxy on this machine reaches it.",
            "warning",
        )
        return Check(name, found, (problem,))
    if is_loopback(host):
        return Check(name, f"plain http on {listen}: this machine only")
    if in_container:
        fix = (
            "put Caddy in front as deploy/compose.yaml does and set CARDSCAN_BEHIND_PROXY=true;"
            " or publish the port on 127.0.0.1 only, for a proxy on the host (docs/deploy.md)."
        )
    else:
        fix = (
            "put Caddy or nginx in front (deploy/Caddyfile, deploy/nginx.conf) and set"
            ' behind_proxy = true and host = "127.0.0.1"; or give tls_cert and tls_key'
            " (docs/deploy.md#https)."
        )
    problem = Problem(
        f"cardscan serves plain http to the network on {listen}: phones install the app and use"
        " the camera only over https, and passwords cross the network in clear.",
        fix,
        "warning",
    )
    return Check(name, f"plain http on {listen}", (problem,))


def _check_cert_files(cert: str, key: str) -> Problem | None:
    if not (cert and key):
        return Problem(
            "only one of tls_cert and tls_key is set.",
            "give both (serve --cert CERT --key KEY), or neither.",
        )
    for setting, path in (("tls_cert", cert), ("tls_key", key)):
        if not Path(path).is_file():
            return Problem(
                f"{setting} {path!r} does not exist (or cannot be read).",
                f"give the PEM file's path in {setting}.",
            )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as e:
        return Problem(
            f"the certificate {cert!r} cannot be used with the key {key!r}: {e}.",
            "give a PEM certificate (chain) and its unencrypted private key.",
        )
    return None


def check_reachable(settings: Settings, *, timeout: float) -> Check:
    """The app answers at ``base_url`` and sees the request as coming to that address.

    ``/healthz`` answers with the URL the app believes it was reached at: behind a proxy
    that drops ``X-Forwarded-Proto`` or ``-Host`` it differs from ``base_url``.
    """
    name = "Reached at base_url"
    url = settings.base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Check(name, "skipped: base_url is not an http(s) address")
    try:
        status, body, cert = _get(parts.scheme, parts.hostname, parts.port, "/healthz", timeout)
    except ssl.SSLCertVerificationError as e:
        problem = Problem(
            f"{url} has a certificate this machine does not trust: {e.verify_message}.",
            "phones will not install the app from it either: use a certificate from a public"
            " authority (Caddy gets one by itself), or install your own authority's"
            " certificate on every phone and on this machine (docs/deploy.md#https).",
            "warning",
        )
        return Check(name, f"{url}: untrusted certificate", (problem,))
    except OSError as e:
        return Check(name, f"{url}: no answer", (_unreachable(url, e),))
    seen = body.get("url", "") if isinstance(body, dict) else ""
    if status != 200 or body.get("app") != "cardscan":
        problem = Problem(
            f"{url}/healthz answered HTTP {status}"
            + (" from a proxy that cannot reach cardscan" if status in (502, 503, 504) else "")
            + ", not cardscan's health answer.",
            "check that the proxy forwards to the address cardscan listens on"
            f" ({settings.host}:{settings.port}) and that cardscan serve is running"
            " (systemctl status cardscan).",
            "warning",
        )
        return Check(name, f"{url}: not cardscan", (problem,))
    found = f"{url} answers, seen by the app as {seen}"
    problems = []
    if _origin(seen) != _origin(url):
        problems.append(
            Problem(
                f"the app sees requests to {url} as {seen}: the proxy does not pass the"
                " X-Forwarded-Proto and X-Forwarded-Host headers, or behind_proxy is off, so"
                " cookies and links would use the wrong address.",
                "send the headers as deploy/nginx.conf does (Caddy sends them by itself), and"
                " " + _set("behind_proxy", "true") + ".",
                "warning",
            )
        )
    if cert is not None:
        days = (ssl.cert_time_to_seconds(cert["notAfter"]) - time.time()) / 86400
        found += f"; certificate valid {days:.0f} more days"
        if days < CERT_DAYS:
            problems.append(
                Problem(
                    f"the certificate of {url} ends in {days:.0f} days ({cert['notAfter']}).",
                    "renew it (Caddy and certbot renew by themselves when they can reach the"
                    " authority: check their logs).",
                    "warning",
                )
            )
    return Check(name, found, tuple(problems))


def _get(
    scheme: str, host: str, port: int | None, path: str, timeout: float
) -> tuple[int, Any, dict[str, Any] | None]:
    """GET ``path``: the status, the JSON body (or None) and the peer certificate (https)."""
    conn: http.client.HTTPConnection
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        cert = conn.sock.getpeercert() if isinstance(conn.sock, ssl.SSLSocket) else None
        response = conn.getresponse()
        data = response.read(64 * 1024)
    finally:
        conn.close()
    try:
        body = json.loads(data)
    except ValueError:
        body = None
    return response.status, body if isinstance(body, dict) else {}, cert


def _unreachable(where: str, error: OSError) -> Problem:
    """A problem for a connection that failed, saying which way it failed."""
    if isinstance(error, socket.gaierror):
        what = "its host name does not resolve"
        fix = "check the name in DNS (or /etc/hosts) and the setting's spelling."
    elif isinstance(error, ConnectionRefusedError):
        what = "the connection was refused (nothing listens there)"
        fix = "start the service, or correct the host and port in the settings."
    elif isinstance(error, TimeoutError):
        what = "no answer in time (a firewall dropping the connection?)"
        fix = "open the port in the firewall, or correct the host and port in the settings."
    elif isinstance(error, ssl.SSLError):
        what = f"the TLS handshake failed ({error.reason or error})"
        fix = "check the TLS setting matches what the server speaks on that port."
    else:
        what = str(error.strerror or error)
        fix = "check the host and port in the settings."
    return Problem(f"cannot reach {where}: {what}.", fix, "warning")


def _without_password(url: str) -> str:
    """The URL with its password replaced by ``***`` (for showing it)."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def check_queue(settings: Settings, *, timeout: float) -> Check:
    """Redis answers when the OCR queue is there (``queue_url``); else it is a file."""
    name = "OCR queue"
    url = settings.queue_url.strip()
    if not url:
        return Check(name, "queue.db in the data directory (workers on this machine)")
    shown = _without_password(url)
    import redis  # only when Redis is asked for

    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    except ValueError as e:
        problem = Problem(
            f"queue_url {shown!r} is not a Redis URL: {e}.",
            "write redis://HOST:6379/0 (rediss:// for TLS), or leave queue_url empty for one"
            " machine.",
        )
        return Check(name, shown, (problem,))
    except redis.AuthenticationError as e:
        problem = Problem(
            f"Redis at {shown} did not accept the login (a password missing or wrong): {e}.",
            "put the password Redis expects in queue_url: redis://:PASSWORD@HOST:6379/0.",
        )
        return Check(name, shown, (problem,))
    except redis.RedisError as e:
        cause = e.__cause__ or e.__context__
        if isinstance(cause, OSError):
            problem = _unreachable(f"Redis at {shown}", cause)
        else:
            problem = Problem(f"Redis at {shown} failed: {e}.", "check queue_url.", "warning")
        problem = Problem(
            problem.message + " Uploads wait in the database until it is back.",
            "start it (sudo systemctl start redis-server) or correct queue_url; every OCR"
            " worker and the server must use the same one.",
        )
        return Check(name, shown, (problem,))
    return Check(name, f"Redis at {shown} answers")


def check_mail(settings: Settings, *, timeout: float) -> Check:
    """The SMTP server for the daily digest accepts a connection, TLS and the login, as the
    digest's own sending does (``cardscan.outreach.mail``), sending nothing."""
    name = "E-mail (digest)"
    if not settings.smtp_host.strip():
        return Check(name, "smtp_host unset: no digest e-mails are sent")
    fix = "fix the smtp_* settings (docs/deploy.md, E-mail for the digest), then run doctor again."
    try:
        config = replace(smtp_config(settings), timeout=timeout)
    except BadConfigError as e:
        return Check(name, settings.smtp_host, (Problem(e.message, fix),))
    where = f"{config.host}:{config.port}"
    try:
        check_server(config)
    except MailError as e:
        return Check(name, where, (Problem(e.message, fix),))
    return Check(name, f"{where} accepts a connection" + (" and the login" if config.user else ""))
