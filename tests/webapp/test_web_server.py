"""Serving: waitress over http, hypercorn over https (--cert/--key), serve and token commands."""

from __future__ import annotations

import json
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.errors import BadConfigError
from cardscan.settings import load_settings
from cardscan.store import Store
from web import create_app
from web.server import make_server

ROOT = Path(__file__).resolve().parents[2]


def test_https_with_cert_and_key(self_signed, data_dir):
    cert, key = self_signed
    app = create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data_dir)}, environ={})})
    server = make_server(app, "127.0.0.1", 0, cert=str(cert), key=str(key)).start_in_thread()
    try:
        assert server.url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(server.url + "/login", context=context, timeout=10) as r:
            assert r.status == 200
            assert "Strict-Transport-Security" in r.headers
        with pytest.raises(urllib.error.URLError):  # a client that does not trust it refuses
            urllib.request.urlopen(server.url + "/login", timeout=10)
    finally:
        server.stop()


def test_bad_tls_options_are_clear_errors(self_signed, data_dir, tmp_path):
    cert, key = self_signed
    app = create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data_dir)}, environ={})})
    with pytest.raises(BadConfigError, match="both --cert and --key"):
        make_server(app, "127.0.0.1", 0, cert=str(cert))
    with pytest.raises(BadConfigError, match="does not exist"):
        make_server(app, "127.0.0.1", 0, cert=str(tmp_path / "nope.pem"), key=str(key))
    with pytest.raises(BadConfigError, match="cannot use certificate"):
        make_server(app, "127.0.0.1", 0, cert=str(key), key=str(key))


def test_port_in_use_is_a_clear_error(data_dir):
    app = create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data_dir)}, environ={})})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(BadConfigError, match="cannot listen"):
            make_server(app, "127.0.0.1", taken.getsockname()[1])


def test_token_commands(data_dir, users):
    runner = CliRunner()
    made = runner.invoke(
        cli, ["--data", str(data_dir), "token", "create", "scanner", "--user", "ana"]
    )
    assert made.exit_code == 0, made.output
    secret = made.output.strip()
    with Store.open(data_dir) as store:
        assert store.users.by_api_token(secret).name == "ana"
    listed = runner.invoke(cli, ["--data", str(data_dir), "token", "list", "--user", "ana"])
    assert "scanner" in listed.output and secret not in listed.output
    token_id = listed.output.split("\t")[0]
    runner.invoke(cli, ["--data", str(data_dir), "token", "revoke", token_id, "--user", "ana"])
    both = runner.invoke(cli, ["--data", str(data_dir), "token", "create", "x"])
    assert both.exit_code != 0 and "--user" in both.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell's `cardscan serve &` starts it


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_runs_and_stops_cleanly(tmp_path, stop):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cardscan",
            "--data",
            str(tmp_path / "d"),
            "serve",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/manifest.webmanifest", timeout=2
                ) as r:
                    assert json.load(r)["name"] == "cardscan"
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"127.0.0.1:{port}" in out and "Stopping" in err
