"""Deleting a contact: gone from the database file (free pages and log too) and from disk."""

from __future__ import annotations

from datetime import date

import pytest

from cardscan.errors import NotFoundError
from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.store import DB_NAME
from tests.support.fake_reader import FakeReader

TODAY = date(2026, 12, 7)
MARK = "Zebulon Quarterfield"


def _read(store, user_id, photo, event_id):
    card, _ = store.cards.add(user_id, photo, event_id=event_id)
    store.cards.finish(card.id, FakeReader()(photo, None))
    return store.cards.get(user_id, card.id)


def _file_bytes(data_dir):
    return b"".join(
        p.read_bytes() for p in data_dir.iterdir() if p.name.startswith(DB_NAME) and p.is_file()
    )


def test_a_deleted_contact_is_gone_from_the_file_the_photos_and_the_search(store, tmp_path):
    ana = store.users.add("ana", "correct horse battery")
    event = store.events.add(ana.id, "Expo", date(2026, 12, 1), date(2026, 12, 2))
    card = _read(
        store, ana.id, f"FAKE|{MARK}|Quarterfield Ltd|zq@quarter.example".encode(), event.id
    )
    keep = _read(store, ana.id, b"FAKE|Bea Lima|Initech|bea@initech.example", event.id)
    zeb = card.contact_id
    FollowUps(store, ana.id, TODAY).add_reason(zeb, text="send the Quarterfield deck")
    store.contacts.update(ana.id, zeb, {"title": "Chief Quarterfield Officer"})
    store.contacts.set_private_notes(ana.id, zeb, "met Zebulon at the Quarterfield stand")
    store.dates.add(ana.id, zeb, "birthday", 3, 4)
    FollowUps(store, ana.id, TODAY).plan_contact(zeb)
    photo = store.photos.path(card.front)
    thumb_dir = store.photos.cache_dir / card.front[:2]
    thumb_dir.mkdir(parents=True, exist_ok=True)
    (thumb_dir / f"{card.front}-thumb0-front-x.jpg").write_bytes(b"jpeg")
    assert store.contacts.search(ana.id, "Quarterfield")
    data_dir = store.data_dir
    assert MARK.encode() in _file_bytes(data_dir)

    preview = store.deletions.contact_deletion(ana.id, zeb)
    assert preview.contact_ids == [zeb] and preview.cards == [card.id] and preview.photos == 1
    assert preview.reasons == 1 and preview.important_dates == 1 and preview.notes
    assert preview.open_touches >= 4  # thank-you, check-in, keep in touch, birthday

    gone = store.deletions.delete_contact(ana.id, zeb)
    assert gone.contact_ids == [zeb] and gone.log_truncated
    with pytest.raises(NotFoundError):
        store.contacts.get(ana.id, zeb)
    with pytest.raises(NotFoundError):
        store.cards.get(ana.id, card.id)
    assert store.touches.all(ana.id, contact_id=zeb, open_only=False) == []
    assert store.contacts.search(ana.id, "Quarterfield") == []
    assert not photo.exists() and not list(thumb_dir.glob(f"{card.front}-*"))
    blob = _file_bytes(data_dir)
    for word in (MARK, "zq@quarter.example", "Quarterfield deck", "Chief Quarterfield", "stand"):
        assert word.encode() not in blob, word
    # Bea, and her photo, are untouched.
    assert store.contacts.get(ana.id, keep.contact_id).contact.name == "Bea Lima"
    assert store.photos.path(keep.front).exists()
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_contacts_merged_into_it_go_too_and_a_shared_photo_stays(store):
    ana = store.users.add("ana", "correct horse battery")
    ben = store.users.add("ben", "another long secret")
    event = store.events.add(ana.id, "Expo", date(2026, 12, 1), date(2026, 12, 2))
    photo = b"FAKE|Rui Costa|Acme|rui@acme.example"
    mine = _read(store, ana.id, photo, event.id)
    twin = store.contacts.add(ana.id, Contact(name="Rui Costa", emails=["rui@acme.example"]))
    store.duplicates.merge(ana.id, mine.contact_id, twin.id)
    bens = _read(store, ben.id, photo, None)  # the same photo, another user
    gone = store.deletions.delete_contact(ana.id, mine.contact_id)
    assert sorted(gone.contact_ids) == sorted([mine.contact_id, twin.id])
    assert store.contacts.all(ana.id, include_merged=True) == []
    assert gone.photos == 0 and store.photos.path(bens.front).exists()
    with pytest.raises(NotFoundError):
        store.deletions.delete_contact(ben.id, bens.contact_id + 1000)
    with pytest.raises(NotFoundError):  # another user's contact is not found
        store.deletions.delete_contact(ana.id, bens.contact_id)
