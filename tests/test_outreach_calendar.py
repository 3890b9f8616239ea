"""The calendar entry is a starting point too: each event's DESCRIPTION ends with the
drafted e-mail's subject (and keeps the contact's link), and a changed template is a
changed event (SEQUENCE rises)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from cardscan.exports import Export, feed_for_token
from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.outreach import save_template
from tests.support.calendar_check import libical

BASE = "https://cards.example.org"


def _events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_the_description_ends_with_the_drafted_subject_and_follows_the_template(store):
    ana = store.users.add("ana", "correct horse battery")
    today = date.today()
    event = store.events.add(ana.id, "Web Summit", today - timedelta(days=3), today, "Lisbon")
    rui = store.contacts.add(
        ana.id,
        Contact(name="Rui Costa", company="ACME, INC.", emails=["rui@x.example"]),
        event_id=event.id,
    )
    store.reasons.add(ana.id, rui.id, "send the API docs", due=today + timedelta(days=5))
    FollowUps(store, ana.id, today).plan_contact(rui.id)
    token = store.users.feed_token(ana.id)
    now = datetime.now(UTC)
    feed = feed_for_token(store, token, BASE, now)
    events = _events(feed)
    thanks = events["Follow up: Rui Costa — thank-you"]
    text = str(thanks["DESCRIPTION"])
    assert text.endswith("\nDrafted e-mail: “Great to meet you at Web Summit”")
    assert f"{BASE}/contacts/{rui.id}" in text
    promise = events["Follow up: Rui Costa — you said: send the API docs"]
    assert str(promise["DESCRIPTION"]).endswith("“The API docs, as promised”")
    still = events["Follow up: Rui Costa — still at ACME, INC.?"]
    assert str(still["DESCRIPTION"]).endswith("“Still at Acme?”")
    assert libical(feed)["ok"]
    # A template of one's own changes the subject: that event's version rises, no other.
    save_template(store, ana.id, "thank_you", "Lovely to meet you, {{ first_name }}", "Hi")
    again = _events(feed_for_token(store, token, BASE, now + timedelta(minutes=1)))
    changed = {s for s, e in again.items() if e["SEQUENCE"] != events[s]["SEQUENCE"]}
    assert changed == {"Follow up: Rui Costa — thank-you"}
    assert str(again["Follow up: Rui Costa — thank-you"]["DESCRIPTION"]).endswith(
        "“Lovely to meet you, Rui”"
    )
    one_off = Export(store, ana.id, contact_id=rui.id).ics(base_url=BASE, now=now)
    assert "Drafted e-mail: “Lovely to meet you\\, Rui”" in one_off.decode().replace("\r\n ", "")
