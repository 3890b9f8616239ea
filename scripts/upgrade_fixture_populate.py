"""Fill a data directory the way a user of a release would, with that release's own code.

Run by ``scripts/make_upgrade_fixture.py`` with the release's source first on ``sys.path``
(never import it from the current tree): two users, events, real card photos read by the
release's OCR pipeline, reasons with dates, a birthday, planned follow-ups (one done, one
snoozed), a corrected field, private notes, a merge, a typed-in contact, API and feed tokens,
reason chips. It prints what that release says about the data (contacts, follow-ups, the
feed's events, search) as JSON: the upgrade test checks the new version says the same.

    python scripts/upgrade_fixture_populate.py DATA_DIR PHOTO...

It is written against that release's API (round 1: the flat ``Store``, ``store.add_user``),
not today's: leave it out of API renames, and write a new one for a release whose API differs.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from cardscan import followups, preferences
from cardscan.exports import feed_for_token
from cardscan.jobs import import_photos
from cardscan.models import Contact, Phone
from cardscan.settings import load_settings
from cardscan.store import Store
from cardscan.store.contacts import contact_dict
from cardscan.triage import finish_triage

PASSWORD = "correct horse battery staple"
TODAY = date(2026, 11, 14)
NOW = datetime(2026, 11, 14, 18, 30, tzinfo=UTC)


def populate(data: Path, photos: list[str]) -> dict:
    settings = load_settings({"data": str(data)}, environ={})
    with Store.open(data) as store:
        ana = store.add_user("ana", PASSWORD)
        ben = store.add_user("ben", PASSWORD)
        token = store.create_api_token(ana.id, "scanner")
        summit = store.add_event(ana.id, "Web Summit", "2026-11-10", "2026-11-13", "Lisbon")
        store.add_event(ana.id, "Expo Real", "2026-10-05", "2026-10-07", "Munich")
        fair = store.add_event(ben.id, "Book Fair", "2026-10-14", "2026-10-18", "Frankfurt")

    import_photos(data, ana.id, photos[:-1], settings, event_id=summit.id)
    import_photos(data, ben.id, photos[-1:], settings, event_id=fair.id)

    with Store.open(data) as store:
        contacts = store.contacts(ana.id)
        first, second = contacts[0], contacts[1]
        followups.add_reason(store, ana.id, first.id, TODAY, text="send deck", kind="deck", now=NOW)
        followups.add_reason(
            store, ana.id, second.id, TODAY, text="coffee", kind="meeting",
            due=date(2026, 12, 3), now=NOW,
        )  # fmt: skip
        followups.add_date(store, ana.id, first.id, "birthday", 2, 29, TODAY, now=NOW)
        store.update_contact(ana.id, first.id, {"title": "Head of Partnerships"})
        store.set_private_notes(ana.id, second.id, "Met at the Nordic stand; two kids.")
        finish_triage(store, ana.id, first.card_id, TODAY)
        followups.plan_contacts(store, ana.id, TODAY, now=NOW)
        open_touches = [t for t in store.touches(ana.id) if t.status == "due"]
        followups.done_touch(store, ana.id, open_touches[0].id, now=NOW)
        followups.snooze_touch(store, ana.id, open_touches[1].id, date(2026, 12, 1), TODAY, now=NOW)
        typed = store.add_contact(
            ana.id,
            Contact(
                name="Rui Costa",
                company="Costa & Filhos, Lda.",
                emails=["rui@costa-filhos.pt"],
                phones=[Phone(number="+351 912 345 678", e164="+351912345678", kind="mobile")],
            ),
            event_id=summit.id,
        )
        twin = store.add_contact(
            ana.id,
            Contact(name="Rui Costa", emails=["rui@costa-filhos.pt"], notes="second card"),
        )
        store.merge(ana.id, typed.id, twin.id)
        preferences.save_reason_chips(data, ana.id, ["send deck", "intro", "hiring", "café ☕"])
        store.rotate_feed_token(ben.id)

        feed = feed_for_token(store, store.feed_token(ana.id), "https://cards.example.org", NOW)
        return {
            "password": PASSWORD,
            "api_token": token,
            "users": {u.name: u.id for u in store.users()},
            "feed_token": {"ana": store.feed_token(ana.id)},
            "feed_uids": sorted(set(re.findall(r"UID:(\S+)", feed.decode()))),
            "contacts": {
                str(c.id): {"user": user.name, **contact_dict(store.get_contact(user.id, c.id))}
                for user in (ana, ben)
                for c in store.contacts(user.id, include_merged=True)
            },
            "touches": {
                str(t.id): {
                    "contact_id": t.contact_id,
                    "due": t.due.isoformat(),
                    "status": t.status,
                }
                for t in store.touches(ana.id, open_only=False)
            },
            "search": {"deck": [c.id for c in store.search(ana.id, "deck")]},
            "chips": preferences.reason_chips(data, ana.id),
            "cards": {
                str(card.id): {"status": card.status, "front": card.front}
                for user in (ana, ben)
                for card in store.cards(user.id)
            },
        }


if __name__ == "__main__":
    result = populate(Path(sys.argv[1]), sys.argv[2:])
    print(json.dumps(result, indent=1, ensure_ascii=False, sort_keys=True, default=str))
