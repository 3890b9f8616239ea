"""Who to contact and why, each with its act one tap away: the Today view's and the digest's
rows (overdue and today first, then this week, then later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cardscan.errors import ValidationError
from cardscan.followups import FollowUps, display_name, is_provisional
from cardscan.followups.text import clean_text, one_line
from cardscan.followups.wording import day_label, touch_words
from cardscan.models import Contact, ContactRecord, Event, Reason, Touch, User
from cardscan.outreach import prefs as user_prefs
from cardscan.outreach.drafts import Draft, Drafter, Template, check_template, template_kind
from cardscan.outreach.phrases import first_name
from cardscan.outreach.words import due_in_words

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

#: The groups, in the order they are shown.
GROUPS = {"overdue": "Overdue", "today": "Today", "week": "This week", "later": "Later"}


@dataclass(frozen=True)
class TodayItem:
    """One open touch with everything needed to act on it."""

    touch: Touch
    record: ContactRecord
    group: str  # a key of GROUPS
    name: str  # who ("Ana Ruiz"; the company or address when there is no name)
    why: str  # as followups.wording says it: "you said: send the deck — by Fri 12 Dec"
    when: str  # "today", "tomorrow", "in 3 weeks", "2 days late"
    day: str  # "Fri 12 Dec"
    where_met: str  # "Web Summit 2026, Lisbon" or ""
    note: str  # the first line of the private notes, or ""
    draft: Draft
    tel: str | None  # a number to call (the mobile first)
    profile: str | None  # their LinkedIn, else their website
    provisional: bool  # a step of the default plan, until a plan is chosen

    @property
    def first(self) -> str:
        """Who, as a button says it ("E-mail Ana"): the first name, else the name."""
        return first_name(self.record.contact.name) or self.name

    @property
    def overdue(self) -> bool:
        """Due before today."""
        return self.group == "overdue"


def group_of(day: date, today: date) -> str:
    """Which group a day falls in: overdue, today, this week (the next 7 days) or later."""
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    return "week" if day <= today + timedelta(days=7) else "later"


def _tel(record: ContactRecord) -> str | None:
    phones = sorted(record.contact.phones, key=lambda p: p.kind != "mobile")
    for phone in phones:
        if phone.kind == "fax":
            continue
        number = one_line(phone.e164 or phone.number).replace(" ", "")
        if number:
            return number
    return None


def _url(value: str) -> str | None:
    """A web link to open: http(s) as given, a bare host made https, anything else none
    (a card's "javascript://..." must never become a link)."""
    value = one_line(value)
    if re.match(r"https?://[^\s/]", value, re.IGNORECASE):
        return value
    if ":" in value.split("/")[0] or not re.match(r"[\w.-]+\.[a-z]{2,}", value, re.IGNORECASE):
        return None
    return f"https://{value}"


def _profile(record: ContactRecord) -> str | None:
    links = [*record.contact.socials, *record.contact.websites]
    linkedin = [_url(link) for link in links if "linkedin." in link.lower()]
    sites = [_url(link) for link in record.contact.websites]
    return next((link for link in [*linkedin, *sites] if link), None)


def _latest_event(record: ContactRecord, events: dict[int, Event]) -> Event | None:
    met = [events[m.event_id] for m in record.meetings if m.event_id in events]
    return max(met, key=lambda e: (e.end, e.id)) if met else None


def _where(event: Event | None) -> str:
    if event is None:
        return ""
    return ", ".join(one_line(x) for x in (event.name, event.place) if one_line(x))


def _note(record: ContactRecord) -> str:
    first = next(
        (line for line in clean_text(record.private_notes).splitlines() if line.strip()), ""
    )
    first = one_line(first)
    return first if len(first) <= 140 else first[:139].rstrip() + "…"


def drafter(store: Store, user: User, today: date) -> Drafter:
    """The user's drafts on their day: their name and signature, their own templates."""
    return Drafter(user_prefs.sender(store, user), today, user_prefs.templates(store, user.id))


def make_items(
    touches: Iterable[Touch],
    records: dict[int, ContactRecord],
    events: dict[int, Event],
    drafts: Drafter,
) -> list[TodayItem]:
    """The rows for these touches, soonest first, on the drafts' day (pure: everything is
    passed in)."""
    today = drafts.today
    items = []
    for touch in sorted(touches, key=lambda t: (t.when, t.id)):
        record = records.get(touch.contact_id)
        if record is None:
            continue
        event = _latest_event(record, events)
        items.append(
            TodayItem(
                touch=touch,
                record=record,
                group=group_of(touch.when, today),
                name=display_name(record.contact),
                why=touch_words(touch, record.contact, today=today),
                when=due_in_words(touch.when, today),
                day=day_label(touch.when, today),
                where_met=_where(event),
                note=_note(record),
                draft=drafts.message(record, touch, event),
                tel=_tel(record),
                profile=_profile(record),
                provisional=is_provisional(touch, record),
            )
        )
    return items


def today_items(
    mine: FollowUps, *, through: date | None = None, contact_id: int | None = None
) -> list[TodayItem]:
    """A user's open touches as rows to act on, soonest first.

    Args:
        mine: whose, on which day (for "tomorrow", "2 days late" and the groups).
        through: only touches showing on or before this day (the digest: today).
        contact_id: only this contact's.
    """
    store, user_id = mine.store, mine.user_id
    before = through + timedelta(days=1) if through is not None else None
    touches = store.touches.all(user_id, contact_id=contact_id, open_only=True, due_before=before)
    records = store.contacts.many(user_id, {t.contact_id for t in touches})
    events = {e.id: e for e in store.events.all(user_id)}
    drafts = drafter(store, store.users.get(user_id), mine.today)
    return make_items(touches, records, events, drafts)


def grouped(items: Sequence[TodayItem]) -> list[tuple[str, str, list[TodayItem]]]:
    """The rows in their groups: (key, title, rows), empty groups left out."""
    out = []
    for key, title in GROUPS.items():
        rows = [i for i in items if i.group == key]
        if rows:
            out.append((key, title, rows))
    return out


def draft_subjects(
    store: Store,
    user_id: int,
    touches: Iterable[Touch],
    records: dict[int, ContactRecord],
    events: dict[int, Event],
    today: date,
) -> dict[int, str]:
    """Each touch's drafted e-mail subject (by touch id), for its calendar description.

    Only what the subject lines use is worked out, and each distinct subject is rendered
    once, so a feed of thousands of touches stays quick. A touch whose contact is not in
    ``records``, or whose template (the user's own) cannot be filled, gets none.
    """
    drafts = drafter(store, store.users.get(user_id), today)
    cache: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    subjects: dict[int, str] = {}
    for touch in touches:
        record = records.get(touch.contact_id)
        if record is None:
            continue
        event = _latest_event(record, events)
        try:
            subjects[touch.id] = drafts.subject(record, touch, event, cache=cache)
        except ValidationError:
            continue  # a broken own template: the calendar goes on without its subject
    return subjects


def touch_draft(mine: FollowUps, touch_id: int) -> Draft:
    """The drafted message for one of the user's touches, written on their day.

    Raises:
        NotFoundError: the user has no such touch.
    """
    store, user_id = mine.store, mine.user_id
    touch = store.touches.get(user_id, touch_id)
    record = store.contacts.get(user_id, touch.contact_id)
    events = {e.id: e for e in store.events.all(user_id)}
    drafts = drafter(store, store.users.get(user_id), mine.today)
    return drafts.message(record, touch, _latest_event(record, events))


#: Who a template is shown with when the user has no follow-up of that kind yet.
_SAMPLE = ContactRecord(
    id=0,
    user_id=0,
    contact=Contact(
        name="Ana Ruiz",
        title="Head of Partnerships",
        company="Acme Robotics",
        emails=["ana.ruiz@acme.example"],
    ),
    private_notes="Training for the Lisbon marathon.",
    reasons=[Reason(0, 0, "send deck", "deck"), Reason(0, 0, "intro", "intro")],
)
_SAMPLE_TITLES = {
    "thank_you": ("thank_you", "send deck; intro"),
    "promise": ("reason", "send deck"),
    "check_in": ("check_in", "check in"),
    "keep_in_touch": ("keep_in_touch", "keep in touch"),
    "birthday": ("birthday", "birthday"),
    "anniversary": ("anniversary", "work anniversary"),
}


def preview_template(mine: FollowUps, kind: str, template: Template) -> Draft:
    """A template filled for the settings page's live preview: with the user's next
    follow-up of that kind when there is one, else with a sample contact.

    Raises:
        ValidationError: the template does not parse or cannot be filled.
    """
    check_template(template)
    store, user, today = mine.store, mine.store.users.get(mine.user_id), mine.today
    drafts = Drafter(user_prefs.sender(store, user), today, {kind: template})
    for item in today_items(mine):
        if template_kind(item.touch) == kind:
            events = {e.id: e for e in store.events.all(user.id)}
            event = _latest_event(item.record, events)
            return drafts.message(item.record, item.touch, event)
    touch_kind, title = _SAMPLE_TITLES[kind]
    touch = Touch(0, user.id, 0, touch_kind, title, today)
    event = Event(
        0, user.id, "Web Summit", today - timedelta(days=3), today - timedelta(days=1), "Lisbon"
    )
    return drafts.message(_SAMPLE, touch, event)
