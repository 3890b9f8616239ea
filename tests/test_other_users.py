"""No one else in: every route of the app, called by ana with ben's ids, answers 404.

The routes are enumerated from ``app.url_map``, so a route added later is checked too (a
new kind of id in a URL makes this test fail until it is mapped below). Ben's data never
appears in an answer and nothing stored changes.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest

from cardscan import followups, outreach
from cardscan.store import Store
from tests.support import hardening as h
from tests.support.fake_reader import _reading

BEN_MARK = "Benedikt Zyxwv"

#: Routes with no user data behind them, or checked elsewhere (the feed: by token).
NOT_PER_USER = {
    "static",
    "auth.login",
    "auth.setup",
    "auth.logout",
    "pwa.manifest",
    "pwa.service_worker",
    "index",
    "calendar.feed",
    "links.act",  # a one-click link: its signed token is the authority (test_outreach_links)
}


def _seed(store: Store, user_id: int, name: str, notes: str) -> dict[str, int]:
    event = store.events.add(user_id, f"{name}'s conference", "2026-11-10", "2026-11-12")
    card, _ = store.cards.add(
        user_id,
        f"photo of {name}".encode(),
        event_id=event.id,
        reasons=[(f"send {name} the deck", "deck")],
    )
    store.cards.finish(card.id, [_reading([name, f"{name} GmbH", "x@example.org"], 0)])
    contact_id = store.cards.get(user_id, card.id).contact_id
    store.contacts.set_private_notes(user_id, contact_id, notes)
    theirs = followups.FollowUps(store, user_id, date(2026, 11, 20))
    theirs.plan_contact(contact_id)
    store.users.create_api_token(user_id, f"{name}'s script")
    later = store.touches.all(user_id, contact_id=contact_id)[1]
    snoozed = outreach.act(theirs, later.id, "snooze")
    return {
        "user_id": user_id,
        "event_id": event.id,
        "card_id": card.id,
        "contact_id": contact_id,
        "other_id": contact_id,  # a contact merged into another (unmerge)
        "touch_id": store.touches.all(user_id, contact_id=contact_id)[0].id,
        "reason_id": store.contacts.get(user_id, contact_id).reasons[0].id,
        "token_id": store.users.api_tokens(user_id)[0]["id"],
        "plan_id": store.plans.all(user_id)[0].id,
        "act_id": snoozed.id,
    }


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "data"
    app = h.make_app(data)
    ids = h.add_users(data, "ana", "ben")
    with Store.open(data) as store:
        ana = _seed(store, ids["ana"], "Ana Ruiz", "ana's notes")
        ben = _seed(store, ids["ben"], BEN_MARK, "zyxwv secret notes")
    return app, data, ana, ben


def _rows_of(data, user_id: int) -> dict[str, list]:
    """Every row of every table with a user_id column that belongs to this user."""
    conn = sqlite3.connect(f"file:{data / 'cardscan.db'}?mode=ro", uri=True)
    try:
        out = {}
        for (table,) in conn.execute("select name from sqlite_master where type = 'table'"):
            columns = [r[1] for r in conn.execute(f'pragma table_info("{table}")')]
            if "user_id" in columns:
                rows = conn.execute(f'select * from "{table}" where user_id = ?', [user_id])
                out[table] = sorted(rows.fetchall(), key=repr)
            elif table == "users":
                out[table] = conn.execute("select * from users where id = ?", [user_id]).fetchall()
        return out
    finally:
        conn.close()


PARAM_VALUES = {"action": "done", "kind": "vcf", "fmt": "svg"}

#: Valid request bodies, so the refusal is about whose data it is, not about a bad body.
GENERIC_BODY = {
    "text": "hello",
    "notes": "a note",
    "kind": "birthday",
    "date": "1990-04-23",
    "until": "2026-12-01",
}
BODIES = {
    "contacts.edit": {"name": "New Name"},
    "api.update_contact": {"name": "New Name"},
    "api.add_reason": {"text": "hello", "kind": "deck"},
}


def _calls(app, ana: dict[str, int], ben: dict[str, int]):
    """(method, url, json body) for every route, aimed at ben's data."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PER_USER:
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ben:
                values[arg] = ben[arg]
            elif arg in PARAM_VALUES:
                values[arg] = PARAM_VALUES[arg]
            else:
                raise AssertionError(f"route {rule.rule}: map <{arg}> to another user's id here")
        path = rule.rule
        for arg, value in values.items():
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(value), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # Ids in query strings and bodies too: ben's event, contact, plan and contact to merge.
            query = f"?event={ben['event_id']}&contact={ben['contact_id']}"
            body = BODIES.get(rule.endpoint) or {
                **GENERIC_BODY,
                "other": ben["contact_id"],
                "plan": ben["plan_id"],
                "event": ben["event_id"],
            }
            if rule.endpoint == "api.merge":  # ben's contact, ana's merged in
                body = {"other": ana["contact_id"]}
            yield rule, method, path + query, body
    # Ana's own ids, with ben's inside the request.
    yield None, "POST", f"/api/contacts/{ana['contact_id']}/merge", {"other": ben["contact_id"]}
    yield None, "POST", f"/api/cards/{ana['card_id']}/triaged", {"plan": ben["plan_id"]}


def test_every_route_with_another_users_ids_is_404(world):
    app, data, ana_ids, ben_ids = world
    ana = h.logged_in(app, "ana")
    before = h.snapshot(data)
    bens_before = _rows_of(data, ben_ids["user_id"])
    assert sum(len(rows) for rows in bens_before.values()) >= 8
    checked = []
    for rule, method, url, body in _calls(app, ana_ids, ben_ids):
        kwargs = {
            "headers": {"X-CSRFToken": ana.csrf, "Accept": "application/json"},
            "follow_redirects": True,
        }
        if method != "GET" and url.startswith("/api/"):
            kwargs["json"] = body
        elif method != "GET":  # the pages' forms
            kwargs["data"] = {**body, "csrf_token": ana.csrf}
        response = ana.open(url, method=method, **kwargs)
        text = response.get_data(as_text=True)
        assert BEN_MARK not in text and "zyxwv" not in text, (method, url)
        if rule is not None and rule.endpoint.startswith("workerapi."):
            # OCR workers' API: any user's card, but only with a worker token, never a user's
            h.error_of(response, 401)
            continue
        has_ids = rule is None or any(a in ben_ids for a in rule.arguments)
        if has_ids:
            assert response.status_code == 404, (method, url, response.status_code, text[:200])
            h.error_of(response, 404)
        else:  # a list or a new item: never ben's data, never a server error
            assert response.status_code < 500, (method, url, response.status_code)
        checked.append((method, url.split("?")[0], response.status_code))
    assert len([c for c in checked if c[2] == 404]) >= 20, checked
    # Ana's calls without ids may change her own things (a new API token, a rotated feed);
    # ben's rows and photos are exactly as they were.
    assert _rows_of(data, ben_ids["user_id"]) == bens_before
    assert set(before.photos) <= set(h.snapshot(data).photos)


def test_upload_into_another_users_event_is_404(world):
    app, data, _, ben_ids = world
    ana = h.logged_in(app, "ana")
    before = h.snapshot(data)
    photo = h.sample_photos(1)[0] + b"a new capture"
    response = h.api_upload(ana, photo, event=str(ben_ids["event_id"]))
    h.error_of(response, 404)
    h.assert_unchanged(before, h.snapshot(data))


def test_another_users_bearer_token_sees_only_its_own(world):
    app, data, _, ben_ids = world
    with Store.open(data) as store:
        token = store.users.create_api_token(store.users.by_name("ana").id, "t")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/cards/{ben_ids['card_id']}", headers=auth).status_code == 404
    listed = client.get("/api/contacts", headers=auth).get_data(as_text=True)
    assert BEN_MARK not in listed and "Ana Ruiz" in listed
