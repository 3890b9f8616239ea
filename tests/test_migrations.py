"""Schema migrations: each one upgrades a database made by the version before it."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from cardscan.migrations import migrations
from cardscan.store import Store
from cardscan.store._base import connect
from cardscan.store.users import hash_password


def test_a_new_database_gets_every_migration(tmp_path):
    with Store.open(tmp_path) as store:
        applied = [m.name for m in migrations.applied(store.db)]
        assert applied == [m.name for m in migrations._migrations]
        assert migrations.pending(store.db) == []
        for table in (
            "users",
            "events",
            "cards",
            "contacts",
            "reasons",
            "meetings",
            "plans",
            "touches",
            "important_dates",
            "corrections",
            "contacts_fts",
        ):
            assert store.db[table].exists(), table


def test_upgrade_from_0001_keeps_data_and_indexes_it_for_search(tmp_path):
    path = tmp_path / "cardscan.db"
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before="0002_search_sync")  # the database as version 0001 left it
    old["users"].insert(
        {
            "id": 1,
            "name": "ana",
            "password_hash": "x",
            "feed_token": "t",
            "feed_token_sha256": "h",
            "created": "2026-01-01T00:00:00+00:00",
        }
    )
    old["contacts"].insert(
        {
            "id": 7,
            "user_id": 1,
            "name": "Ana Ruiz",
            "company": "Acme",
            "emails_json": '["ana@acme.example"]',
            "created": "2026-01-01T00:00:00+00:00",
            "updated": "2026-01-01T00:00:00+00:00",
        }
    )
    old["reasons"].insert(
        {
            "user_id": 1,
            "contact_id": 7,
            "text": "send deck",
            "kind": "deck",
            "created": "2026-01-01T00:00:00+00:00",
        }
    )
    old.close()

    with Store(path) as store:
        assert [m.name for m in migrations.pending(store.db)] == []
        assert store.get_contact(1, 7).contact.emails == ["ana@acme.example"]
        assert [c.id for c in store.search(1, "deck")] == [7]  # indexed on upgrade
        store.update_contact(1, 7, {"company": "Globex"})
        assert [c.id for c in store.search(1, "globex")] == [7]  # and kept in sync after


def test_opening_again_applies_nothing(tmp_path):
    Store.open(tmp_path).close()
    with Store.open(tmp_path) as store:
        from cardscan.migrations import migrate

        assert migrate(store.db) == []


def test_upgrade_to_0003_keeps_logins_and_moves_capture_dates_out_of_reason_texts(tmp_path):
    path = tmp_path / "cardscan.db"
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before="0003_session_epoch_and_reason_due")
    # Rows as the version before wrote them (its own code is gone, so plain inserts).
    stamp = "2026-11-01T00:00:00+00:00"
    old["users"].insert(
        {
            "id": 1,
            "name": "ana",
            "password_hash": hash_password("correct horse battery", n=2**10),
            "feed_token": "t",
            "feed_token_sha256": "h",
            "created": stamp,
        }
    )
    old["contacts"].insert(
        {"id": 7, "user_id": 1, "name": "Rui Costa", "created": stamp, "updated": stamp}
    )
    for text in ("send deck by 2026-12-01", "lunch by 2026-02-30", "send deck", "go by bus"):
        old["reasons"].insert(
            {"user_id": 1, "contact_id": 7, "text": text, "kind": "other", "created": stamp}
        )
    old["touches"].insert(
        {
            "user_id": 1,
            "contact_id": 7,
            "kind": "reason",
            "title": "send deck by 2026-12-01",
            "due": "2026-12-01",
            "created": stamp,
            "updated": stamp,
        }
    )
    old.close()

    with Store(path) as store:
        assert migrations.pending(store.db) == []
        user = store.check_password("ana", "correct horse battery")
        assert user.session_epoch == 0  # sessions made before the upgrade stay valid
        assert store.end_sessions(user.id) == 1
        reasons = [(r.text, r.due) for r in store.get_contact(1, 7).reasons]
        assert reasons == [
            ("send deck", date(2026, 12, 1)),
            ("lunch by 2026-02-30", None),  # not a date: left as typed
            ("send deck", None),
            ("go by bus", None),
        ]
        assert [t.title for t in store.touches(1)] == ["send deck"]
