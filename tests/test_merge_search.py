"""Duplicates offered on reading, merge and unmerge, FTS search, corrections, backup."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from cardscan.errors import ConflictError, NotFoundError, ValidationError
from cardscan.models import Contact, Phone
from cardscan.store import Store
from tests.support.fake_reader import FakeReader
from tests.support.stores import open_store


def read_card(store, user, photo: bytes, event=None, reasons=()):
    """Capture a card and let the (fake) reader finish it; return its first contact."""
    card, _ = store.cards.add(user.id, photo, event_id=event.id if event else None, reasons=reasons)
    claimed = store.cards.claim_next()
    store.cards.finish(claimed.id, FakeReader()(photo, None))
    return store.cards.contacts(user.id, card.id)[0]


# --- duplicates and merge ---------------------------------------------------------------------


def test_a_likely_duplicate_is_offered_not_merged(store, ana):
    summit = store.events.add(ana.id, "Summit", date(2026, 1, 10))
    expo = store.events.add(ana.id, "Expo", date(2026, 6, 1))
    first = read_card(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", summit)
    second = read_card(store, ana, b"FAKE|Ana Ruiz|ACME Inc|ana@acme.example", expo)
    assert len(store.contacts.all(ana.id)) == 2  # nothing merged silently
    [offer] = store.duplicates.offers(ana.id)
    assert (offer["contact_id"], offer["other_id"]) == (second.id, first.id)
    assert offer["score"] > 0.9 and "same e-mail ana@acme.example" in offer["reasons"]
    [(candidate, score)] = store.duplicates.candidates(ana.id, second.id)
    assert candidate.id == first.id and score == offer["score"]


def test_merge_keeps_both_meetings_reasons_and_photos_and_unmerge_restores_exactly(store, ana):
    summit = store.events.add(ana.id, "Summit", date(2026, 1, 10))
    expo = store.events.add(ana.id, "Expo", date(2026, 6, 1))
    keep = read_card(
        store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", summit, [("intro", "intro")]
    )
    other = read_card(
        store, ana, b"FAKE|Ana Ruiz|Acme|ana.r@gmail.example", expo, [("send deck", "deck")]
    )
    store.dates.add(ana.id, other.id, "birthday", 3, 4)
    store.contacts.update(ana.id, other.id, {"title": "CTO"})
    before = (store.contacts.get(ana.id, keep.id), store.contacts.get(ana.id, other.id))
    before_rows = sorted(store.db["contacts"].rows, key=lambda r: r["id"])

    merged = store.duplicates.merge(ana.id, keep.id, other.id)
    assert {m.event_id for m in merged.meetings} == {summit.id, expo.id}
    assert {r.text for r in merged.reasons} == {"intro", "send deck"}
    assert merged.contact.emails == ["ana@acme.example", "ana.r@gmail.example"]
    assert merged.contact.title == "CTO" and len(merged.dates) == 1
    assert {m.card_id for m in merged.meetings} == {
        keep.meetings[0].card_id,
        other.meetings[0].card_id,
    }
    assert [c.id for c in store.contacts.all(ana.id)] == [keep.id]
    assert store.contacts.get(ana.id, other.id).merged_into == keep.id
    assert [c.id for c in store.contacts.search(ana.id, "deck")] == [keep.id]
    with pytest.raises(ConflictError, match="already merged into"):
        store.duplicates.merge(ana.id, other.id, keep.id)

    kept, restored = store.duplicates.unmerge(ana.id, other.id)
    assert (kept, restored) == before
    assert sorted(store.db["contacts"].rows, key=lambda r: r["id"]) == before_rows
    assert [c.id for c in store.contacts.search(ana.id, "deck")] == [other.id]
    with pytest.raises(NotFoundError, match="not merged"):
        store.duplicates.unmerge(ana.id, other.id)


def test_unmerge_keeps_the_edits_made_after_the_merge(store, ana):
    keep = store.contacts.add(
        ana.id, Contact(name="Ana Ruiz", title="Sales", emails=["ana@acme.example"])
    )
    other = store.contacts.add(
        ana.id, Contact(name="Ana Ruiz", company="Acme", emails=["ana.r@gmail.example"])
    )
    store.contacts.set_private_notes(ana.id, keep.id, "met at the stand")
    store.duplicates.merge(ana.id, keep.id, other.id)
    store.contacts.update(ana.id, keep.id, {"title": "Head of Sales"})
    store.contacts.set_private_notes(ana.id, keep.id, "met at the stand; loves trail running")
    kept, restored = store.duplicates.unmerge(ana.id, other.id)
    assert kept.contact.title == "Head of Sales"  # edited after the merge: kept
    assert kept.private_notes == "met at the stand; loves trail running"
    assert kept.contact.emails == ["ana@acme.example"]  # the other's e-mail went back
    assert kept.contact.company is None and kept.contact.confidence["title"] == 1.0
    assert (restored.contact.company, restored.contact.emails) == ("Acme", ["ana.r@gmail.example"])
    assert "title" in store.contacts.corrections(ana.id, keep.id)[-1]["field"]


def test_unmerge_in_reverse_order(store, ana):
    a = store.contacts.add(ana.id, Contact(name="Ana Ruiz", emails=["a@x.example"]))
    b = store.contacts.add(ana.id, Contact(name="Ana Ruiz", emails=["b@x.example"]))
    c = store.contacts.add(ana.id, Contact(name="Ana Ruiz", emails=["c@x.example"]))
    store.duplicates.merge(ana.id, a.id, b.id)
    store.duplicates.merge(ana.id, a.id, c.id)
    with pytest.raises(ConflictError, match=f"unmerge {c.id} first"):
        store.duplicates.unmerge(ana.id, b.id)
    store.duplicates.unmerge(ana.id, c.id)
    store.duplicates.unmerge(ana.id, b.id)
    assert store.contacts.get(ana.id, a.id).contact.emails == ["a@x.example"]


def test_merge_refuses_bad_pairs(store, ana, bob):
    a = store.contacts.add(ana.id, Contact(name="Ana"))
    b = store.contacts.add(bob.id, Contact(name="Ana"))
    with pytest.raises(ValidationError, match="with itself"):
        store.duplicates.merge(ana.id, a.id, a.id)
    with pytest.raises(NotFoundError):
        store.duplicates.merge(ana.id, a.id, b.id)
    with pytest.raises(NotFoundError):
        store.duplicates.merge(bob.id, a.id, b.id)
    with pytest.raises(NotFoundError):
        store.duplicates.candidates(bob.id, a.id)


def test_dismissed_pairs_are_not_offered_again(store, ana):
    a = store.contacts.add(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    b = store.contacts.add(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    assert [c.id for c, _ in store.duplicates.candidates(ana.id, b.id)] == [a.id]
    store.duplicates.dismiss(ana.id, b.id, a.id)
    assert store.duplicates.candidates(ana.id, b.id) == []
    assert store.duplicates.candidates(ana.id, a.id) == []
    assert store.duplicates.offers(ana.id) == []


def test_duplicates_are_never_offered_across_users(store, ana, bob):
    read_card(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example")
    mine = read_card(store, bob, b"FAKE|Ana Ruiz|Acme|ana@acme.example|bob")
    assert store.duplicates.candidates(bob.id, mine.id) == []
    assert store.duplicates.offers(bob.id) == [] and store.duplicates.offers(ana.id) == []


# --- search ---------------------------------------------------------------------------------


def test_search_covers_names_companies_titles_notes_and_reasons(store, ana, bob):
    ana_ruiz = store.contacts.add(
        ana.id, Contact(name="Ana Ruíz", title="CTO", company="Acme", emails=["ana@acme.example"])
    )
    bo = store.contacts.add(ana.id, Contact(name="Bo Li", company="Initech", notes="robotics"))
    store.contacts.add(bob.id, Contact(name="Ana Ruiz", company="Acme"))
    store.reasons.add(ana.id, bo.id, "intro to the sailing club")
    store.contacts.set_private_notes(ana.id, ana_ruiz.id, "plays chess")

    def ids(text):
        return [c.id for c in store.contacts.search(ana.id, text)]

    assert ids("ruiz") == [ana_ruiz.id]  # accents folded
    assert ids("ana acme") == [ana_ruiz.id]
    assert ids("cto") == [ana_ruiz.id]
    assert ids("robot") == [bo.id]  # prefix
    assert ids("sailing") == [bo.id]  # reasons
    assert ids("chess") == [ana_ruiz.id]  # notes
    assert ids("acme.example") == [ana_ruiz.id]
    assert ids("nobody") == [] and ids("  ") == []
    assert ids('"unbalanced AND (') == []  # FTS syntax in the text is harmless


def test_search_follows_edits_and_deletes(store, ana):
    record = store.contacts.add(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    reason = store.reasons.add(ana.id, record.id, "send the deck")
    store.contacts.update(ana.id, record.id, {"company": "Globex"})
    assert store.contacts.search(ana.id, "acme") == []
    assert [c.id for c in store.contacts.search(ana.id, "globex")] == [record.id]
    store.reasons.delete(ana.id, reason.id)
    assert store.contacts.search(ana.id, "deck") == []


# --- corrections ------------------------------------------------------------------------------


def test_corrections_keep_ocr_and_final_values_and_report_per_event(store, ana):
    summit = store.events.add(ana.id, "Summit", date(2026, 1, 10))
    expo = store.events.add(ana.id, "Expo", date(2026, 6, 1))
    a = read_card(store, ana, b"FAKE|Ana Ruz|Acme|ana@acme.example", summit)
    read_card(store, ana, b"FAKE|Bo Li|Initech|bo@initech.example", summit)
    c = read_card(store, ana, b"FAKE|Cy Doe|Globex|cy@globex.example", expo)
    store.contacts.update(ana.id, a.id, {"name": "Ana Rui"})
    store.contacts.update(ana.id, a.id, {"name": "Ana Ruiz", "title": "CTO"})
    store.contacts.update(ana.id, c.id, {"emails": ["cy.doe@globex.example"]})
    store.contacts.update(ana.id, c.id, {"emails": ["cy.doe@globex.example"]})  # no change
    history = store.contacts.corrections(ana.id, a.id)
    assert [(h["field"], h["ocr_value"], h["final_value"]) for h in history] == [
        ("name", "Ana Ruz", "Ana Rui"),
        ("name", "Ana Ruz", "Ana Ruiz"),
        ("title", None, "CTO"),
    ]
    assert all(h["corrected"] for h in history)
    report = store.contacts.corrections_report(ana.id, summit.id)
    assert report["name"] == {"cards": 2, "corrected": 1, "edits": 2, "rate": 0.5}
    assert report["emails"]["corrected"] == 0
    assert store.contacts.corrections_report(ana.id, expo.id)["emails"] == {
        "cards": 1,
        "corrected": 1,
        "edits": 1,
        "rate": 1.0,
    }
    assert store.contacts.corrections_report(ana.id)["name"]["cards"] == 3


# --- backup and restore -----------------------------------------------------------------------


def test_backup_while_writing_is_consistent_and_restores(tmp_path):
    data = tmp_path / "data"
    with open_store(data) as store:
        user = store.users.add("ana", "correct horse battery")
        for i in range(20):
            store.cards.add(user.id, f"FAKE|P{i}|Co|p{i}@x.example".encode())
    stop = threading.Event()

    def keep_writing():
        with Store.open(data) as writer:
            i = 0
            while not stop.is_set():
                writer.cards.add(user.id, f"FAKE|W{i}|Co|w{i}@x.example".encode())
                i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        with Store.open(data) as store:
            path = store.backup(tmp_path / "backup")
    finally:
        stop.set()
        thread.join()
    # restore = use the backup directory as (or copy it to) the data directory
    restored = tmp_path / "restored"
    (tmp_path / "backup").rename(restored)
    with Store.open(restored) as copy:
        assert path.name == "cardscan.db"
        assert copy.db.execute("pragma integrity_check").fetchone()[0] == "ok"
        cards = copy.cards.all(user.id)
        assert len(cards) >= 20
        for card in cards:  # every card in the copy has its photo in the copy
            assert copy.photos.path(card.front).read_bytes().startswith(b"FAKE|")
        assert copy.users.check_password("ana", "correct horse battery").id == user.id
        card, created = copy.cards.add(user.id, b"FAKE|New|Co|n@x.example")
        assert created
    with Store.open(data) as store, pytest.raises(ConflictError, match="already exists"):
        store.backup(restored)


def test_backup_carries_phones_and_contacts(store, ana, tmp_path):
    record = store.contacts.add(ana.id, Contact(name="Ana", phones=[Phone("+351 912 345 678")]))
    store.backup(tmp_path / "b")
    with Store.open(tmp_path / "b") as copy:
        assert copy.contacts.get(ana.id, record.id) == record
