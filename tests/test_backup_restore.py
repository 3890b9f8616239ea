"""Backup, then restore, end to end with the real commands: the restored server is the same
server (logins, sessions, the calendar link, preferences, contacts and photos)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cardscan.models import Contact
from cardscan.preferences import reason_chips, save_reason_chips
from cardscan.store import Store
from tests.support import hardening as h

ROOT = Path(__file__).resolve().parents[1]


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardscan", "--data", str(data), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _what_is_stored(data: Path) -> dict:
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        cards = store.cards.all(ana.id)
        return {
            "feed": store.users.feed_token(ana.id),
            "contacts": [r.contact.to_dict() for r in store.contacts.all(ana.id)],
            "photos": [store.photos.path(c.front).read_bytes() for c in cards],
            "chips": reason_chips(store, ana.id),
        }


def test_a_backup_restores_into_the_same_server(tmp_path):
    data = tmp_path / "data"
    app = h.make_app(data)
    ids = h.add_users(data, "ana")
    laptop = h.logged_in(app, "ana")
    assert h.api_upload(laptop, h.sample_photos(1)[0]).status_code == 202
    with Store.open(data) as store:
        store.contacts.add(ids["ana"], Contact(name="Rui Costa", company="Acme"))
    with Store.open(data) as store:
        save_reason_chips(store, ids["ana"], ["send deck", "coffee"])
    before = _what_is_stored(data)

    made = _cli(data, "backup", str(tmp_path / "usb" / "monday"))
    assert made.returncode == 0, made.stderr
    restored = tmp_path / "restored"
    done = _cli(restored, "restore", str(tmp_path / "usb" / "monday"))
    assert done.returncode == 0, done.stderr
    assert _what_is_stored(restored) == before

    # The restored server takes the laptop's session cookie (same secret_key) and the password.
    again = h.make_app(restored).test_client()
    again.set_cookie("session", laptop.get_cookie("session").value)
    assert again.get("/settings/").status_code == 200
    assert h.logged_in(h.make_app(restored), "ana").get("/contacts/").status_code == 200
    assert again.get(f"/calendar/{before['feed']}.ics").status_code == 200


def test_restore_never_overwrites_a_data_directory_unless_told(tmp_path):
    data = tmp_path / "data"
    h.add_users(data, "ana")
    assert _cli(data, "backup", str(tmp_path / "b")).returncode == 0
    h.add_users(data, "ben")  # data moves on after the backup
    refused = _cli(data, "restore", str(tmp_path / "b"))
    assert refused.returncode == 7 and "--replace" in refused.stderr
    with Store.open(data) as store:
        assert {u.name for u in store.users.all()} == {"ana", "ben"}
    replaced = _cli(data, "restore", str(tmp_path / "b"), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    kept = next(tmp_path.glob("data.before-restore-*"))
    with Store.open(data) as store:
        assert {u.name for u in store.users.all()} == {"ana"}
    with Store.open(kept) as store:
        assert {u.name for u in store.users.all()} == {"ana", "ben"}


def test_a_damaged_or_incomplete_backup_is_refused_before_anything_is_touched(tmp_path):
    data = tmp_path / "data"
    h.add_users(data, "ana")
    app = h.logged_in(h.make_app(data), "ana")
    assert h.api_upload(app, h.sample_photos(1)[0]).status_code == 202
    assert _cli(data, "backup", str(tmp_path / "b")).returncode == 0
    next((tmp_path / "b" / "photos").rglob("*.jpg")).unlink()
    result = _cli(tmp_path / "new", "restore", str(tmp_path / "b"))
    assert result.returncode == 10 and "lacks 1 card photo" in result.stderr
    assert not (tmp_path / "new" / "cardscan.db").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "not a cardscan backup" in _cli(data, "restore", str(empty)).stderr
