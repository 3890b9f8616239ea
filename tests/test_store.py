"""The store on a real SQLite file: users, events, cards, contacts, isolation between users."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import date, timedelta

import pytest

from cardscan.errors import AuthError, NotFoundError, ValidationError
from cardscan.models import Contact, Phone
from cardscan.store import Store
from cardscan.store._base import USE_STAMP_EVERY, now

PHOTO = b"\xff\xd8\xff\xe0 pretend jpeg one"
OTHER_PHOTO = b"\xff\xd8\xff\xe0 pretend jpeg two"


# --- opening --------------------------------------------------------------------------------


def test_open_sets_wal_foreign_keys_and_busy_timeout(tmp_path):
    with Store.open(tmp_path / "d") as store:
        assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
        assert store.db.execute("pragma busy_timeout").fetchone()[0] >= 5000
    assert (tmp_path / "d" / "cardscan.db").is_file()


def test_every_data_table_has_a_user_id(store):
    tables = [t for t in store.db.table_names() if not t.startswith(("_", "contacts_fts"))]
    # the users, and the tokens of OCR workers on other machines (they read any user's cards)
    server_wide = {"users", "worker_tokens"}
    for name in tables:
        if name not in server_wide:
            assert "user_id" in store.db[name].columns_dict, name


def test_atomic_rolls_back_everything(store, ana):
    with pytest.raises(RuntimeError), store.atomic():
        store.events.add(ana.id, "Rolled back", date(2026, 1, 1))
        raise RuntimeError("boom")
    assert store.events.all(ana.id) == []


# --- users and tokens -----------------------------------------------------------------------


def test_password_is_hashed_and_checked(store, ana):
    stored = store.db["users"].get(ana.id)["password_hash"]
    assert "correct horse" not in stored and stored.startswith("scrypt$")
    assert store.users.check_password("ana", "correct horse battery") == ana
    with pytest.raises(AuthError, match="wrong user name or password"):
        store.users.check_password("ana", "wrong password")
    with pytest.raises(AuthError, match="wrong user name or password"):
        store.users.check_password("nobody", "correct horse battery")


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [("", "long enough pw", "needs a name"), ("carl", "short", "too short")],
)
def test_bad_new_users_are_refused(store, name, password, message):
    with pytest.raises(ValidationError, match=message):
        store.users.add(name, password)


def test_user_names_are_unique(store, ana):
    with pytest.raises(ValidationError, match="'ana' already exists"):
        store.users.add("ana", "some other password")
    assert [u.name for u in store.users.all()] == ["ana"]


def test_feed_token_is_long_random_and_rotates(store, ana, bob):
    token = store.users.feed_token(ana.id)
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    assert token != store.users.feed_token(bob.id)
    assert store.users.by_feed_token(token) == ana
    new = store.users.rotate_feed_token(ana.id)
    assert new != token and store.users.by_feed_token(new) == ana
    with pytest.raises(NotFoundError):
        store.users.by_feed_token(token)
    with pytest.raises(NotFoundError):
        store.users.by_feed_token("")


def test_checking_a_token_writes_its_last_use_only_now_and_then(store, ana):
    token = store.users.create_api_token(ana.id, "phone script")
    store.users.by_api_token(token)
    [first] = store.users.api_tokens(ana.id)
    changes = store.db.conn.total_changes
    for _ in range(3):  # a script's uploads, one after another: reads only
        assert store.users.by_api_token(token) == ana
    assert store.db.conn.total_changes == changes
    assert store.users.api_tokens(ana.id)[0]["last_used"] == first["last_used"]
    # Once the stamp is older than USE_STAMP_EVERY, the next use writes it again.
    old = (now() - USE_STAMP_EVERY - timedelta(seconds=1)).isoformat()
    store.db["api_tokens"].update(first["id"], {"last_used": old})
    store.users.by_api_token(token)
    assert store.users.api_tokens(ana.id)[0]["last_used"] > first["last_used"]


def test_api_tokens_are_stored_hashed_and_revocable(store, ana, bob):
    token = store.users.create_api_token(ana.id, "phone script")
    assert token not in str(list(store.db["api_tokens"].rows))
    assert store.users.by_api_token(token) == ana
    [info] = store.users.api_tokens(ana.id)
    assert info["label"] == "phone script" and info["last_used"]
    assert store.users.api_tokens(bob.id) == []
    with pytest.raises(NotFoundError):
        store.users.revoke_api_token(bob.id, info["id"])
    store.users.revoke_api_token(ana.id, info["id"])
    with pytest.raises(AuthError):
        store.users.by_api_token(token)


def test_user_lookups(store, ana):
    assert store.users.get(ana.id) == store.users.by_name("ana") == ana
    with pytest.raises(NotFoundError, match="cardscan user add zed"):
        store.users.by_name("zed")
    with pytest.raises(NotFoundError):
        store.users.get(999)


# --- events ---------------------------------------------------------------------------------


def test_events_round_trip(store, ana):
    summit = store.events.add(
        ana.id, "Web Summit", date(2026, 11, 10), date(2026, 11, 13), "Lisbon"
    )
    meetup = store.events.add(ana.id, "Meetup", "2026-12-01")
    assert meetup.end == meetup.start == date(2026, 12, 1)
    assert store.events.all(ana.id) == [meetup, summit]
    assert store.events.get(ana.id, summit.id) == summit
    assert store.events.by_name(ana.id, "Web Summit") == summit


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-13", "2026-11-10", "ends .2026-11-10. before it starts"),
        ("13/11/2026", None, "is not a date: write it as YYYY-MM-DD"),
    ],
)
def test_bad_event_dates(store, ana, start, end, message):
    with pytest.raises(ValidationError, match=message):
        store.events.add(ana.id, "X", start, end)


def test_event_names_are_unique_per_user(store, ana, bob):
    store.events.add(ana.id, "Expo", date(2026, 1, 1))
    store.events.add(bob.id, "Expo", date(2026, 1, 1))  # another user may use the name
    with pytest.raises(ValidationError, match="already have an event named 'Expo'"):
        store.events.add(ana.id, "Expo", date(2026, 2, 1))


# --- cards ----------------------------------------------------------------------------------


def test_add_card_writes_the_photo_then_queues_it(store, ana):
    event = store.events.add(ana.id, "Expo", date(2026, 1, 1))
    card, created = store.cards.add(
        ana.id, PHOTO, back=OTHER_PHOTO, event_id=event.id, reasons=[("send deck", "deck")]
    )
    assert created and card.status == "queued" and card.tries == 0
    assert store.photos.path(card.front).read_bytes() == PHOTO
    assert store.photos.path(card.back).read_bytes() == OTHER_PHOTO
    assert store.photos.path(card.front).parent.name == card.front[:2]
    assert store.cards.get(ana.id, card.id) == card
    assert store.cards.all(ana.id, event_id=event.id) == [card]
    assert store.cards.all(ana.id, status="done") == []
    pending = list(store.db["reasons"].rows)
    assert [(r["text"], r["kind"], r["contact_id"]) for r in pending] == [
        ("send deck", "deck", None)
    ]


def test_add_card_is_idempotent_by_client_uuid(store, ana):
    first, created = store.cards.add(ana.id, PHOTO, client_uuid="u-1")
    again, created_again = store.cards.add(ana.id, OTHER_PHOTO, client_uuid="u-1")
    assert created and not created_again and again == first
    assert len(store.cards.all(ana.id)) == 1


def test_add_card_is_idempotent_by_photo_hash(store, ana):
    first, _ = store.cards.add(ana.id, PHOTO, client_uuid="u-1")
    again, created = store.cards.add(ana.id, PHOTO, client_uuid="u-2")
    assert not created and again.id == first.id
    assert len(store.cards.all(ana.id)) == 1


def test_a_card_is_added_in_one_statement_while_the_writer_turn_is_held(store, ana):
    # Other uploads and the OCR workers wait for the turn: it holds one insert (the turn in
    # the queue and the duplicate check inside it), then the commit, nothing more.
    store.cards.add(ana.id, PHOTO, client_uuid="u-1")  # a card already waiting
    said: list[str] = []
    store.db.conn.set_trace_callback(said.append)
    try:
        card, created = store.cards.add(ana.id, OTHER_PHOTO, client_uuid="u-2")
        again, created_again = store.cards.add(ana.id, OTHER_PHOTO, client_uuid="u-3")
    finally:
        store.db.conn.set_trace_callback(None)
    begins = [i for i, sql in enumerate(said) if sql == "BEGIN IMMEDIATE"]
    held = said[begins[0] + 1 : said.index("COMMIT", begins[0])]
    assert len(held) == 1 and held[0].lstrip().startswith("insert into cards"), held
    assert created and card.turn == 1 and card.status == "queued"  # one after the first
    assert not created_again and again == card  # the same photo, found inside the turn


def test_the_same_photo_for_two_users_is_two_cards(store, ana, bob):
    a, _ = store.cards.add(ana.id, PHOTO)
    b, created = store.cards.add(bob.id, PHOTO)
    assert created and a.id != b.id and a.front == b.front


def test_concurrent_uploads_of_one_capture_make_one_card(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        user = store.users.add("ana", "correct horse battery")
    results = []

    def upload():
        with Store.open(data) as own:
            results.append(own.cards.add(user.id, PHOTO, client_uuid="same")[1])

    threads = [threading.Thread(target=upload) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    with Store.open(data) as store:
        assert len(store.cards.all(user.id)) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"front": b""}, ValidationError, "front photo is empty"),
        ({"event_id": 999}, NotFoundError, "no event with id 999"),
        ({"reasons": [("", "deck")]}, ValidationError, "needs some text"),
        ({"reasons": [("x", "bribe")]}, ValidationError, "kind 'bribe' is unknown"),
        ({"reasons": [("x" * 201, "deck")]}, ValidationError, "201 characters long"),
        ({"reasons": [("x", "deck")] * 6}, ValidationError, "send at most 5"),
    ],
)
def test_bad_cards_are_refused_and_store_nothing(store, ana, kwargs, error, message):
    args = {"front": PHOTO, **kwargs}
    with pytest.raises(error, match=message):
        store.cards.add(ana.id, args.pop("front"), **args)
    assert store.cards.all(ana.id) == []


def test_photo_path_refuses_unknown_and_odd_names(store):
    with pytest.raises(NotFoundError):
        store.photos.path("0" * 64)
    with pytest.raises(NotFoundError, match="sha256 hex"):
        store.photos.path("../../etc/passwd")


def test_photo_survives_a_failed_commit(store, ana):
    """The file is on disk before the row: a failing insert leaves the photo, never a row
    without its photo."""

    store.db.execute(
        "create temp trigger broken before insert on cards"
        " begin select raise(abort, 'disk I/O error'); end"
    )
    with pytest.raises(sqlite3.Error, match="disk I/O error"):
        store.cards.add(ana.id, PHOTO)
    store.db.execute("drop trigger temp.broken")
    assert store.cards.all(ana.id) == []
    card, created = store.cards.add(ana.id, PHOTO)
    assert created and store.photos.path(card.front).read_bytes() == PHOTO


def test_mark_triaged(store, ana):
    card, _ = store.cards.add(ana.id, PHOTO)
    assert store.cards.mark_triaged(ana.id, card.id).triaged
    assert not store.cards.mark_triaged(ana.id, card.id, False).triaged


# --- contacts -------------------------------------------------------------------------------


def ana_ruiz() -> Contact:
    return Contact(
        name="Ana Ruiz",
        title="CTO",
        company="Acme",
        emails=["ana@acme.example"],
        phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
        websites=["acme.example"],
        confidence={"name": 0.9, "emails": 0.99},
    )


def test_contact_round_trip(store, ana):
    event = store.events.add(ana.id, "Expo", date(2026, 1, 1))
    record = store.contacts.add(ana.id, ana_ruiz(), event_id=event.id)
    assert record.contact == ana_ruiz()
    assert [m.event_id for m in record.meetings] == [event.id]
    assert store.contacts.all(ana.id) == [record]
    assert store.contacts.all(ana.id, event_id=event.id) == [record]
    other = store.events.add(ana.id, "Other", date(2026, 2, 1))
    assert store.contacts.all(ana.id, event_id=other.id) == []


def test_update_contact_records_corrections(store, ana):
    record = store.contacts.add(ana.id, ana_ruiz())
    updated = store.contacts.update(
        ana.id, record.id, {"title": "Chief Technology Officer", "phones": ["+44 20 7946 0958"]}
    )
    assert updated.contact.title == "Chief Technology Officer"
    assert updated.contact.phones[0].e164 == "+442079460958"
    assert updated.contact.confidence["title"] == 1.0
    fields = [r["field"] for r in store.db["corrections"].rows]
    assert fields == ["title", "phones"]
    with pytest.raises(ValidationError, match="'age' is not a contact field"):
        store.contacts.update(ana.id, record.id, {"age": 3})


def test_reasons_notes_and_dates(store, ana):
    record = store.contacts.add(ana.id, ana_ruiz())
    reason = store.reasons.add(ana.id, record.id, "coffee in March", "meeting", due="2027-03-01")
    assert reason.due == date(2027, 3, 1)
    changed = store.reasons.update(ana.id, reason.id, text="coffee in April", confirmed=True)
    assert changed.text == "coffee in April" and changed.confirmed and changed.due
    assert store.reasons.update(ana.id, reason.id, due=None).due is None
    store.contacts.set_private_notes(ana.id, record.id, "likes sailing")
    birthday = store.dates.add(ana.id, record.id, "birthday", 2, 29)
    got = store.contacts.get(ana.id, record.id)
    assert got.private_notes == "likes sailing"
    assert got.reasons == [store.reasons.get(ana.id, reason.id)]
    assert got.dates == [birthday]
    with pytest.raises(ValidationError, match="not a day of the year"):
        store.dates.add(ana.id, record.id, "birthday", 2, 30)
    store.reasons.delete(ana.id, reason.id)
    store.dates.delete(ana.id, birthday.id)
    assert store.contacts.get(ana.id, record.id).reasons == []


# --- isolation ------------------------------------------------------------------------------


def test_another_users_ids_are_not_found(store, ana, bob):
    event = store.events.add(ana.id, "Expo", date(2026, 1, 1))
    card, _ = store.cards.add(ana.id, PHOTO, event_id=event.id)
    contact = store.contacts.add(ana.id, ana_ruiz())
    reason = store.reasons.add(ana.id, contact.id, "intro", "intro")
    day = store.dates.add(ana.id, contact.id, "birthday", 1, 2)
    calls = [
        lambda: store.events.get(bob.id, event.id),
        lambda: store.events.by_name(bob.id, "Expo"),
        lambda: store.cards.get(bob.id, card.id),
        lambda: store.cards.add(bob.id, OTHER_PHOTO, event_id=event.id),
        lambda: store.cards.mark_triaged(bob.id, card.id),
        lambda: store.cards.contacts(bob.id, card.id),
        lambda: store.contacts.get(bob.id, contact.id),
        lambda: store.contacts.update(bob.id, contact.id, {"name": "X"}),
        lambda: store.reasons.add(bob.id, contact.id, "x"),
        lambda: store.reasons.get(bob.id, reason.id),
        lambda: store.reasons.update(bob.id, reason.id, text="x"),
        lambda: store.reasons.delete(bob.id, reason.id),
        lambda: store.contacts.set_private_notes(bob.id, contact.id, "x"),
        lambda: store.dates.add(bob.id, contact.id, "birthday", 1, 1),
        lambda: store.dates.delete(bob.id, day.id),
        lambda: store.contacts.add(bob.id, ana_ruiz(), event_id=event.id),
    ]
    for call in calls:
        with pytest.raises(NotFoundError):
            call()
    assert (
        store.cards.all(bob.id) == []
        and store.contacts.all(bob.id) == []
        and store.events.all(bob.id) == []
    )
    assert store.contacts.get(ana.id, contact.id).contact.name == "Ana Ruiz"


def test_writers_of_one_process_take_turns_before_asking_sqlite(tmp_path):
    # SQLite's busy wait polls with growing sleeps, in no order: under a burst of uploads
    # the writer that waited longest sleeps longest. This process's writers queue on a lock
    # of their own instead, and the next starts as soon as the one before has committed.
    first = Store.open(tmp_path / "data")
    second = Store.open(tmp_path / "data", migrate=False)
    began: list[float] = []
    second.db.conn.set_trace_callback(
        lambda sql: began.append(time.perf_counter()) if sql.startswith("BEGIN") else None
    )
    holding = threading.Event()
    done: list[float] = []

    def write_slowly() -> None:
        with first.atomic():
            holding.set()
            time.sleep(0.3)
            done.append(time.perf_counter())

    writer = threading.Thread(target=write_slowly)
    writer.start()
    holding.wait()
    with second.atomic():
        pass
    writer.join()
    first.close()
    second.close()
    assert began[0] > done[0]  # it asked SQLite only once the first had finished
    assert second.timings()["lock"] >= 0.2 and first.timings()["lock"] < 0.1


def test_a_commit_is_synced_before_it_returns_and_the_next_writer_commits_meanwhile(
    tmp_path, monkeypatch
):
    # Durable: each commit's write-ahead log is fsynced before atomic() returns. But after
    # the write lock is released: another writer commits while the disk works.
    first = Store.open(tmp_path / "data")
    second = Store.open(tmp_path / "data", migrate=False)
    with first.atomic():
        first.db.execute("create table notes (text text)")
    events: list[tuple[str, float]] = []
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        log = os.readlink(f"/proc/self/fd/{fd}").endswith("cardscan.db-wal")
        if log and threading.current_thread().name == "slow":
            time.sleep(0.5)  # a busy disk
        real_fsync(fd)
        events.append(("synced " + threading.current_thread().name, time.perf_counter()))

    monkeypatch.setattr(os, "fsync", slow_fsync)

    def write(store: Store) -> None:
        with store.atomic():
            store.db.execute("insert into notes values (?)", [threading.current_thread().name])
        events.append(("returned " + threading.current_thread().name, time.perf_counter()))

    slow = threading.Thread(target=write, args=(first,), name="slow")
    fast = threading.Thread(target=write, args=(second,), name="fast")
    slow.start()
    time.sleep(0.2)  # the slow writer has committed and is syncing
    fast.start()
    fast.join()
    slow.join()
    first.close()
    second.close()
    order = [what for what, _ in sorted(events, key=lambda e: e[1])]
    assert order == ["synced fast", "returned fast", "synced slow", "returned slow"]
    with Store.open(tmp_path / "data") as store:
        assert {r[0] for r in store.db.execute("select text from notes")} == {"slow", "fast"}
