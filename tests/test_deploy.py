"""deploy/: the systemd unit verifies, and the Caddy and nginx examples, run for real in front
of the app, pass the headers it trusts and let a large photo through.

The proxies run where Debian's nginx and caddy are installed (the tests say so when they are
not: they are not in setup.sh, because installing them starts web servers on ports 80/443).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import fields, replace
from pathlib import Path

import pytest

from cardscan.doctor.network import check_reachable
from cardscan.settings import Settings, load_settings
from tests.support.hardening import free_port
from tests.support.network import make_pki, serving

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SETTINGS = {f.name for f in fields(Settings)}
#: A photo bigger than both proxies' defaults (nginx 1 MB) and smaller than the app's limit.
BIG = 12 * 1024 * 1024


def _env_settings(text: str) -> set[str]:
    return {m.lower() for m in re.findall(r"CARDSCAN_([A-Z_]+)", text)}


@pytest.mark.parametrize("name", ["cardscan.service", "Containerfile", "compose.yaml"])
def test_every_setting_named_in_deploy_exists(name):
    named = _env_settings((DEPLOY / name).read_text()) - {"domain", "upstream"}  # for Caddy
    assert named, name
    assert named <= SETTINGS, named - SETTINGS


def test_systemd_unit_verifies(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    unit = (DEPLOY / "cardscan.service").read_text()
    assert "ExecStart=/opt/cardscan/.venv/bin/cardscan serve" in unit
    for line in ("User=cardscan", "Restart=on-failure", "StateDirectoryMode=0700", "UMask=0077"):
        assert line in unit.splitlines(), line
    # verify checks that ExecStart exists: point it at this checkout's cardscan.
    local = ROOT / ".venv" / "bin" / "cardscan"
    copy = tmp_path / "cardscan.service"
    copy.write_text(unit.replace("/opt/cardscan/.venv/bin/cardscan", str(local)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def app_behind_proxy(tmp_path):
    settings = load_settings({"data": str(tmp_path / "data"), "behind_proxy": True}, environ={})
    with serving(settings) as url:
        yield settings, url


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the proxy exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        time.sleep(0.2)
    raise AssertionError(f"the proxy did not listen in 30 s: {log.read_text()[-2000:]}")


def _post_big_photo(port: int, ca: Path) -> int:
    context = ssl.create_default_context(cafile=str(ca))
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context)
    try:
        conn.request(
            "POST", "/api/cards", body=b"\xff" * BIG, headers={"Content-Type": "image/jpeg"}
        )
        return conn.getresponse().status
    finally:
        conn.close()


def _check_through(proxy_port: int, settings, ca: Path, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # this machine trusts the test authority
    base = f"https://127.0.0.1:{proxy_port}"
    check = check_reachable(replace(settings, base_url=base), timeout=10)
    assert check.ok, [p.message for p in check.problems]
    assert f"seen by the app as {base}/" in check.found
    # A 12 MB photo reaches the app (401: not logged in), not the proxy's own 413.
    assert _post_big_photo(proxy_port, ca) == 401


def _check_proxy(command, port, log, settings, ca, monkeypatch, env=None) -> None:
    """Start the proxy ``command`` (output into ``log``), check the app through it, stop it."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for_port(port, proc, log)
        _check_through(port, settings, ca, monkeypatch)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_nginx_example_in_front_of_the_app(tmp_path, pki, app_behind_proxy, monkeypatch):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    settings, url = app_behind_proxy
    port, plain = free_port(), free_port()
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{plain};").replace("listen [::]:80;", "")
    site = site.replace("/etc/letsencrypt/live/cards.example.org/fullchain.pem", str(pki["long"]))
    site = site.replace("/etc/letsencrypt/live/cards.example.org/privkey.pem", str(pki["long.key"]))
    site = site.replace("http://127.0.0.1:8000", url)
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    # As root, nginx's workers would run as www-data, who cannot write into tmp_path.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    main.write_text(
        user + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\ndaemon off;\n"
        "events {}\nhttp {\n"
        f"  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    test = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    nginx = ["nginx", "-c", str(main)]
    _check_proxy(nginx, port, tmp_path / "nginx.log", settings, pki["ca"], monkeypatch)


@pytest.mark.slow
def test_caddy_example_in_front_of_the_app(tmp_path, pki, app_behind_proxy, monkeypatch):
    if not shutil.which("caddy"):
        pytest.skip("caddy is not installed (apt-get install caddy)")
    settings, url = app_behind_proxy
    port = free_port()
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    # The example's site with a test certificate instead of one from Let's Encrypt.
    caddyfile = caddyfile.replace(
        "{$CARDSCAN_DOMAIN:cards.example.org} {",
        f"https://127.0.0.1:{port} {{\n\ttls {pki['long']} {pki['long.key']}",
    )
    global_options = (
        f"{{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system {tmp_path}/caddy\n"
        f"}}\n"
    )
    (tmp_path / "Caddyfile").write_text(global_options + caddyfile)
    env = {
        "CARDSCAN_UPSTREAM": url.split("://", 1)[1],
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    caddy = ["caddy", "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"]
    _check_proxy(caddy, port, tmp_path / "caddy.log", settings, pki["ca"], monkeypatch, env)
