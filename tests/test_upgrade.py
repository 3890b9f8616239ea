"""Upgrades: the database is copied into backups/ before migrations change it, a newer
database is refused, and a failed backup changes nothing."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from cardscan.errors import ConflictError, StorageError
from cardscan.store import Store
from cardscan.store.migrations import migrations
from cardscan.store.upgrade import BACKUPS_DIR, known_migrations
from tests.support.old_database import old_database

ROOT = Path(__file__).resolve().parent.parent


def _old_database(data: Path) -> str:
    """A database one migration behind, with a user and an event; returns its version."""
    data.mkdir(mode=0o700, exist_ok=True)
    old = old_database(data / "cardscan.db", known_migrations()[-1])
    version = migrations.applied(old)[-1].name
    old["events"].insert(
        {
            "id": 3,
            "user_id": 1,
            "name": "Web Summit",
            "start_date": "2026-11-10",
            "end_date": "2026-11-13",
            "created": "2026-01-01T00:00:00+00:00",
        }
    )
    old.close()
    return version


def _rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(f"select * from [{table}] order by id").fetchall()


def _backups(data: Path) -> list[Path]:
    return sorted((data / BACKUPS_DIR).glob("cardscan-*.db"))


def test_upgrade_keeps_a_copy_named_by_version_first(tmp_path):
    data = tmp_path / "data"
    version = _old_database(data)
    before = _rows(data / "cardscan.db", "events")
    with Store.open(data) as store:
        assert migrations.pending(store.db) == []
    [copy] = _backups(data)
    assert copy.name.startswith(f"cardscan-{version}-") and copy.name.endswith("Z.db")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    # The copy is the database as the old version left it: restorable as it is.
    old = sqlite_utils.Database(copy)
    assert migrations.applied(old)[-1].name == version
    assert _rows(copy, "events") == before
    assert not list(copy.parent.glob(".*.partial"))


def test_no_copy_for_a_new_database_or_when_nothing_is_pending(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    Store.open(data).close()
    assert not (data / BACKUPS_DIR).exists()
    _old_database(tmp_path / "old")
    Store.open(tmp_path / "old").close()
    Store.open(tmp_path / "old").close()
    assert len(_backups(tmp_path / "old")) == 1


def test_a_database_from_a_newer_cardscan_is_refused_untouched(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    with sqlite3.connect(data / "cardscan.db") as conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at)"
            " values ('cardscan', '9999_from_the_future', '2030-01-01')"
        )
    conn.close()
    with pytest.raises(ConflictError, match="upgraded by a newer cardscan.*9999_from_the_future"):
        Store.open(data)
    assert not (data / BACKUPS_DIR).exists()


def test_a_backup_that_cannot_be_written_changes_nothing(tmp_path):
    data = tmp_path / "data"
    _old_database(data)
    (data / BACKUPS_DIR).write_text("a file where the folder should be")
    with pytest.raises(StorageError, match="cannot create .*backups"):
        Store.open(data)
    db = sqlite_utils.Database(data / "cardscan.db")
    assert [m.name for m in migrations.pending(db)] == [known_migrations()[-1]]


def test_servers_starting_together_back_up_and_migrate_once(tmp_path):
    data = tmp_path / "data"
    _old_database(data)
    code = "import sys; from cardscan.store import Store; Store.open(sys.argv[1]).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(data)], cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert len(_backups(data)) == 1
    db = sqlite_utils.Database(data / "cardscan.db")
    assert [m.name for m in migrations.applied(db)] == known_migrations()
