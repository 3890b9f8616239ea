"""A full disk, a read-only disk and a damaged database: a clear error, nothing lost.

The full and read-only disks are real: a small tmpfs mounted for the test (root only; the test
is skipped where mounting is not allowed).
"""

from __future__ import annotations

import io
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from cardscan.store import Store
from tests.support import hardening as h

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 3 MB tmpfs; yields its path and a function that remounts it read-only."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")

    def read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)

    yield mount, read_only
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _noise_jpeg(seed: int) -> bytes:
    """A 500x400 photo of noise: about 200 KB that JPEG cannot squeeze."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (500, 400), rng.randbytes(500 * 400 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardscan", "--data", str(data), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_full_disk_answers_507_and_keeps_what_was_stored(tiny_disk):
    mount, _ = tiny_disk
    data = mount / "data"
    app = h.make_app(data)
    h.add_users(data, "ana")
    client = h.logged_in(app, "ana")
    acked = 0
    for seed in range(40):
        response = h.api_upload(client, _noise_jpeg(seed), filename=f"{seed}.jpg")
        if response.status_code != 202:
            break
        acked += 1
    assert acked >= 3, "the disk filled before anything was stored"
    error = h.error_of(response, 507)
    assert error.startswith("the disk is full")
    assert h.api_upload(client, _noise_jpeg(99)).status_code == 507  # and still clear
    with Store.open(data) as store:
        cards = store.cards.all(store.users.by_name("ana").id)
        assert len(cards) == acked
        for card in cards:  # every acknowledged photo is whole
            Image.open(store.photos.path(card.front)).load()
        assert store.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_a_read_only_disk_is_a_clear_error(tiny_disk):
    mount, read_only = tiny_disk
    data = mount / "data"
    made = subprocess.run(
        [sys.executable, "-m", "cardscan", "--data", str(data), "user", "add", "ana",
         "--password-stdin"],
        input="correct horse battery\n", cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    read_only()
    result = _cli(data, "event", "add", "Expo", "--start", "2026-05-01", "--user", "ana")
    assert result.returncode == 10, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: cannot write") and "read-write" in result.stderr


def _damage(data: Path) -> None:
    db = data / "cardscan.db"
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"this is not a database, it was overwritten" * 200)


@pytest.fixture
def damaged(tmp_path):
    data = tmp_path / "data"
    h.add_users(data, "ana")
    _damage(data)
    return data


def test_a_damaged_database_is_a_clear_error_in_the_cli(damaged):
    result = _cli(damaged, "users")
    assert result.returncode == 10, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: the database") and "is damaged" in result.stderr
    assert "restore" in result.stderr


def test_a_damaged_database_is_a_clear_error_on_the_web(tmp_path):
    damaged = tmp_path / "data"
    app = h.make_app(damaged)  # the server started on a good database
    h.add_users(damaged, "ana")
    client = h.logged_in(app, "ana")
    _damage(damaged)
    page = app.test_client().get("/login")
    assert page.status_code == 503
    assert "is damaged" in page.get_data(as_text=True)
    api = client.get("/api/cards", headers={"Accept": "application/json"})
    assert "is damaged" in h.error_of(api, 503)
    with pytest.raises(sqlite3.DatabaseError):  # (the file really is not a database)
        sqlite3.connect(damaged / "cardscan.db").execute("select * from sqlite_master")
