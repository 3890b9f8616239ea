"""Merge and unmerge on the contact page: met at each event once, honest history, edits kept."""

from __future__ import annotations

from datetime import date

from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.store import Store


def test_a_merged_contact_reads_right_and_unmerge_keeps_later_edits(ana, users, data_dir):
    uid = users["ana"]
    with Store.open(data_dir) as store:
        summit = store.events.add(uid, "Web Summit 2026", date.today(), date.today())
        a = store.contacts.add(
            uid, Contact(name="Ana Ruiz", emails=["a@x.example"]), event_id=summit.id
        )
        b = store.contacts.add(
            uid, Contact(name="Ana Ruiz", emails=["b@x.example"]), event_id=summit.id
        )
        for cid in (a.id, b.id):
            FollowUps(store, uid, date.today()).plan_contact(cid)
        store.duplicates.merge(uid, a.id, b.id)
    page = ana.get(f"/contacts/{a.id}").get_data(as_text=True)
    assert page.count("Web Summit 2026</a>") == 1  # met there once, not twice
    assert "merged with a duplicate" in page and " · skipped · " not in page
    assert "Merged in: Ana Ruiz" in page
    ana.post(f"/contacts/{a.id}/edit", data={"csrf_token": ana.csrf, "title": "Head of Sales"})
    done = ana.post(f"/contacts/{a.id}/unmerge/{b.id}", data={"csrf_token": ana.csrf})
    assert done.status_code == 302
    kept = ana.get(f"/api/contacts/{a.id}").get_json()
    assert kept["fields"]["title"] == "Head of Sales" and kept["fields"]["emails"] == [
        "a@x.example"
    ]
    assert ana.get(f"/api/contacts/{b.id}").get_json()["merged_into"] is None
    again = ana.post(f"/contacts/{a.id}/unmerge/{b.id}", data={"csrf_token": ana.csrf})
    assert again.status_code == 404
