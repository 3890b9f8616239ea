"""The capture prompt's API through the test client: the same card twice, reasons after the
upload, the card in brief while it is read, and "already met at"."""

from __future__ import annotations

import uuid
from datetime import date

from cardscan.models import Contact
from cardscan.store import Store
from tests.support.read_cards import finish_read


def _finish(data_dir, card_id: int, contact: Contact) -> None:
    """Finish a queued card as if OCR had read ``contact`` (seeding, not a stand-in for OCR)."""
    with Store.open(data_dir) as store:
        finish_read(store, card_id, contact)


def _reasons(data_dir, card_id: int) -> list[tuple[str, int | None]]:
    with Store.open(data_dir) as store:
        rows = store.db.query(
            "select text, contact_id from reasons where card_id = ? order by id", [card_id]
        )
        return [(r["text"], r["contact_id"]) for r in rows]


def test_the_same_upload_again_is_a_retry_and_the_same_photo_again_is_told(
    ana, post_card, make_card, data_dir, users
):
    photo, first = make_card("Ana Twice"), str(uuid.uuid4())
    made = post_card(ana, photo, uuid=first)
    assert made.status_code == 202 and "duplicate" not in made.get_json()
    again = post_card(ana, photo, uuid=first)
    assert again.status_code == 200
    assert again.get_json() == {**made.get_json(), "created": False, "duplicate": "retry"}
    # Snapped again later (another capture): told, and the new reasons are kept.
    with Store.open(data_dir) as store:
        event = store.events.add(users["ana"], "Web Summit", date(2026, 11, 1))
    reasons = '[{"text": "send deck", "kind": "deck"}]'
    other = post_card(ana, photo, uuid=str(uuid.uuid4()), event=event.id, reasons=reasons)
    body = other.get_json()
    assert other.status_code == 200 and body["duplicate"] == "photo"
    assert body["duplicate_of"]["id"] == made.get_json()["id"]
    assert body["duplicate_of"]["name"] is None and body["duplicate_of"]["snapped"]
    assert _reasons(data_dir, body["id"]) == [("send deck", None)]
    assert len(ana.get("/api/cards").get_json()["cards"]) == 1


def test_reasons_after_the_upload_reach_the_contact_read_or_not(
    ana, post_card, make_card, data_dir
):
    headers = {"X-CSRFToken": ana.csrf}
    early = post_card(ana, make_card("Early Reasons")).get_json()["id"]
    sent = ana.post(
        f"/api/cards/{early}/reasons",
        json={"reasons": [{"text": "intro", "kind": "intro"}]},
        headers=headers,
    )
    assert sent.status_code == 201 and sent.get_json()["status"] == "queued"
    _finish(data_dir, early, Contact(name="Early Reasons"))
    contact_id = ana.get(f"/api/cards/{early}/brief").get_json()["contact_id"]
    assert _reasons(data_dir, early) == [("intro", contact_id)]
    # Read already: the reasons go to its contact and its follow-ups are planned.
    later = ana.post(
        f"/api/cards/{early}/reasons",
        json={"reasons": [{"text": "intro"}, {"text": "coffee", "due": "2027-03-01"}]},
        headers=headers,
    )
    assert later.status_code == 201
    record = ana.get(f"/api/contacts/{contact_id}").get_json()
    assert [(r["text"], r["due"]) for r in record["reasons"]] == [
        ("intro", None),
        ("coffee", "2027-03-01"),
    ]
    bad = ana.post(f"/api/cards/{early}/reasons", json={"reasons": "intro"}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["ok"] is False


def test_the_brief_shows_the_name_once_read_and_who_was_met_before(
    ana, post_card, make_card, data_dir, users
):
    headers = {"X-CSRFToken": ana.csrf}
    with Store.open(data_dir) as store:
        summit = store.events.add(users["ana"], "Web Summit 2025", date(2025, 11, 10))
        met = store.contacts.add(
            users["ana"],
            Contact(name="Ana Ruiz", company="Acme", emails=["ana@acme.example"]),
            event_id=summit.id,
        )
        fair = store.events.add(users["ana"], "Fair 2026", date(2026, 11, 10))
    card_id = post_card(ana, make_card("Ana Ruiz again"), event=fair.id).get_json()["id"]
    brief = ana.get(f"/api/cards/{card_id}/brief").get_json()
    assert (brief["status"], brief["name"], brief["known"]) == ("queued", None, None)
    assert brief["thumb"].startswith(f"/api/cards/{card_id}/thumb")
    _finish(
        data_dir,
        card_id,
        Contact(name="Ana Ruiz", company="Acme Logistics", emails=["ana@acme.example"]),
    )
    brief = ana.get(f"/api/cards/{card_id}/brief").get_json()
    assert (brief["status"], brief["name"], brief["company"]) == (
        "done",
        "Ana Ruiz",
        "Acme Logistics",
    )
    assert brief["known"]["id"] == met.id and brief["known"]["events"] == ["Web Summit 2025"]
    kept = ana.post(
        f"/api/cards/{card_id}/known", json={"contact": met.id, "same": True}, headers=headers
    )
    assert kept.get_json()["merged"] is True and kept.get_json()["contact_id"] == met.id
    record = ana.get(f"/api/contacts/{met.id}").get_json()
    assert sorted(record["events"]) == sorted([summit.id, fair.id])  # both meetings


def test_not_the_same_person_is_never_offered_again(ana, post_card, make_card, data_dir, users):
    with Store.open(data_dir) as store:
        met = store.contacts.add(users["ana"], Contact(name="Bo Li", emails=["bo@initech.example"]))
    card_id = post_card(ana, make_card("Bo Li again")).get_json()["id"]
    early = ana.post(
        f"/api/cards/{card_id}/known", json={"contact": met.id}, headers={"X-CSRFToken": ana.csrf}
    )
    assert early.status_code == 400 and "not read yet" in early.get_json()["error"]
    _finish(data_dir, card_id, Contact(name="Bo Li", emails=["bo@initech.example"]))
    assert ana.get(f"/api/cards/{card_id}/brief").get_json()["known"]["id"] == met.id
    said = ana.post(
        f"/api/cards/{card_id}/known",
        json={"contact": met.id, "same": False},
        headers={"X-CSRFToken": ana.csrf},
    )
    assert said.get_json()["known"] is None and said.get_json()["merged"] is False


def test_another_users_card_and_event_are_not_found(ana, client, users, make_card, data_dir):
    with Store.open(data_dir) as store:
        card, _ = store.cards.add(users["ben"], make_card("Ben's card"))
        event = store.events.add(users["ben"], "Ben's fair", date(2026, 11, 1))
    assert ana.get(f"/api/cards/{card.id}/brief").status_code == 404
    sent = ana.post(
        f"/api/cards/{card.id}/reasons",
        json={"reasons": [{"text": "x"}]},
        headers={"X-CSRFToken": ana.csrf},
    )
    assert sent.status_code == 404
    assert ana.get(f"/api/triage/summary?event={event.id}").status_code == 404


def test_the_offline_shell_and_page_need_no_session_and_name_no_one(app, ana):
    anonymous = app.test_client()
    for who in (anonymous, ana):  # the service worker may fetch them signed in: same shell
        shell = who.get("/capture/shell")
        html = shell.get_data(as_text=True)
        assert shell.status_code == 200 and 'data-shell="true"' in html
        assert "cardscan-user" not in html and "Log out" not in html
    offline = anonymous.get("/offline")
    assert offline.status_code == 200 and "You are offline" in offline.get_data(as_text=True)
    assert anonymous.get("/capture").status_code == 302  # the real page still needs a login
