"""The calendar as a subscriber sees it: fetch the feed over HTTP from the real app, change
something, fetch again, compare SEQUENCE and LAST-MODIFIED; libical checks every fetch."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.request
from datetime import date, timedelta

import icalendar
import pytest

from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.store import Store
from tests.support.calendar_check import libical
from tests.webapp.conftest import PASSWORD


class Session:
    """A logged-in browser-like client over real HTTP (cookies, CSRF header)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        html = self.get("/login").decode()
        marker = 'name="csrf-token" content="'
        self.csrf = html.split(marker, 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode(
            {"name": "ana", "password": PASSWORD, "csrf_token": self.csrf}
        ).encode()
        self.opener.open(urllib.request.Request(url + "/login", data=body), timeout=30)
        html = self.get("/settings/").decode()
        self.csrf = html.split(marker, 1)[1].split('"', 1)[0]

    def get(self, path: str) -> bytes:
        with self.opener.open(self.url + path, timeout=30) as response:
            return response.read()

    def send(self, method: str, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            method=method,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self.csrf,
            },
        )
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read())


def versions(data: bytes) -> dict[str, tuple[int, object, object, str]]:
    """UID -> (SEQUENCE, LAST-MODIFIED, DTSTAMP, DTSTART) of each event in a feed."""
    cal = icalendar.Calendar.from_ical(data)
    return {
        str(e["UID"]): (
            int(e["SEQUENCE"]),
            e.decoded("LAST-MODIFIED"),
            e.decoded("DTSTAMP"),
            str(e.decoded("DTSTART")),
        )
        for e in cal.walk("VEVENT")
    }


@pytest.fixture(scope="module")
def seeded(quiet_server):
    url, data = quiet_server
    today = date.today()
    with Store.open(data) as store:
        ana = store.users.by_name("ana")
        summit = store.events.add(ana.id, "Web Summit", today - timedelta(days=3), today)
        meetup = store.events.add(ana.id, "Meetup", today - timedelta(days=1), today)
        rui = store.contacts.add(
            ana.id,
            Contact(name="Rui Costa", company="Acme", emails=["rui@acme.example"]),
            event_id=summit.id,
        )
        twin = store.contacts.add(
            ana.id,
            Contact(name="Rui Costa", title="CTO", emails=["rui@acme.example"]),
            event_id=meetup.id,
        )
        other = store.contacts.add(ana.id, Contact(name="Bea Lima"), event_id=summit.id)
        store.reasons.add(ana.id, rui.id, "send deck", "deck")
        store.reasons.add(ana.id, twin.id, "intro to Bob")
        for record in (rui, twin, other):
            FollowUps(store, ana.id, today).plan_contact(record.id)
        token = store.users.feed_token(ana.id)
    return Session(url), f"/calendar/{token}.ics", rui.id, twin.id, other.id


def _uids(store_touches):
    return {f"touch-{t.id}@cardscan" for t in store_touches}


def _touches(data_dir, contact_id):
    with Store.open(data_dir) as store:
        ana = store.users.by_name("ana")
        return store.touches.all(ana.id, contact_id=contact_id)


def _fetch(session, feed):
    data = session.get(feed)
    verdict = libical(data)
    assert verdict == {"parsed": True, "ok": True, "errors": []}, verdict
    return data, versions(data)


def _moved(before, after, uids):
    for uid in uids:
        seq0, mod0, stamp0, _ = before[uid]
        seq1, mod1, stamp1, _ = after[uid]
        assert seq1 > seq0 and mod1 > mod0 and stamp1 > stamp0, (uid, before[uid], after[uid])


def _same(before, after, uids):
    for uid in uids:
        assert after[uid] == before[uid], uid


def test_every_change_a_subscriber_sees_raises_sequence_and_last_modified(quiet_server, seeded):
    session, feed, rui, twin, other = seeded
    data_dir = quiet_server[1]
    rui_uids = _uids(_touches(data_dir, rui))
    twin_uids = _uids(_touches(data_dir, twin))
    bea_uids = _uids(_touches(data_dir, other))
    _, v0 = _fetch(session, feed)
    _, again = _fetch(session, feed)
    assert again == v0  # nothing changed: nothing moves

    # Rename: the summary and description of each of Rui's events change.
    session.send("PATCH", f"/api/contacts/{rui}", {"name": "Rui M. Costa"})
    data, v1 = _fetch(session, feed)
    assert b"Rui M. Costa" in data
    _moved(v0, v1, rui_uids)
    _same(v0, v1, twin_uids | bea_uids)

    # Merge: the kept contact's events now say both meetings and both reasons; the merged
    # one's duplicate steps leave the feed.
    session.send("POST", f"/api/contacts/{rui}/merge", {"other": twin})
    data, v2 = _fetch(session, feed)
    assert b"Meetup" in data and b"intro to Bob" in data
    _moved(v1, v2, rui_uids)
    assert not (twin_uids & set(v2)) or all(v2[u][0] > v1[u][0] for u in twin_uids & set(v2))
    _same(v1, v2, bea_uids)

    # Unmerge: both back; the kept one's events lose the other's meeting and reason again.
    session.send("POST", f"/api/contacts/{twin}/unmerge", {})
    data, v3 = _fetch(session, feed)
    _moved(v2, v3, rui_uids & set(v2))
    assert twin_uids <= set(v3)
    for uid in twin_uids:  # back in the feed with a version above any it had before
        assert v3[uid][0] > v1[uid][0]

    # Reschedule: a snoozed touch moves to its new day with a higher version.
    first = min(_touches(data_dir, other), key=lambda t: t.due)
    until = (date.today() + timedelta(days=9)).isoformat()
    session.send("POST", f"/api/touches/{first.id}/snooze", {"until": until})
    data, v4 = _fetch(session, feed)
    uid = f"touch-{first.id}@cardscan"
    _moved(v3, v4, {uid})
    assert v4[uid][3] == until
    _same(v3, v4, bea_uids - {uid})

    # Done: an ended touch leaves the feed.
    session.send("POST", f"/api/touches/{first.id}/done", {})
    _, v5 = _fetch(session, feed)
    assert uid not in v5


def test_one_off_files_pass_libicals_check_too(seeded):
    session = seeded[0]
    data = session.get("/exports/ics")
    assert libical(data) == {"parsed": True, "ok": True, "errors": []}
    assert b"METHOD:" not in data and b"BEGIN:VALARM" in data
