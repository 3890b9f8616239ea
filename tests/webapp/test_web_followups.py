"""Triage, follow-ups, the calendar feed and exports through the test client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cardscan.models import Box, CardReading, Contact, Line, OcrResult, Phone, Word
from cardscan.store import Store
from tests.support.read_cards import finish_read


@pytest.fixture
def event_with_cards(ana, users, data_dir, make_card):
    """An event with two read cards (one unsure) for ana; returns (event_id, [card ids])."""
    with Store.open(data_dir) as store:
        yesterday = date.today() - timedelta(days=1)  # its follow-ups are all ahead
        event = store.events.add(users["ana"], "Expo", yesterday - timedelta(days=1), yesterday)
        ids = []
        for name, conf in (("Sure Person", 0.95), ("<script>alert(1)</script>", 0.3)):
            card, _ = store.cards.add(
                users["ana"], make_card(name), event_id=event.id, reasons=[("send deck", "deck")]
            )
            contact = Contact(
                name=name,
                company="Acme",
                emails=["x@example.org"],
                phones=[Phone("+1 555 0100", "+15550100", "office")],
                confidence={"name": conf, "company": conf, "emails": conf, "phones": conf},
            )
            finish_read(store, card.id, contact)
            ids.append(card.id)
    return event.id, ids


def test_triage_queue_is_least_certain_first(ana, event_with_cards):
    event_id, ids = event_with_cards
    body = ana.get(f"/api/triage?event={event_id}").get_json()
    assert body["total"] == 2 and body["left"] == 2
    assert [c["id"] for c in body["cards"]] == [ids[1], ids[0]]
    card = ana.get(f"/api/cards/{ids[1]}?ocr=1").get_json()
    assert card["status"] == "done"
    assert card["contact_record"]["check"] == ["name", "company", "emails", "phones"]
    assert card["ocr"]["lines"][0]["words"][0]["box"] == [40, 40, 180, 50]


def test_triage_done_saves_fields_and_plans_follow_ups(ana, event_with_cards):
    event_id, ids = event_with_cards
    card = ana.get(f"/api/cards/{ids[1]}").get_json()
    contact_id = card["contact_id"]
    headers = {"X-CSRFToken": ana.csrf}
    patched = ana.patch(f"/api/contacts/{contact_id}", json={"name": "Ana Ruiz"}, headers=headers)
    assert patched.get_json()["fields"]["name"] == "Ana Ruiz"
    done = ana.post(f"/api/cards/{ids[1]}/triaged", json={"triaged": True}, headers=headers)
    assert done.get_json()["triaged"] is True
    left = ana.get(f"/api/triage?event={event_id}").get_json()
    assert [c["id"] for c in left["cards"]] == [ids[0]]
    touches = ana.get("/api/touches").get_json()["touches"]
    assert touches and all(t["contact_id"] == contact_id for t in touches)
    assert any("send deck" in t["title"] for t in touches)
    reasons = ana.get(f"/api/contacts/{contact_id}").get_json()["reasons"]
    assert reasons and all(r["confirmed"] for r in reasons)
    # Done twice plans nothing twice.
    ana.post(f"/api/cards/{ids[1]}/triaged", json={"triaged": True}, headers=headers)
    assert len(ana.get("/api/touches").get_json()["touches"]) == len(touches)


def test_touch_actions_and_followups_page(ana, event_with_cards):
    _, ids = event_with_cards
    headers = {"X-CSRFToken": ana.csrf}
    ana.post(f"/api/cards/{ids[0]}/triaged", json={}, headers=headers)
    touches = ana.get("/api/touches").get_json()["touches"]
    first, second = touches[0], touches[1]
    page = ana.get("/today").get_data(as_text=True)
    assert first["title"] in page
    done = ana.post(f"/api/touches/{first['id']}/done", headers=headers)
    assert done.get_json()["status"] == "done"
    snoozed = ana.post(
        f"/api/touches/{second['id']}/snooze", json={"until": "2030-01-01"}, headers=headers
    )
    assert snoozed.get_json()["when"] == "2030-01-01"
    again = ana.post(f"/api/touches/{first['id']}/done", headers=headers)
    assert again.status_code == 400 and again.get_json()["ok"] is False
    # The one-tap forms on the page answer with a redirect back.
    third = ana.get("/api/touches").get_json()["touches"][0]
    form = ana.post(f"/touches/{third['id']}/skip", data={"csrf_token": ana.csrf, "next": "/today"})
    assert form.status_code == 302 and form.headers["Location"].startswith("/today?act=")


def test_feed_is_served_with_etag_and_404_for_wrong_or_rotated_tokens(
    ana, users, data_dir, event_with_cards
):
    _, ids = event_with_cards
    ana.post(f"/api/cards/{ids[1]}/triaged", json={}, headers={"X-CSRFToken": ana.csrf})
    with Store.open(data_dir) as store:
        token = store.users.feed_token(users["ana"])
    anonymous = ana.application.test_client()
    feed = anonymous.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = feed.get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in body and "\r\n" in body
    assert "<script>" not in body or "alert" in body  # text, never markup: it is a text format
    etag = feed.headers["ETag"]
    assert (
        anonymous.get(f"/calendar/{token}.ics", headers={"If-None-Match": etag}).status_code == 304
    )
    assert anonymous.get(f"/calendar/{'x' * 43}.ics").status_code == 404
    ana.post("/settings/feed/rotate", data={"csrf_token": ana.csrf})
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404


def test_exports_download(ana, event_with_cards):
    event_id, _ = event_with_cards
    vcf = ana.get(f"/exports/vcf?event={event_id}")
    assert vcf.status_code == 200 and b"BEGIN:VCARD" in vcf.data
    assert 'filename="Expo.vcf"' in vcf.headers["Content-Disposition"]
    csv = ana.get("/exports/csv?format=outlook")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    ics = ana.get("/exports/ics")
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.data
    assert ana.get("/exports/csv?format=excel").status_code == 400
    assert ana.get("/exports/pdf").status_code == 404


def test_contact_page_briefs_and_escapes(ana, event_with_cards):
    _, ids = event_with_cards
    card = ana.get(f"/api/cards/{ids[1]}").get_json()
    html = ana.get(f"/contacts/{card['contact_id']}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Expo" in html and "send deck" in html
    vcard = ana.get(f"/contacts/{card['contact_id']}.vcf", follow_redirects=True)
    assert b"BEGIN:VCARD" in vcard.data


def test_contact_edit_notes_dates_and_log(ana, event_with_cards):
    _, ids = event_with_cards
    cid = ana.get(f"/api/cards/{ids[0]}").get_json()["contact_id"]
    token = ana.csrf
    ana.post(
        f"/contacts/{cid}/edit",
        data={"csrf_token": token, "title": "CTO", "emails": "a@b.org\nc@d.org"},
    )
    ana.post(f"/contacts/{cid}/notes", data={"csrf_token": token, "notes": "likes sailing"})
    ana.post(
        f"/contacts/{cid}/dates",
        data={"csrf_token": token, "kind": "birthday", "date": "1990-04-23"},
    )
    record = ana.get(f"/api/contacts/{cid}").get_json()
    assert record["fields"]["title"] == "CTO"
    assert record["fields"]["emails"] == ["a@b.org", "c@d.org"]
    html = ana.get(f"/contacts/{cid}").get_data(as_text=True)
    assert "likes sailing" in html and "04-23" in html
    logged = ana.post(f"/contacts/{cid}/log", data={"csrf_token": token})
    assert logged.status_code == 302
    bad = ana.post(
        f"/contacts/{cid}/dates", data={"csrf_token": token, "kind": "birthday", "date": "soon"}
    )
    assert bad.status_code == 400


def test_search_and_merge(ana, event_with_cards):
    _, ids = event_with_cards
    a = ana.get(f"/api/cards/{ids[0]}").get_json()["contact_id"]
    b = ana.get(f"/api/cards/{ids[1]}").get_json()["contact_id"]
    found = ana.get("/api/contacts?q=Sure").get_json()["contacts"]
    assert [c["id"] for c in found] == [a]
    assert "Sure Person" in ana.get("/contacts/?q=Sure").get_data(as_text=True)
    merged = ana.post(
        f"/api/contacts/{a}/merge", json={"other": b}, headers={"X-CSRFToken": ana.csrf}
    )
    assert merged.status_code == 200
    assert ana.get(f"/api/contacts/{b}").get_json()["merged_into"] == a


def test_contact_can_switch_plan(ana, users, data_dir, event_with_cards):
    from cardscan.models import PlanStep

    _, ids = event_with_cards
    cid = ana.get(f"/api/cards/{ids[0]}").get_json()["contact_id"]
    ana.post(f"/api/cards/{ids[0]}/triaged", json={}, headers={"X-CSRFToken": ana.csrf})
    with Store.open(data_dir) as store:
        quick = store.plans.save(users["ana"], "Quick", [PlanStep("ping", "Ping", 2)])
    html = ana.get(f"/contacts/{cid}").get_data(as_text=True)
    assert 'name="plan"' in html and "Quick" in html
    response = ana.post(f"/contacts/{cid}/plan", data={"csrf_token": ana.csrf, "plan": quick.id})
    assert response.status_code == 302
    with Store.open(data_dir) as store:
        assert store.contacts.get(users["ana"], cid).plan_id == quick.id
        kinds = {
            t.kind for t in store.touches.all(users["ana"], contact_id=cid) if t.step is not None
        }
    assert kinds == {"ping"}  # the open plan touches follow the new plan


def _first_touch(client, contact_id):
    touches = client.get("/api/touches").get_json()["touches"]
    mine = [t for t in touches if t["contact_id"] == contact_id]
    return min(mine, key=lambda t: (t["kind"] != "thank_you", t["due"]))


def _promises(client, contact_id):
    touches = client.get("/api/touches").get_json()["touches"]
    return [
        (t["title"], t["due"]) for t in touches if t["contact_id"] == contact_id and t["promise"]
    ]


def test_reasons_edited_later_move_their_promises(ana, users, event_with_cards):
    _, ids = event_with_cards
    headers = {"X-CSRFToken": ana.csrf}
    cid = ana.get(f"/api/cards/{ids[0]}").get_json()["contact_id"]
    ana.post(f"/api/cards/{ids[0]}/triaged", json={}, headers=headers)
    first = _first_touch(ana, cid)
    assert first["title"] == "send deck" and _promises(ana, cid) == []
    [reason] = ana.get(f"/api/contacts/{cid}").get_json()["reasons"]
    # A due date set later (e.g. in triage) makes the reason a promise of its own; the
    # thank-you stays on its day; the text stays clean.
    due = (date.today() + timedelta(days=30)).isoformat()
    changed = ana.patch(f"/api/reasons/{reason['id']}", json={"due": due}, headers=headers)
    assert changed.status_code == 200
    assert (changed.get_json()["text"], changed.get_json()["due"]) == ("send deck", due)
    thanks = _first_touch(ana, cid)
    assert (thanks["id"], thanks["title"], thanks["due"]) == (
        first["id"],
        "thank you",
        first["due"],
    )
    assert _promises(ana, cid) == [("send deck", due)]
    page = ana.get(f"/contacts/{cid}").get_data(as_text=True)
    assert "you said: send deck" in page and f'value="{due}"' in page
    # Bad changes are refused and change nothing.
    for body, word in (({"due": "soon"}, "'soon'"), ({"colour": "red"}, "'colour'")):
        bad = ana.patch(f"/api/reasons/{reason['id']}", json=body, headers=headers)
        assert bad.status_code == 400 and word in bad.get_json()["error"]
    assert _promises(ana, cid) == [("send deck", due)]
    # The contact page edits and removes reasons too; the promise follows.
    later = (date.today() + timedelta(days=40)).isoformat()
    form = {"csrf_token": ana.csrf, "text": "send the deck", "due": later}
    assert ana.post(f"/contacts/{cid}/reasons/{reason['id']}", data=form).status_code == 302
    assert _promises(ana, cid) == [("send the deck", later)]
    gone = {"csrf_token": ana.csrf, "action": "remove"}
    assert ana.post(f"/contacts/{cid}/reasons/{reason['id']}", data=gone).status_code == 302
    assert ana.get(f"/api/contacts/{cid}").get_json()["reasons"] == []
    assert _promises(ana, cid) == []
    back = _first_touch(ana, cid)
    assert back["id"] == first["id"] and back["title"] == "thank you"
    assert back["due"] == first["due"]  # the plan's day, all along
    # Adding a reason with a date from the contact page plans its promise at once.
    add = {"csrf_token": ana.csrf, "text": "demo", "due": due}
    assert ana.post(f"/contacts/{cid}/reasons", data=add).status_code == 302
    assert _promises(ana, cid) == [("demo", due)]


def test_a_reason_of_another_contact_or_user_is_not_found(ana, users, data_dir, event_with_cards):
    _, ids = event_with_cards
    a, b = (ana.get(f"/api/cards/{i}").get_json()["contact_id"] for i in ids)
    [reason] = ana.get(f"/api/contacts/{b}").get_json()["reasons"]
    form = {"csrf_token": ana.csrf, "action": "remove"}
    assert ana.post(f"/contacts/{a}/reasons/{reason['id']}", data=form).status_code == 404
    ben = ana.application.test_client()
    from tests.webapp.conftest import log_in_as

    log_in_as(ben, "ben")
    patch = ben.patch(
        f"/api/reasons/{reason['id']}", json={"due": None}, headers={"X-CSRFToken": ben.csrf}
    )
    assert patch.status_code == 404
    assert len(ana.get(f"/api/contacts/{b}").get_json()["reasons"]) == 1


def test_triage_api_is_per_card_read_from_a_photo(ana, users, data_dir, make_card):
    """A photo of two cards: two items, each with its own image, words, contact and Done."""
    with Store.open(data_dir) as store:
        yesterday = date.today() - timedelta(days=1)
        event = store.events.add(users["ana"], "Duo", yesterday, yesterday)
        card, _ = store.cards.add(users["ana"], make_card("Two cards"), event_id=event.id)
        assert store.cards.claim_next().id == card.id
        readings = []
        for index, (name, conf) in enumerate((("Ana Ruiz", 0.9), ("Bo Li", 0.4))):
            words = (Word(name.split()[0], Box(10, 10, 80, 30), conf),)
            ocr = OcrResult((Line(name, Box(10, 10, 200, 30), conf, words),), "test", 500, 300)
            contact = Contact(name=name, confidence={"name": conf})
            readings.append(CardReading(contact, ocr, card_index=index))
        store.cards.finish(card.id, readings)
    queue = ana.get(f"/api/triage?event={event.id}").get_json()
    assert (queue["total"], queue["left"], queue["waiting"]) == (2, 2, 0)
    assert [(c["id"], c["index"]) for c in queue["cards"]] == [(card.id, 1), (card.id, 0)]
    assert "index=1" in queue["cards"][0]["thumb"] and "index" not in queue["cards"][1]["thumb"]
    second = ana.get(f"/api/cards/{card.id}?ocr=1&index=1").get_json()
    assert second["index"] == 1 and second["contact"]["name"] == "Bo Li"
    assert second["contact_id"] == queue["cards"][0]["contact_id"] == second["contact_record"]["id"]
    assert second["ocr"]["lines"][0]["text"] == "Bo Li"  # its own words, not the first card's
    assert second["contact_record"]["plan_id"] is None
    headers = {"X-CSRFToken": ana.csrf}
    done = ana.post(f"/api/cards/{card.id}/triaged", json={"index": 1}, headers=headers)
    assert done.status_code == 200 and done.get_json()["triaged"] is False  # one card left
    assert done.get_json()["contact"]["name"] == "Bo Li"
    left = ana.get(f"/api/triage?event={event.id}").get_json()
    assert (left["left"], [(c["id"], c["index"]) for c in left["cards"]]) == (1, [(card.id, 0)])
    for index, status in ((5, 404), ("x", 400), (-1, 400)):
        bad = ana.post(f"/api/cards/{card.id}/triaged", json={"index": index}, headers=headers)
        assert bad.status_code == status and bad.get_json()["ok"] is False
        assert ana.get(f"/api/cards/{card.id}?index={index}").status_code == status
    done = ana.post(f"/api/cards/{card.id}/triaged", json={"index": 0}, headers=headers)
    assert done.get_json()["triaged"] is True
    assert ana.get(f"/api/triage?event={event.id}").get_json()["left"] == 0


def test_followups_page_marks_the_default_plans_touches_and_links_where_to_choose(
    ana, users, data_dir, event_with_cards
):
    from cardscan import followups

    event_id, ids = event_with_cards
    with Store.open(data_dir) as store:  # planned as the OCR worker does on reading
        contacts = [store.cards.get(users["ana"], i).contact_id for i in ids]
        followups.FollowUps(store, users["ana"], date.today()).plan_read_card(contacts)
        default = store.plans.default(users["ana"]).id
    html = ana.get("/today").get_data(as_text=True)
    assert html.count("default plan · change") == 1 + 6  # the hint + 3 each
    for card_id in ids:
        link = f'href="/events/{event_id}/triage?card={card_id}&amp;index=0"'
        assert html.count(link) == 3
    # Done with a plan in triage: that contact's touches are its own plan's now.
    headers = {"X-CSRFToken": ana.csrf}
    ana.post(f"/api/cards/{ids[0]}/triaged", json={"index": 0, "plan": default}, headers=headers)
    html = ana.get("/today").get_data(as_text=True)
    assert f"card={ids[0]}&amp;" not in html and f"card={ids[1]}&amp;" in html
    assert html.count("default plan · change") == 1 + 3
    # Checked without choosing a plan (a script): still the default, chosen on its page now.
    ana.post(f"/api/cards/{ids[1]}/triaged", json={}, headers=headers)
    html = ana.get("/today").get_data(as_text=True)
    assert f'href="/contacts/{contacts[1]}#contact-plan"' in html and "triage?card=" not in html
    ana.post(f"/contacts/{contacts[1]}/plan", data={"csrf_token": ana.csrf, "plan": default})
    html = ana.get("/today").get_data(as_text=True)
    assert "default plan" not in html
