"""Events in the web: create with dates, place and plan; edit moves follow-ups; delete."""

from __future__ import annotations

from datetime import date, timedelta

from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.store import Store


def test_create_edit_and_delete_an_event_from_its_pages(ana, users, data_dir):
    today = date.today()
    with Store.open(data_dir) as store:
        hot = next(p for p in store.plans.all(users["ana"]) if p.name == "Hot lead")
    form = {
        "csrf_token": ana.csrf,
        "name": "Web Summit",
        "start": today.isoformat(),
        "end": (today + timedelta(days=2)).isoformat(),
        "place": "Lisbon",
        "plan": str(hot.id),
    }
    created = ana.post("/events/new", data=form)
    assert created.status_code == 302
    event_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    page = ana.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Lisbon" in page and "plan: Hot lead" in page and 'name="start"' in page
    with Store.open(data_dir) as store:
        rui = store.contacts.add(users["ana"], Contact(name="Rui Costa"), event_id=event_id)
        FollowUps(store, users["ana"], today).plan_contact(rui.id)
    first = min(t["due"] for t in ana.get("/api/touches").get_json()["touches"])
    assert first == (today + timedelta(days=3)).isoformat()  # Hot lead: +1 day after the last
    later = dict(form, end=(today + timedelta(days=9)).isoformat(), start=today.isoformat())
    edited = ana.post(f"/events/{event_id}/edit", data=later)
    assert edited.status_code == 302
    assert "4 follow-ups moved" in ana.get(f"/events/{event_id}").get_data(as_text=True)
    first = min(t["due"] for t in ana.get("/api/touches").get_json()["touches"])
    assert first == (today + timedelta(days=10)).isoformat()
    bad = ana.post(f"/events/{event_id}/edit", data=dict(form, end="2000-01-01"))
    assert bad.status_code == 400
    # Delete, keeping the contact.
    ana.post(f"/events/{event_id}/delete", data={"csrf_token": ana.csrf})
    assert ana.get(f"/events/{event_id}").status_code == 404
    assert [c["fields"]["name"] for c in ana.get("/api/contacts").get_json()["contacts"]] == [
        "Rui Costa"
    ]


def test_the_events_api_and_the_capture_page_defaults(ana, users, data_dir):
    today = date.today()
    headers = {"X-CSRFToken": ana.csrf, "Accept": "application/json"}
    body = {"name": "Meetup", "start": (today - timedelta(days=1)).isoformat(), "place": "Porto"}
    made = ana.post("/api/events", json=body, headers=headers)
    assert made.status_code == 201
    event = made.get_json()
    assert event["end"] == event["start"] and event["plan_id"] is None
    running = ana.post(
        "/api/events",
        json={"name": "Expo", "start": today.isoformat(), "end": today.isoformat()},
        headers=headers,
    ).get_json()
    ana.post("/api/events", json={"name": "Later", "start": "2099-01-01"}, headers=headers)
    page = ana.get("/capture").get_data(as_text=True)
    assert f'<option value="{running["id"]}" selected>' in page  # the one running today
    assert 'id="new-event-start"' in page and 'id="new-event-plan"' in page
    moved = ana.patch(
        f"/api/events/{event['id']}",
        json={"name": "Meetup", "start": event["start"], "end": today.isoformat()},
        headers=headers,
    )
    assert moved.status_code == 200 and moved.get_json()["end"] == today.isoformat()
    clash = ana.patch(f"/api/events/{event['id']}", json={"name": "Expo"}, headers=headers)
    assert clash.status_code == 400 and "already have an event" in clash.get_json()["error"]
    assert ana.delete(f"/api/events/{event['id']}?cards=1", headers=headers).status_code == 200
    assert ana.delete(f"/api/events/{event['id']}", headers=headers).status_code == 404
