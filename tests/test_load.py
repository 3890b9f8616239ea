"""Load: phone-like clients upload while OCR is busy, against the real server (bounded mode)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from cardscan.errors import ValidationError
from cardscan.photometa import strip_metadata
from cardscan.reading.imaging import load_image
from scripts.loadtest import LOCKED, check_loopback, distinct_photo, run_load
from tests.support import hardening as h

#: Load against a live server (slow: left out of make test-fast).
pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org:8000",
        "http://10.0.0.5:8000",
        "http://192.168.1.2",
        "http://[2001:db8::1]:80",
        "ftp://127.0.0.1/",
        "127.0.0.1:8000",
    ],
)
def test_refuses_anything_but_loopback(url):
    with pytest.raises(ValidationError) as caught:
        check_loopback(url)
    assert url.split("//")[-1].split(":")[0].strip("[]/") in caught.value.message or (
        "must look like" in caught.value.message
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:9"])
def test_accepts_loopback(url):
    assert check_loopback(url)[1] in ("127.0.0.1", "localhost", "::1")


@pytest.mark.parametrize(
    "kwargs", [{"clients": 0}, {"clients": 33}, {"uploads": 101}, {"duration": 601}]
)
def test_is_bounded(kwargs):
    with pytest.raises(ValidationError):
        run_load("http://127.0.0.1:9", "t", [b"x"], **kwargs)


def test_each_upload_is_a_new_capture():
    photo = h.sample_photos(1)[0]
    tagged = [strip_metadata(distinct_photo(photo, tag)) for tag in "ab"]
    assert tagged[0] != tagged[1]  # still two photos once stored without metadata
    assert np.array_equal(
        load_image(tagged[0], max_megapixels=40), load_image(photo, max_megapixels=40)
    )


def test_short_load_against_the_live_server(tmp_path):
    data = tmp_path / "data"
    token = h.make_account(data)
    # The real OCR (once merged) keeps the CPU busy while the uploads come in.
    server = h.start_server(data, workers=1, fake_seconds=0.3, real_ocr=True)
    try:
        # Through the CLI command, as a person would run it (short bounded mode).
        done = subprocess.run(
            [
                sys.executable, "-m", "cardscan", "load-test", "--url", server.url,
                "--clients", "4", "--uploads", "3", "--duration", "30", "--json",
            ],
            cwd=h.ROOT, env={**h._env(), "CARDSCAN_TOKEN": token},
            capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        print("\nload:", report)
        assert report["acknowledged"] == 12 and report["errors"] == {}
        assert LOCKED not in done.stdout
        # Uploads are acknowledged fast although the OCR worker is busy the whole time.
        assert report["p95_ms"] < 3000
        # The server's own account of each upload: its CPU, the write-lock wait.
        assert {"app", "cpu", "lock", "commit", "queue"} <= set(report["server_ms"])
        assert 0 < report["server_ms"]["cpu"]["p50"] < report["server_ms"]["app"]["p95"]
        cards = h.get_json(server.url, "/api/cards", token)["cards"]
        assert len(cards) == 12  # every upload a new card, none lost
        # A second, time-bounded run stops by itself (100 uploads a client, 50 ms apart, take
        # 5 s at least: an upload is acknowledged in milliseconds now, so without a pause the
        # run could end before its time).
        report = run_load(
            server.url, token, h.sample_photos(4), clients=2, uploads=100, duration=1.5, pause=0.05
        )
        assert report.stopped_by_time and report.seconds < 30
        assert not report.errors
        assert "database is locked" not in server.log.read_text()
    finally:
        server.kill()  # no need to wait for the card being read
