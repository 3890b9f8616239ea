"""What the store writes on disk is private to the server's user: directories 0700, files
0600 (the database and its -wal and -shm, photos, the image cache, backups, the session
secret), whatever the process's umask."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from cardscan import cardimages
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.support.stores import open_store
from web import create_app


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: files 0644, directories 0755
    yield
    os.umask(old)


def _modes(root: Path) -> dict[str, str]:
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


def test_the_data_directory_and_backups_are_private(tmp_path, open_umask):
    data = tmp_path / "data"
    create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data)}, environ={})})
    photo = io.BytesIO()
    Image.new("RGB", (400, 250), "white").save(photo, format="JPEG")
    with open_store(data) as store:
        user = store.users.add("ana", "correct horse battery")
        card, _ = store.cards.add(user.id, photo.getvalue())
        assert cardimages.thumbnail(store, card, max_megapixels=40) is not None
        store.backup(tmp_path / "backups" / "monday")
        modes = _modes(data)
    for name in ("cardscan.db", "cardscan.db-wal", "cardscan.db-shm", "secret_key"):
        assert name in modes, sorted(modes)
    assert any(name.startswith("photos/") and name.endswith(".jpg") for name in modes)
    assert any(name.startswith("cache/") for name in modes)
    backup = _modes(tmp_path / "backups")
    for where, found in (("data", modes), ("backup", backup)):
        root = data if where == "data" else tmp_path / "backups"
        for name, mode in found.items():
            wanted = "0o700" if (root / name).is_dir() else "0o600"
            assert mode == wanted, (where, name, mode)


def test_an_existing_data_directory_is_made_private_when_opened(tmp_path, open_umask):
    data = tmp_path / "old"
    with Store.open(data):
        pass
    data.chmod(0o755)
    (data / "cardscan.db").chmod(0o644)
    with Store.open(data):
        pass
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "cardscan.db").stat().st_mode) == 0o600
