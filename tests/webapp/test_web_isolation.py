"""Nobody else in: every route given another user's ids answers 404 and changes nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest

from cardscan import followups
from cardscan.models import CardReading, Contact, OcrResult
from cardscan.store import Store


@pytest.fixture
def bens(users, data_dir, make_card):
    """Ben's event, card, contact, reason, touch and token ids."""
    ben = users["ben"]
    with Store.open(data_dir) as store:
        event = store.events.add(ben, "Ben's expo", date(2026, 1, 1), date(2026, 1, 2))
        card, _ = store.cards.add(ben, make_card("Ben's contact"), event_id=event.id)
        claimed = store.cards.claim_next()
        store.cards.finish(
            claimed.id, [CardReading(Contact(name="Secret Person"), OcrResult((), "t", 1, 1))]
        )
        contact_id = store.cards.get(ben, card.id).contact_id
        reason = store.reasons.add(ben, contact_id, "private reason")
        touch = followups.FollowUps(store, ben, date(2026, 1, 3)).plan_contact(contact_id)[0]
        store.users.create_api_token(ben, "ben's")
        token_id = store.users.api_tokens(ben)[-1]["id"]
    return {
        "event": event.id,
        "card": card.id,
        "contact": contact_id,
        "reason": reason.id,
        "touch": touch.id,
        "token": token_id,
    }


ROUTES = [
    ("GET", "/api/cards/{card}", None),
    ("GET", "/api/cards/{card}/photo", None),
    ("GET", "/api/cards/{card}/thumb", None),
    ("GET", "/api/cards/{card}/card.jpg", None),
    ("GET", "/api/cards?event={event}", "empty"),
    ("POST", "/api/cards/{card}/triaged", {}),
    ("GET", "/api/triage?event={event}", None),
    ("GET", "/api/contacts/{contact}", None),
    ("PATCH", "/api/contacts/{contact}", {"name": "Hacked"}),
    ("POST", "/api/contacts/{contact}/reasons", {"text": "x"}),
    ("DELETE", "/api/reasons/{reason}", None),
    ("GET", "/api/contacts/{contact}/duplicates", None),
    ("POST", "/api/contacts/{contact}/merge", {"other": 999}),
    ("POST", "/api/touches/{touch}/done", {}),
    ("POST", "/api/touches/{touch}/snooze", {"until": "2030-01-01"}),
    ("POST", "/api/contacts/{contact}/log-contact", {}),
    ("GET", "/events/{event}", None),
    ("GET", "/events/{event}/triage", None),
    ("GET", "/contacts/{contact}", None),
    ("GET", "/exports/vcf?event={event}", None),
    ("GET", "/exports/ics?contact={contact}", None),
]


@pytest.mark.parametrize("method, path, body", ROUTES)
def test_other_users_ids_are_not_found(ana, bens, data_dir, users, method, path, body):
    url = path.format(**bens)
    kwargs = {"headers": {"X-CSRFToken": ana.csrf, "Accept": "application/json"}}
    if isinstance(body, dict):
        kwargs["json"] = body
    response = ana.open(url, method=method, **kwargs)
    if body == "empty":
        assert response.get_json()["cards"] == []
    else:
        assert response.status_code == 404, (url, response.get_data(as_text=True)[:200])
        assert "Secret Person" not in response.get_data(as_text=True)
    with Store.open(data_dir) as store:
        record = store.contacts.get(users["ben"], bens["contact"])
        assert record.contact.name == "Secret Person" and len(record.reasons) == 1
        assert store.touches.get(users["ben"], bens["touch"]).status == "due"


def test_another_users_token_cannot_be_revoked(ana, bens, data_dir, users):
    response = ana.post(f"/settings/tokens/{bens['token']}/revoke", data={"csrf_token": ana.csrf})
    assert response.status_code == 404
    with Store.open(data_dir) as store:
        assert store.users.api_tokens(users["ben"])[-1]["revoked"] is None


def test_oversized_fields_and_hostile_file_names(ana, make_card, data_dir):
    headers = {"X-CSRFToken": ana.csrf}
    big = ana.post("/api/events", json={"name": "x" * 10_000}, headers=headers)
    assert big.status_code == 400 and big.get_json()["ok"] is False
    long_reason = ana.post(
        "/api/cards",
        data={
            "photo": (io.BytesIO(make_card()), "a.jpg"),
            "reasons": '[{"text": "' + "y" * 500 + '"}]',
        },
        headers=headers,
    )
    assert long_reason.status_code == 400
    sneaky = ana.post(
        "/api/cards",
        data={"photo": (io.BytesIO(make_card("sneaky")), "../../../etc/passwd")},
        headers=headers,
    )
    assert sneaky.status_code == 202
    card = ana.get(f"/api/cards/{sneaky.get_json()['id']}").get_json()
    photos = list((data_dir / "photos").rglob("*"))
    assert all(p.resolve().is_relative_to((data_dir / "photos").resolve()) for p in photos)
    assert ana.get(card["photo"]).status_code == 200
