"""A data directory made by an earlier release upgrades with nothing lost.

Each ``tests/data/upgrade/<release>/`` was made by ``scripts/make_upgrade_fixture.py`` with
that release's own code (real photos read by its OCR pipeline, follow-ups planned, a merge,
tokens, preferences), together with what that release said about the data. A copy is opened
with the current code, which runs the migrations it has not seen; then every row and value
the release stored must still be there, and the library must say what the release said.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cardscan import preferences
from cardscan.exports import feed_for_token
from cardscan.store import Store
from cardscan.store.rows import contact_dict
from cardscan.store.upgrade import BACKUPS_DIR

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "data" / "upgrade").glob("*/expected.json"))

#: Stored values a migration changes on purpose, as (table, column) -> why; (table, "*") for
#: a table a migration replaces. Anything else that changes or goes missing is a loss.
CHANGED_ON_PURPOSE: dict[tuple[str, str], str] = {}
#: Tables rebuilt from the others (the search index) or bookkeeping: compared by behaviour.
DERIVED = re.compile(r"^(contacts_fts.*|_sqlite_migrations|sqlite_.*)$")
#: Contact fields compared through the library.
FIELDS = ("name", "title", "company", "emails", "phones", "websites", "socials", "address")


def _database_from_dump(dump: Path, path: Path) -> None:
    """The release's database, rebuilt from its SQL text (the repository holds no database
    file; the dump is ``sqlite3 cardscan.db .dump`` of what the release wrote)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(dump.read_text(encoding="utf-8"))
    finally:
        conn.close()


def _tables(path: Path) -> dict[str, dict[int, dict]]:
    """Every row of every table, by rowid, as column -> value."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        names = [
            r[0]
            for r in conn.execute("select name from sqlite_master where type = 'table'")
            if not DERIVED.match(r[0])
        ]
        return {
            name: {
                row["_rowid"]: dict(row)
                for row in conn.execute(f"select rowid as _rowid, * from [{name}]")
            }
            for name in names
        }
    finally:
        conn.close()


@dataclass
class Upgraded:
    """A release's data directory, copied and opened with the current code."""

    data: Path
    #: The release's rows, before the upgrade.
    before: dict[str, dict[int, dict]]
    #: What the release said about its data (expected.json).
    said: dict
    release_migrations: int


@pytest.fixture(params=FIXTURES, ids=lambda p: p.parent.name)
def release(request, tmp_path) -> Upgraded:
    data = tmp_path / "data"
    shutil.copytree(request.param.parent / "data", data, ignore=shutil.ignore_patterns("*.sql"))
    _database_from_dump(request.param.parent / "data" / "cardscan.sql", data / "cardscan.db")
    before = _tables(data / "cardscan.db")
    applied = _migrations(data / "cardscan.db")
    with Store.open(data):  # runs the migrations the release has not seen
        pass
    return Upgraded(data, before, json.loads(request.param.read_text()), applied)


def _migrations(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    finally:
        conn.close()


def test_the_release_fixtures_exist():
    assert FIXTURES, "make one with scripts/make_upgrade_fixture.py --release COMMIT"


def test_every_row_and_value_the_release_stored_is_still_there(release):
    after = _tables(release.data / "cardscan.db")
    lost = []
    for table, rows in release.before.items():
        if (table, "*") in CHANGED_ON_PURPOSE:
            continue
        if table not in after:
            lost.append(f"table {table} is gone")
            continue
        for rowid, row in rows.items():
            new = after[table].get(rowid)
            if new is None:
                lost.append(f"{table} row {rowid} is gone")
                continue
            for column, value in row.items():
                if (table, column) in CHANGED_ON_PURPOSE:
                    continue
                if column not in new:
                    lost.append(f"{table}.{column} is gone")
                elif new[column] != value:
                    lost.append(
                        f"{table}.{column} of row {rowid}: {value!r} became {new[column]!r}"
                    )
    assert not lost, "\n".join(sorted(set(lost))[:40])


def test_the_release_database_is_kept_before_migrating(release):
    copies = sorted((release.data / BACKUPS_DIR).glob("cardscan-*.db"))
    if _migrations(release.data / "cardscan.db") == release.release_migrations:
        assert copies == []  # nothing to migrate, nothing copied
    else:
        [copy] = copies
        assert _tables(copy) == release.before


def test_the_library_says_what_the_release_said(release):
    said = release.said
    users = said["users"]
    with Store.open(release.data) as store:
        for name, user_id in users.items():
            assert store.users.check_password(name, said["password"]).id == user_id
        assert store.users.by_api_token(said["api_token"]).name == "ana"

        now = datetime(2026, 11, 14, 18, 30, tzinfo=UTC)
        feed = feed_for_token(store, said["feed_token"]["ana"], "https://cards.example.org", now)
        assert sorted(set(re.findall(r"UID:(\S+)", feed.decode()))) == said["feed_uids"]

        for contact_id, then in said["contacts"].items():
            record = store.contacts.get(users[then["user"]], int(contact_id))
            now_ = contact_dict(record)
            assert {f: now_[f] for f in FIELDS} == {f: then[f] for f in FIELDS}, contact_id
            assert now_["merged_into"] == then["merged_into"]
            assert now_["meetings"] == then["meetings"]
            reasons = [(r["text"], r["kind"], r["due"]) for r in now_["reasons"]]
            assert reasons == [(r["text"], r["kind"], r["due"]) for r in then["reasons"]]

        touches = {
            str(t.id): {"contact_id": t.contact_id, "due": t.due.isoformat(), "status": t.status}
            for t in store.touches.all(users["ana"], open_only=False)
        }
        assert touches == said["touches"]
        assert [c.id for c in store.contacts.search(users["ana"], "deck")] == said["search"]["deck"]
        for card_id, card in said["cards"].items():
            assert store.photos.path(card["front"]).is_file(), card_id
        # the chips were a file in prefs/; migration 0010 moved them into the database
        assert preferences.reason_chips(store, users["ana"]) == said["chips"]
