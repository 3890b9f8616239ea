"""Records for the follow-up and export tests: a contact, an event, touches (no store)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cardscan.models import (
    Contact,
    ContactRecord,
    Event,
    ImportantDate,
    Meeting,
    Phone,
    Reason,
    Touch,
)

NOW = datetime(2026, 11, 8, 9, 30, tzinfo=UTC)
EVENT = Event(
    id=1,
    user_id=1,
    name="Web Summit",
    start=date(2026, 11, 4),
    end=date(2026, 11, 7),
    place="Lisbon",
)

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE contacts; --",
    "line one\nline two",
    "a, b; c\\d",
    '=HYPERLINK("http://evil")',
    "Łukasz Żółć",
    "山田 太郎",
    "محمد علي",
    "Ελένη Παπαδοπούλου",
    "lone \ud800 surrogate\x00 and \x1b[31mcontrols\u2028",
]


def contact(
    cid: int = 7,
    *,
    name: str | None = "Ana Ruiz",
    company: str | None = "Acme",
    reasons: tuple[str, ...] = ("send deck",),
    dates: tuple[ImportantDate, ...] = (),
    private_notes: str | None = None,
    notes: str | None = None,
) -> ContactRecord:
    """A stored-looking contact met at EVENT."""
    return ContactRecord(
        id=cid,
        user_id=1,
        contact=Contact(
            name=name,
            title="Head of Sales",
            company=company,
            emails=["ana@acme.example"],
            phones=[
                Phone("+351 912 345 678", "+351912345678", "mobile"),
                Phone("+1 212 555 0100", None, "office"),
            ],
            websites=["https://acme.example"],
            address="Rua Augusta 1, 1100-048 Lisboa, Portugal",
            notes=notes,
        ),
        meetings=[Meeting(contact_id=cid, event_id=EVENT.id)],
        reasons=[Reason(id=i, contact_id=cid, text=t) for i, t in enumerate(reasons, 1)],
        dates=list(dates),
        private_notes=private_notes,
    )


def touch(tid: int, cid: int = 7, *, due: date = date(2026, 11, 8), **kw: object) -> Touch:
    """A stored-looking touch."""
    base: dict = dict(
        id=tid,
        user_id=1,
        contact_id=cid,
        kind="thank_you",
        title="send deck",
        due=due,
        created=NOW,
        updated=NOW,
        step=0,
    )
    base.update(kw)
    return Touch(**base)
