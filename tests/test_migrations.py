"""Schema migrations: each one upgrades a database made by the version before it."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from cardscan.store import Store
from cardscan.store._base import connect
from cardscan.store.migrations import migrations
from cardscan.store.users import hash_password
from tests.support.old_database import old_database


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
            "preferences",
            "outreach_prefs",
            "draft_templates",
            "digests",
            "used_links",
            "touch_acts",
        ):
            assert store.db[table].exists(), table


def test_upgrade_from_0001_keeps_data_and_indexes_it_for_search(tmp_path):
    path = tmp_path / "cardscan.db"
    old = old_database(path, "0002_search_sync")  # the database as version 0001 left it
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
        assert store.contacts.get(1, 7).contact.emails == ["ana@acme.example"]
        assert [c.id for c in store.contacts.search(1, "deck")] == [7]  # indexed on upgrade
        store.contacts.update(1, 7, {"company": "Globex"})
        assert [c.id for c in store.contacts.search(1, "globex")] == [7]  # and kept in sync after


def test_opening_again_applies_nothing(tmp_path):
    Store.open(tmp_path).close()
    with Store.open(tmp_path) as store:
        from cardscan.store.upgrade import migrate

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
        user = store.users.check_password("ana", "correct horse battery")
        assert user.session_epoch == 0  # sessions made before the upgrade stay valid
        assert store.users.end_sessions(user.id) == 1
        reasons = [(r.text, r.due) for r in store.contacts.get(1, 7).reasons]
        assert reasons == [
            ("send deck", date(2026, 12, 1)),
            ("lunch by 2026-02-30", None),  # not a date: left as typed
            ("send deck", None),
            ("go by bus", None),
        ]
        assert [t.title for t in store.touches.all(1)] == ["send deck"]


def test_upgrade_to_0004_moves_the_triaged_flag_to_the_card_read_and_brings_back_second_cards(
    tmp_path,
):
    from cardscan.triage import triage_queue

    path = tmp_path / "cardscan.db"
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before="0004_contacts_triaged")
    stamp = "2026-11-08T00:00:00+00:00"
    old["users"].insert(
        {"id": 1, "name": "ana", "password_hash": "x", "feed_token": "t", "feed_token_sha256": "h"}
        | {"created": stamp}
    )
    old["events"].insert(
        {"id": 1, "user_id": 1, "name": "Expo", "start_date": "2026-11-06"}
        | {"end_date": "2026-11-07", "created": stamp}
    )
    # Card 1: a photo of two cards, triaged (only its first contact was ever shown).
    # Card 2: one card, triaged. Card 3: one card, not triaged yet.
    for card_id, triaged in ((1, 1), (2, 1), (3, 0)):
        old["cards"].insert(
            {"id": card_id, "user_id": 1, "event_id": 1, "status": "done"}
            | {"front_photo": f"{card_id:064x}", "triaged": triaged}
            | {"created": stamp, "updated": stamp}
        )
    for contact_id, card_id, index, name in (
        (10, 1, 0, "Ana Ruiz"),
        (11, 1, 1, "Bo Li"),
        (20, 2, 0, "Cy Dee"),
        (30, 3, 0, "Di Eve"),
    ):
        old["contacts"].insert(
            {"id": contact_id, "user_id": 1, "name": name, "card_id": card_id}
            | {"card_index": index, "created": stamp, "updated": stamp}
        )
    old.execute("update cards set contact_id = id * 10")
    old.conn.commit()
    old.close()

    with Store(path) as store:
        assert migrations.pending(store.db) == []
        triaged = {r.contact.name: r.triaged for r in store.contacts.all(1)}
        assert triaged == {"Ana Ruiz": True, "Bo Li": False, "Cy Dee": True, "Di Eve": False}
        assert [(c.id, c.triaged) for c in store.cards.all(1)] == [
            (1, False),
            (2, True),
            (3, False),
        ]
        queue = triage_queue(store, 1, 1)
        assert [(i.card.id, i.index) for i in queue.items] == [(1, 1), (3, 0)]
        assert (queue.total, queue.left) == (4, 2)
        assert [c.id for c in store.contacts.search(1, "Li")] == [11]  # still found, once


def test_upgrade_to_0010_reads_the_preferences_kept_on_disk_into_the_database(tmp_path):
    """Reason chips were kept in DATA/prefs/<user_id>.json: after the upgrade they are in the
    database (so a backup has them), and a file for no user or a damaged one is passed over."""
    import json

    from cardscan.preferences import DEFAULT_CHIPS, reason_chips

    path = tmp_path / "cardscan.db"
    old = sqlite_utils.Database(connect(path))
    migrations.apply(old, stop_before="0010_preferences")
    stamp = "2026-11-08T00:00:00+00:00"
    for user_id, name in ((1, "ana"), (2, "bo")):
        old["users"].insert(
            {"id": user_id, "name": name, "password_hash": "x", "feed_token": f"t{user_id}"}
            | {"feed_token_sha256": f"h{user_id}", "created": stamp}
        )
    old.close()
    prefs = tmp_path / "prefs"
    prefs.mkdir()
    (prefs / "1.json").write_text(json.dumps({"chips": ["send deck", "Café ☕"]}))
    (prefs / "2.json").write_text("{not json")
    (prefs / "9.json").write_text(json.dumps({"chips": ["nobody's"]}))

    with Store(path) as store:
        assert migrations.pending(store.db) == []
        assert reason_chips(store, 1) == ["send deck", "Café ☕"]
        assert reason_chips(store, 2) == list(DEFAULT_CHIPS)
        assert [r["user_id"] for r in store.db["preferences"].rows] == [1]
        backup = store.backup(tmp_path / "backup")
    with Store(backup) as copy:
        assert reason_chips(copy, 1) == ["send deck", "Café ☕"]


def test_preferences_are_per_user_and_default_until_set(store):
    ana = store.users.add("ana", "a long password")
    bo = store.users.add("bo", "a long password")
    assert store.preferences.get(ana.id, "chips", ["default"]) == ["default"]
    store.preferences.set(ana.id, "chips", ["intro"])
    assert store.preferences.get(ana.id, "chips") == ["intro"]
    assert store.preferences.get(bo.id, "chips") is None
