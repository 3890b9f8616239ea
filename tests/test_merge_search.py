"""Duplicates offered on reading, merge and unmerge, FTS search, corrections, backup."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from fake_reader import FakeReader

from cardscan.errors import ConflictError, NotFoundError, ValidationError
from cardscan.models import Contact, Phone
from cardscan.store import Store


@pytest.fixture
def ana(store):
    return store.add_user("ana", "correct horse battery")


@pytest.fixture
def bob(store):
    return store.add_user("bob", "another long secret")


def read_card(store, user, photo: bytes, event=None, reasons=()):
    """Capture a card and let the (fake) reader finish it; return its first contact."""
    card, _ = store.add_card(user.id, photo, event_id=event.id if event else None, reasons=reasons)
    claimed = store.claim_next_card()
    store.finish_card(claimed.id, FakeReader()(photo, None))
    return store.card_contacts(user.id, card.id)[0]


# --- duplicates and merge ---------------------------------------------------------------------


def test_a_likely_duplicate_is_offered_not_merged(store, ana):
    summit = store.add_event(ana.id, "Summit", date(2026, 1, 10))
    expo = store.add_event(ana.id, "Expo", date(2026, 6, 1))
    first = read_card(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", summit)
    second = read_card(store, ana, b"FAKE|Ana Ruiz|ACME Inc|ana@acme.example", expo)
    assert len(store.contacts(ana.id)) == 2  # nothing merged silently
    [offer] = store.duplicate_offers(ana.id)
    assert (offer["contact_id"], offer["other_id"]) == (second.id, first.id)
    assert offer["score"] > 0.9 and "same e-mail ana@acme.example" in offer["reasons"]
    [(candidate, score)] = store.duplicate_candidates(ana.id, second.id)
    assert candidate.id == first.id and score == offer["score"]


def test_merge_keeps_both_meetings_reasons_and_photos_and_unmerge_restores_exactly(store, ana):
    summit = store.add_event(ana.id, "Summit", date(2026, 1, 10))
    expo = store.add_event(ana.id, "Expo", date(2026, 6, 1))
    keep = read_card(
        store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", summit, [("intro", "intro")]
    )
    other = read_card(
        store, ana, b"FAKE|Ana Ruiz|Acme|ana.r@gmail.example", expo, [("send deck", "deck")]
    )
    store.add_important_date(ana.id, other.id, "birthday", 3, 4)
    store.update_contact(ana.id, other.id, {"title": "CTO"})
    before = (store.get_contact(ana.id, keep.id), store.get_contact(ana.id, other.id))
    before_rows = sorted(store.db["contacts"].rows, key=lambda r: r["id"])

    merged = store.merge(ana.id, keep.id, other.id)
    assert {m.event_id for m in merged.meetings} == {summit.id, expo.id}
    assert {r.text for r in merged.reasons} == {"intro", "send deck"}
    assert merged.contact.emails == ["ana@acme.example", "ana.r@gmail.example"]
    assert merged.contact.title == "CTO" and len(merged.dates) == 1
    assert {m.card_id for m in merged.meetings} == {
        keep.meetings[0].card_id,
        other.meetings[0].card_id,
    }
    assert [c.id for c in store.contacts(ana.id)] == [keep.id]
    assert store.get_contact(ana.id, other.id).merged_into == keep.id
    assert [c.id for c in store.search(ana.id, "deck")] == [keep.id]
    with pytest.raises(ConflictError, match="already merged into"):
        store.merge(ana.id, other.id, keep.id)

    kept, restored = store.unmerge(ana.id, other.id)
    assert (kept, restored) == before
    assert sorted(store.db["contacts"].rows, key=lambda r: r["id"]) == before_rows
    assert [c.id for c in store.search(ana.id, "deck")] == [other.id]
    with pytest.raises(NotFoundError, match="not merged"):
        store.unmerge(ana.id, other.id)


def test_unmerge_in_reverse_order(store, ana):
    a = store.add_contact(ana.id, Contact(name="Ana Ruiz", emails=["a@x.example"]))
    b = store.add_contact(ana.id, Contact(name="Ana Ruiz", emails=["b@x.example"]))
    c = store.add_contact(ana.id, Contact(name="Ana Ruiz", emails=["c@x.example"]))
    store.merge(ana.id, a.id, b.id)
    store.merge(ana.id, a.id, c.id)
    with pytest.raises(ConflictError, match=f"unmerge {c.id} first"):
        store.unmerge(ana.id, b.id)
    store.unmerge(ana.id, c.id)
    store.unmerge(ana.id, b.id)
    assert store.get_contact(ana.id, a.id).contact.emails == ["a@x.example"]


def test_merge_refuses_bad_pairs(store, ana, bob):
    a = store.add_contact(ana.id, Contact(name="Ana"))
    b = store.add_contact(bob.id, Contact(name="Ana"))
    with pytest.raises(ValidationError, match="with itself"):
        store.merge(ana.id, a.id, a.id)
    with pytest.raises(NotFoundError):
        store.merge(ana.id, a.id, b.id)
    with pytest.raises(NotFoundError):
        store.merge(bob.id, a.id, b.id)
    with pytest.raises(NotFoundError):
        store.duplicate_candidates(bob.id, a.id)


def test_dismissed_pairs_are_not_offered_again(store, ana):
    a = store.add_contact(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    b = store.add_contact(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    assert [c.id for c, _ in store.duplicate_candidates(ana.id, b.id)] == [a.id]
    store.dismiss_duplicate(ana.id, b.id, a.id)
    assert store.duplicate_candidates(ana.id, b.id) == []
    assert store.duplicate_candidates(ana.id, a.id) == []
    assert store.duplicate_offers(ana.id) == []


def test_duplicates_are_never_offered_across_users(store, ana, bob):
    read_card(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example")
    mine = read_card(store, bob, b"FAKE|Ana Ruiz|Acme|ana@acme.example|bob")
    assert store.duplicate_candidates(bob.id, mine.id) == []
    assert store.duplicate_offers(bob.id) == [] and store.duplicate_offers(ana.id) == []


# --- search ---------------------------------------------------------------------------------


def test_search_covers_names_companies_titles_notes_and_reasons(store, ana, bob):
    ana_ruiz = store.add_contact(
        ana.id, Contact(name="Ana Ruíz", title="CTO", company="Acme", emails=["ana@acme.example"])
    )
    bo = store.add_contact(ana.id, Contact(name="Bo Li", company="Initech", notes="robotics"))
    store.add_contact(bob.id, Contact(name="Ana Ruiz", company="Acme"))
    store.add_reason(ana.id, bo.id, "intro to the sailing club")
    store.set_private_notes(ana.id, ana_ruiz.id, "plays chess")

    def ids(text):
        return [c.id for c in store.search(ana.id, text)]

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
    record = store.add_contact(ana.id, Contact(name="Ana Ruiz", company="Acme"))
    reason = store.add_reason(ana.id, record.id, "send the deck")
    store.update_contact(ana.id, record.id, {"company": "Globex"})
    assert store.search(ana.id, "acme") == []
    assert [c.id for c in store.search(ana.id, "globex")] == [record.id]
    store.delete_reason(ana.id, reason.id)
    assert store.search(ana.id, "deck") == []


# --- corrections ------------------------------------------------------------------------------


def test_corrections_keep_ocr_and_final_values_and_report_per_event(store, ana):
    summit = store.add_event(ana.id, "Summit", date(2026, 1, 10))
    expo = store.add_event(ana.id, "Expo", date(2026, 6, 1))
    a = read_card(store, ana, b"FAKE|Ana Ruz|Acme|ana@acme.example", summit)
    read_card(store, ana, b"FAKE|Bo Li|Initech|bo@initech.example", summit)
    c = read_card(store, ana, b"FAKE|Cy Doe|Globex|cy@globex.example", expo)
    store.update_contact(ana.id, a.id, {"name": "Ana Rui"})
    store.update_contact(ana.id, a.id, {"name": "Ana Ruiz", "title": "CTO"})
    store.update_contact(ana.id, c.id, {"emails": ["cy.doe@globex.example"]})
    store.update_contact(ana.id, c.id, {"emails": ["cy.doe@globex.example"]})  # no change
    history = store.corrections(ana.id, a.id)
    assert [(h["field"], h["ocr_value"], h["final_value"]) for h in history] == [
        ("name", "Ana Ruz", "Ana Rui"),
        ("name", "Ana Ruz", "Ana Ruiz"),
        ("title", None, "CTO"),
    ]
    assert all(h["corrected"] for h in history)
    report = store.corrections_report(ana.id, summit.id)
    assert report["name"] == {"cards": 2, "corrected": 1, "edits": 2, "rate": 0.5}
    assert report["emails"]["corrected"] == 0
    assert store.corrections_report(ana.id, expo.id)["emails"] == {
        "cards": 1,
        "corrected": 1,
        "edits": 1,
        "rate": 1.0,
    }
    assert store.corrections_report(ana.id)["name"]["cards"] == 3


# --- backup and restore -----------------------------------------------------------------------


def test_backup_while_writing_is_consistent_and_restores(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.password_cost = 2**10
        user = store.add_user("ana", "correct horse battery")
        for i in range(20):
            store.add_card(user.id, f"FAKE|P{i}|Co|p{i}@x.example".encode())
    stop = threading.Event()

    def keep_writing():
        with Store.open(data) as writer:
            i = 0
            while not stop.is_set():
                writer.add_card(user.id, f"FAKE|W{i}|Co|w{i}@x.example".encode())
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
        cards = copy.cards(user.id)
        assert len(cards) >= 20
        for card in cards:  # every card in the copy has its photo in the copy
            assert copy.photo_path(card.front).read_bytes().startswith(b"FAKE|")
        assert copy.check_password("ana", "correct horse battery").id == user.id
        card, created = copy.add_card(user.id, b"FAKE|New|Co|n@x.example")
        assert created
    with Store.open(data) as store, pytest.raises(ConflictError, match="already exists"):
        store.backup(restored)


def test_backup_carries_phones_and_contacts(store, ana, tmp_path):
    record = store.add_contact(ana.id, Contact(name="Ana", phones=[Phone("+351 912 345 678")]))
    store.backup(tmp_path / "b")
    with Store.open(tmp_path / "b") as copy:
        assert copy.get_contact(ana.id, record.id) == record
