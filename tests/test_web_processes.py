"""``cardscan serve`` answers with two web processes on one port (``web_processes``): either
one answers, each upload is stored once and read, a web process that dies is started
again, and Ctrl+C stops them all; together they allow no more wrong passwords than one."""

from __future__ import annotations

import contextlib
import os
import signal

import pytest

from cardscan.settings import load_settings
from tests.support import hardening as h
from web import create_app
from web.processes import web_process_count


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError):
        return h.request(url, "GET", "/login", timeout=2)[0] == 200
    return False


@pytest.mark.slow
def test_two_web_processes_answer_on_one_port_and_stop_together(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    server = h.start_server(data, workers=1, web_processes=2, fake_seconds=0.05)
    stopped = False
    try:
        [other] = h.wait_for(server.web_processes)
        h.wait_for(lambda: len(server.children()) == 2)  # and one OCR worker
        # The first process stops answering: the other answers on the same port, takes
        # uploads into the same data directory, and the worker reads them.
        os.kill(server.proc.pid, signal.SIGSTOP)
        try:
            h.wait_for(lambda: _answers(server.url), timeout=20)
            photos = h.sample_photos(2)
            assert h.upload(server.url, token, photos[0]) == 202
        finally:
            os.kill(server.proc.pid, signal.SIGCONT)
        assert h.upload(server.url, token, photos[1]) == 202
        cards = h.wait_until_read(server.url, token, {1, 2}, timeout=60)
        assert [cards[i]["status"] for i in (1, 2)] == ["done", "done"]

        # A web process that dies is started again, on the same port.
        os.kill(other, signal.SIGKILL)
        [again] = h.wait_for(lambda: server.web_processes() - {other})
        os.kill(server.proc.pid, signal.SIGSTOP)
        try:
            h.wait_for(lambda: _answers(server.url), timeout=20)
        finally:
            os.kill(server.proc.pid, signal.SIGCONT)

        everyone = [server.proc.pid, *server.children()]
        server.stop()  # Ctrl+C
        stopped = True
        assert server.proc.returncode == 0
        h.wait_for(lambda: not any(os.path.exists(f"/proc/{p}/cmdline") for p in everyone), 20)
    finally:
        if not stopped:
            server.kill()


def test_two_processes_on_two_cores_or_more_unless_set():
    assert web_process_count(0, cores=1) == 1
    assert web_process_count(0, cores=2) == 2
    assert web_process_count(0, cores=16) == 2
    assert web_process_count(3, cores=1) == 3


def test_each_web_process_allows_its_share_of_wrong_passwords(tmp_path):
    data = tmp_path / "data"
    h.add_users(data, "ana")
    settings = load_settings({"data": str(data), "login_attempts_per_minute": 4}, environ={})
    app = create_app({"TESTING": True, "CARDSCAN_SETTINGS": settings, "WEB_PROCESSES": 2})
    client = app.test_client()
    codes = [
        client.post(
            "/login",
            data={"name": "ana", "password": "wrong", "csrf_token": h.csrf_of(client)},
            environ_base={"REMOTE_ADDR": "10.0.0.9"},
        ).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 429]  # 2 here + 2 in the other process = the 4 allowed
