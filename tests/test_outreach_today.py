"""The Today view's rows, one-tap acts with undo and history, and the user's preferences,
over a real store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cardscan.errors import ConflictError, NotFoundError, ValidationError
from cardscan.followups import FollowUps
from cardscan.models import Contact, Phone, Touch
from cardscan.outreach import (
    DEFAULT_TEMPLATES,
    act,
    adopt_timezone,
    grouped,
    history,
    reset_template,
    save_prefs,
    save_template,
    today_items,
    touch_draft,
    undo,
)
from tests.support.outreach_data import NOW, TODAY, meet_rui


@pytest.fixture
def rui(store, ana):
    """Ana met Rui at Web Summit (ended yesterday) and promised a deck."""
    _, record = meet_rui(
        store,
        ana.id,
        title="CTO",
        emails=["rui@acme.example"],
        phones=[
            Phone("+351 21 000 0000", "+351210000000", "office"),
            Phone("+351 912 345 678", "+351912345678", "mobile"),
        ],
        websites=["acme.example"],
        socials=["linkedin.com/in/ruicosta"],
    )
    store.contacts.update(ana.id, record.id, {"private_notes": "Training for the Porto marathon."})
    FollowUps(store, ana.id, TODAY, NOW).plan_contact(record.id)
    return store.contacts.get(ana.id, record.id)


def test_rows_carry_who_why_when_and_the_acts(store, ana, rui):
    items = today_items(FollowUps(store, ana.id, TODAY))
    first = items[0]
    assert (first.name, first.why, first.when, first.group) == (
        "Rui Costa",
        "thank-you: send deck",
        "today",
        "today",
    )
    assert first.where_met == "Web Summit, Lisbon"
    assert first.note == "Training for the Porto marathon."
    assert first.tel == "+351912345678"  # the mobile, not the office line
    assert first.profile == "https://linkedin.com/in/ruicosta"
    assert first.draft.to == "rui@acme.example"
    assert first.draft.subject == "Great to meet you at Web Summit"
    assert "P.S. Good luck with the Porto marathon!" in first.draft.body
    assert [i.when for i in items[1:]] == ["in 3 weeks", "in 3 months"]
    assert [key for key, _, _ in grouped(items)] == ["today", "later"]


def test_overdue_rows_come_first_and_say_how_late(store, ana, rui):
    later = TODAY + timedelta(days=2)
    ana_later = FollowUps(store, ana.id, later)
    items = today_items(ana_later)
    assert (items[0].group, items[0].when) == ("overdue", "2 days late")
    digest_rows = today_items(ana_later, through=later)
    assert [i.touch.id for i in digest_rows] == [items[0].touch.id]


def test_the_sender_and_own_templates_shape_the_draft(store, ana, rui):
    save_prefs(store, ana.id, my_name="Ana Ruiz", signature="Partner, Northwind")
    touch = store.touches.all(ana.id)[0]
    ana_today = FollowUps(store, ana.id, TODAY)
    draft = touch_draft(ana_today, touch.id)
    assert draft.body.endswith(
        "Best,\nAna Ruiz\nPartner, Northwind\n\nP.S. Good luck with the Porto marathon!\n"
    )
    save_template(store, ana.id, "thank_you", "Hi {{ first_name }}!", "Short {{ event }}.", now=NOW)
    draft = touch_draft(ana_today, touch.id)
    assert (draft.subject, draft.body) == ("Hi Rui!", "Short Web Summit.\n")
    reset_template(store, ana.id, "thank_you")
    assert touch_draft(ana_today, touch.id).subject == "Great to meet you at Web Summit"
    default = DEFAULT_TEMPLATES["check_in"]
    save_template(store, ana.id, "check_in", default.subject, default.body)  # the default: no row
    assert store.outreach.templates(ana.id) == {}
    with pytest.raises(ValidationError, match="no template 'nope'"):
        save_template(store, ana.id, "nope", "x", "y")
    ben = store.users.add("ben", "another long secret")
    with pytest.raises(NotFoundError):
        touch_draft(FollowUps(store, ben.id, TODAY), touch.id)


def test_the_browser_s_time_zone_is_taken_until_the_user_chooses_one(store, ana):
    assert not adopt_timezone(store, ana.id, "Mars/Olympus")  # unknown: nothing changes
    assert not adopt_timezone(store, ana.id, "")
    assert store.outreach.prefs(ana.id).timezone == ""
    assert adopt_timezone(store, ana.id, "Asia/Tokyo")
    assert not adopt_timezone(store, ana.id, "Europe/Lisbon")  # one is set: it stays
    assert store.outreach.prefs(ana.id).timezone == "Asia/Tokyo"


def test_preferences_are_checked(store, ana):
    saved = save_prefs(store, ana.id, email=" Ana@Example.ORG ", timezone="Europe/Lisbon")
    assert (saved.email, saved.timezone, saved.digest_hour) == (
        "Ana@example.org",
        "Europe/Lisbon",
        8,
    )
    for bad, message in (
        ({"email": "not an address"}, "is not an e-mail address"),
        ({"timezone": "Mars/Olympus"}, "is not a time zone"),
        ({"digest_hour": 24}, "0 to 23"),
        ({"digest": "hourly"}, "daily, weekly, off"),
        ({"digest_weekday": 7}, "0 \\(Monday\\) to 6"),
        ({"colour": "blue"}, "unknown preference"),
    ):
        with pytest.raises(ValidationError, match=message):
            save_prefs(store, ana.id, **bad)
    assert store.outreach.prefs(ana.id).email == "Ana@example.org"  # nothing lost
    assert save_prefs(store, ana.id, email="").email is None


def test_done_and_undo_put_the_touch_back_and_history_shows_both(store, ana, rui):
    touch = store.touches.all(ana.id)[0]
    done = act(FollowUps(store, ana.id, TODAY, NOW), touch.id, "done")
    assert store.touches.get(ana.id, touch.id).status == "done"
    back = undo(store, ana.id, done.id, now=NOW + timedelta(seconds=3))
    assert (back.status, back.due) == ("due", touch.due)
    assert back.sequence == touch.sequence + 2  # the calendar sees both changes
    lines = history(store, ana.id, contact_id=rui.id)
    assert [(line.text, line.undone) for line in lines] == [("Marked done: send deck", True)]
    with pytest.raises(ConflictError, match="undone already"):
        undo(store, ana.id, done.id)


def test_snooze_and_skip_are_kept_with_their_days(store, ana, rui):
    touch = store.touches.all(ana.id)[0]
    ana_today = FollowUps(store, ana.id, TODAY, NOW)
    snoozed = act(ana_today, touch.id, "snooze", via="mail")
    assert store.touches.get(ana.id, touch.id).snoozed_until == TODAY + timedelta(days=7)
    skipped = act(ana_today, touch.id, "skip")
    assert [line.text for line in history(store, ana.id, contact_id=rui.id)] == [
        "Skipped: send deck",
        "Snoozed to Sun 15 Nov: send deck (from the digest e-mail)",
    ]
    # The snooze cannot be undone once the touch was skipped after it.
    with pytest.raises(ConflictError, match="changed after that"):
        undo(store, ana.id, snoozed.id)
    assert undo(store, ana.id, skipped.id).status == "snoozed"
    with pytest.raises(ValidationError, match="unknown action"):
        act(FollowUps(store, ana.id, TODAY), touch.id, "explode")


def test_undoing_a_birthday_done_removes_next_years_touch(store, ana, rui):
    ana_today = FollowUps(store, ana.id, TODAY, NOW)
    ana_today.add_date(rui.id, "birthday", 11, 8)
    birthday = next(t for t in store.touches.all(ana.id) if t.kind == "birthday")
    done = act(ana_today, birthday.id, "done")
    assert len(done.made) == 1
    assert store.touches.get(ana.id, done.made[0]).due == date(2027, 11, 8)
    undo(store, ana.id, done.id)
    assert [t.due for t in store.touches.all(ana.id) if t.kind == "birthday"] == [TODAY]


@pytest.mark.parametrize(
    "link, profile",
    [
        ("acme.example", "https://acme.example"),
        ("https://acme.example/team", "https://acme.example/team"),
        ("javascript://%0aalert(1)", None),  # never a link that runs script
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("not a link", None),
    ],
)
def test_only_web_links_become_the_profile(store, ana, link, profile):
    record = store.contacts.add(ana.id, Contact(name="Eve", websites=[link]))
    store.touches.add(ana.id, [Touch(0, ana.id, record.id, "check_in", "check in", TODAY)])
    [item] = today_items(FollowUps(store, ana.id, TODAY))
    assert item.profile == profile
