"""Plans and touches in a real SQLite store, the library functions over it, and the feed."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest

from cardscan.errors import NotFoundError, ValidationError
from cardscan.exports import Export, feed_for_token, feed_urls
from cardscan.exports.csv import read_csv
from cardscan.followups import FollowUps, followup_list
from cardscan.models import Contact, Phone, PlanStep, Touch
from tests.support.outreach_data import NOW, TODAY, meet_rui

BASE = "https://cards.example.org"


@pytest.fixture
def met(store, ana):
    """Ana met Rui at Web Summit and wants to send a deck."""
    return meet_rui(
        store,
        ana.id,
        title="CTO",
        emails=["rui@acme.example"],
        phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
    )


def _open(store, user_id, contact_id=None):
    return [
        (t.kind, t.title, t.when)
        for t in store.touches.all(user_id, contact_id=contact_id, open_only=True)
    ]


def test_default_plan_is_stored_once_and_plans_can_be_saved(store, ana, bob):
    plan = store.plans.default(ana.id)
    assert plan.is_default and [s.offset_days for s in plan.steps] == [1, 21, 90]
    assert store.plans.default(ana.id).id == plan.id
    quick = store.plans.save(ana.id, "Quick", [PlanStep("thank_you", "thanks", 0)])
    again = store.plans.save(ana.id, "Quick", [PlanStep("thank_you", "thanks!", 2)])
    assert again.id == quick.id and again.steps[0].offset_days == 2
    assert [p.name for p in store.plans.all(ana.id)] == [
        plan.name,
        "Hot lead",
        "Nurture",
        "Personal",
        "Quick",
    ]
    assert store.plans.all(bob.id)[0].id != plan.id
    with pytest.raises(NotFoundError):
        store.plans.get(bob.id, quick.id)
    with pytest.raises(ValidationError, match="at least one step"):
        store.plans.save(ana.id, "Empty", [])
    with pytest.raises(ValidationError, match="0 to 3650"):
        store.plans.save(ana.id, "Bad", [PlanStep("x", "y", -3)])


def test_a_new_plan_needs_a_name_of_its_own(store, ana, bob):
    steps = [PlanStep("thank_you", "thanks", 0)]
    investors = store.plans.add(ana.id, "  Investors ", steps)
    assert investors.name == "Investors" and not investors.is_default
    with pytest.raises(ValidationError, match="already have a plan named 'Investors'"):
        store.plans.add(ana.id, "Investors", steps)
    with pytest.raises(ValidationError, match="needs a name"):
        store.plans.add(ana.id, "   ", steps)
    assert store.plans.add(bob.id, "Investors", steps).user_id == bob.id  # names are per user


def test_plan_contact_schedules_once_and_follows_reason_changes(store, ana, met):
    _, rui = met
    added = FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)
    assert [(t.kind, t.title, t.due) for t in added] == [
        ("thank_you", "send deck", date(2026, 11, 8)),
        ("check_in", "check in", date(2026, 11, 28)),
        ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
    ]
    assert FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id) == []  # idempotent
    store.reasons.add(ana.id, rui.id, "intro to Bea", "intro")
    store.reasons.add(ana.id, rui.id, "coffee in March")
    store.dates.add(ana.id, rui.id, "birthday", 2, 29)
    changed = FollowUps(store, ana.id, TODAY, NOW + timedelta(hours=1)).plan_contact(rui.id)
    assert sorted((t.kind, t.title) for t in changed) == [
        ("birthday", "birthday"),
        ("reason", "coffee in March"),
        ("thank_you", "send deck; intro to Bea"),
    ]
    first = next(t for t in changed if t.kind == "thank_you")
    assert first.sequence == 1 and first.updated == NOW + timedelta(hours=1)
    assert _open(store, ana.id) == [
        ("thank_you", "send deck; intro to Bea", date(2026, 11, 8)),
        ("check_in", "check in", date(2026, 11, 28)),
        ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
        ("birthday", "birthday", date(2027, 2, 28)),
        ("reason", "coffee in March", date(2027, 3, 1)),
    ]
    assert FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id) == []


def test_done_snooze_skip_and_log_contact(store, ana, met):
    _, rui = met
    store.dates.add(ana.id, rui.id, "birthday", 12, 1)
    touches = {t.kind: t for t in FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)}
    later = NOW + timedelta(days=1)

    done = FollowUps(store, ana.id, TODAY, later).done_touch(touches["thank_you"].id)
    assert (done.status, done.sequence, done.updated) == ("done", 1, later)
    with pytest.raises(ValidationError, match="already done"):
        FollowUps(store, ana.id, TODAY, later).done_touch(touches["thank_you"].id)

    snoozed = FollowUps(store, ana.id, TODAY).snooze_touch(
        touches["check_in"].id, date(2026, 12, 5)
    )
    assert (snoozed.when, snoozed.sequence) == (date(2026, 12, 5), 1)
    assert followup_list(store, ana.id, due_before=date(2026, 12, 5)) == [
        {
            "id": touches["birthday"].id,
            "when": "2026-12-01",
            "status": "due",
            "summary": "Follow up: Rui Costa — birthday",
            "contact_id": rui.id,
            "kind": "birthday",
            "sequence": 0,
            "provisional": False,  # a date, not a step of the default plan
        }
    ]
    provisional = {r["kind"]: r["provisional"] for r in followup_list(store, ana.id)}
    assert provisional == {"birthday": False, "check_in": True, "keep_in_touch": True}

    skipped = FollowUps(store, ana.id, TODAY, later).skip_touch(touches["birthday"].id)
    assert skipped.status == "skipped"
    next_year = [t for t in store.touches.all(ana.id) if t.kind == "birthday"]
    assert [t.due for t in next_year] == [date(2027, 12, 1)]

    changed = FollowUps(store, ana.id, date(2026, 11, 20), later).record_contact(rui.id)
    assert [(t.kind, t.status, t.due, t.sequence) for t in changed] == [
        ("check_in", "done", date(2026, 11, 28), 2),
        ("keep_in_touch", "due", date(2027, 1, 28), 1),  # 69 days after, as before
    ]


def test_a_touch_action_by_name_as_the_api_and_the_pages_send_it(store, ana, met):
    _, rui = met
    touches = {t.kind: t for t in FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)}
    mine = FollowUps(store, ana.id, TODAY)
    snoozed = mine.act_on_touch(touches["check_in"].id, "snooze")
    assert snoozed.when == TODAY + timedelta(days=7)  # a week when no day is given
    assert mine.act_on_touch(touches["thank_you"].id, "done").status == "done"
    with pytest.raises(ValidationError, match="unknown action 'later': use done, snooze or skip"):
        mine.act_on_touch(touches["check_in"].id, "later")


def test_switching_plan_replans_open_touches(store, ana, met):
    _, rui = met
    first = {t.kind: t for t in FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)}
    quick = store.plans.save(
        ana.id, "Quick", [PlanStep("thank_you", "thanks", 1), PlanStep("check_in", "call", 7)]
    )
    FollowUps(store, ana.id, TODAY, NOW + timedelta(hours=1)).switch_plan(rui.id, quick.id)
    assert store.contacts.get(ana.id, rui.id).plan_id == quick.id
    after = {t.kind: t for t in store.touches.all(ana.id, open_only=False)}
    assert after["thank_you"].id == first["thank_you"].id
    assert after["thank_you"].title == "send deck"
    assert after["check_in"].id == first["check_in"].id
    assert (after["check_in"].due, after["check_in"].sequence) == (date(2026, 11, 14), 1)
    assert after["keep_in_touch"].status == "skipped"


def test_users_never_see_each_others_touches(store, ana, bob, met):
    _, rui = met
    [touch, *_] = FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)
    assert store.touches.all(bob.id) == []
    for action in (
        lambda: store.touches.get(bob.id, touch.id),
        lambda: store.touches.update(bob.id, touch.id, title="x"),
        lambda: FollowUps(store, bob.id, TODAY).done_touch(touch.id),
        lambda: FollowUps(store, bob.id, TODAY).plan_contact(rui.id),
        lambda: store.touches.add(bob.id, [Touch(0, bob.id, rui.id, "x", "y", TODAY)]),
    ):
        with pytest.raises(NotFoundError):
            action()
    with pytest.raises(ValidationError, match="cannot change contact_id"):
        store.touches.update(ana.id, touch.id, contact_id=99)


def test_feed_by_token_and_rotation(store, ana, met):
    _, rui = met
    FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)
    token = store.users.feed_token(ana.id)
    data = feed_for_token(store, token, BASE, NOW)
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Follow up: Rui Costa — thank-you: send deck",
        "Follow up: Rui Costa — check in",
        "Follow up: Rui Costa — still at Acme as CTO?",
    ]
    assert data == feed_for_token(store, token, BASE, NOW + timedelta(days=2))
    new = store.users.rotate_feed_token(ana.id)
    with pytest.raises(NotFoundError):
        feed_for_token(store, token, BASE, NOW)
    assert feed_for_token(store, new, BASE, NOW) == data
    with pytest.raises(NotFoundError):
        feed_for_token(store, "", BASE, NOW)


def test_feed_urls():
    assert feed_urls("https://cards.example.org/", "abc") == (
        "webcal://cards.example.org/calendar/abc.ics",
        "https://cards.example.org/calendar/abc.ics",
    )
    with pytest.raises(ValidationError, match="CARDSCAN_BASE_URL"):
        feed_urls("", "abc")
    with pytest.raises(ValidationError, match="not an http"):
        feed_urls("cards.example.org", "abc")


def test_exports_from_the_store(store, ana, bob, met, tmp_path):
    event, rui = met
    FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)
    other = store.contacts.add(ana.id, Contact(name="Eve Elsewhere"))
    ics = Export(store, ana.id, event_id=event.id).ics(base_url=BASE, now=NOW)
    assert len(list(icalendar.Calendar.from_ical(ics).walk("VALARM"))) == 3
    vcf = Export(store, ana.id, event_id=event.id).vcf()
    assert vcf.count(b"BEGIN:VCARD") == 1 and b"FN:Rui Costa" in vcf
    assert Export(store, ana.id).vcf().count(b"BEGIN:VCARD") == 2
    assert Export(store, ana.id, contact_id=other.id).vcf().count(b"BEGIN:VCARD") == 1
    [row] = read_csv(Export(store, ana.id, event_id=event.id).csv("hubspot"))
    assert (row["First Name"], row["Mobile Phone Number"]) == ("Rui", "+351912345678")
    with pytest.raises(NotFoundError):
        Export(store, bob.id, event_id=event.id).vcf()


def test_feed_contacts_equal_get_contact(store, ana, bob, met):
    _, rui = met
    store.dates.add(ana.id, rui.id, "birthday", 3, 4)
    other = store.contacts.add(bob.id, Contact(name="Not Ana's"))
    got = store.contacts.many(ana.id, [rui.id, other.id, 999])
    assert list(got) == [rui.id]
    assert got[rui.id] == store.contacts.get(ana.id, rui.id)


def test_a_reason_added_after_the_first_touch_closed_gets_its_own_touch(store, ana, met):
    _, rui = met
    first = FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id)[0]
    FollowUps(store, ana.id, TODAY, NOW).done_touch(first.id)
    reason = store.reasons.add(ana.id, rui.id, "intro to Bea", "intro")
    later = date(2026, 11, 15)
    [added] = FollowUps(store, ana.id, later, NOW).plan_contact(rui.id)
    assert (added.kind, added.title, added.due) == ("reason", "intro to Bea", later)
    assert FollowUps(store, ana.id, later, NOW).plan_contact(rui.id) == []
    store.reasons.delete(ana.id, reason.id)
    [gone] = FollowUps(store, ana.id, later, NOW).plan_contact(rui.id)
    assert (gone.id, gone.status) == (added.id, "skipped")


# --- provisional plans, triage's chosen plan, and merges ---------------------------------------


def _read(store, user, photo, event, reasons=()):
    """A card captured and read as the OCR worker does it (contact + provisional plan)."""
    from cardscan.jobs import read_one
    from tests.support.fake_reader import FakeReader

    card, _ = store.cards.add(user.id, photo, event_id=event.id, reasons=reasons)
    read_one(store, FakeReader(), max_tries=3, today=TODAY)
    return store.contacts.get(user.id, store.cards.get(user.id, card.id).contact_id)


def test_triage_replaces_the_provisional_plan_and_keeps_what_the_user_did(store, ana):
    event = store.events.add(ana.id, "Expo", date(2026, 11, 6), date(2026, 11, 7))
    rui = _read(store, ana, b"FAKE|Rui Costa|Acme|rui@acme.example", event, [("send deck", "deck")])
    thank, check, keep = store.touches.all(ana.id, contact_id=rui.id)
    # Triage a week later: Done with the default plan changes nothing (the overdue thank-you
    # is not slid to today either) but marks the plan as chosen...
    default = store.plans.default(ana.id)
    week_later = TODAY + timedelta(days=7)
    assert FollowUps(store, ana.id, week_later, NOW).switch_plan(rui.id, default.id) == []
    assert store.contacts.get(ana.id, rui.id).plan_id == default.id
    # The user acts on two of them from the follow-ups page.
    FollowUps(store, ana.id, TODAY, NOW).done_touch(thank.id)
    FollowUps(store, ana.id, TODAY, NOW).snooze_touch(check.id, date(2026, 12, 20))
    # ...and another plan replaces the open steps, keeping the done and the snoozed one.
    quick = store.plans.save(
        ana.id, "Quick", [PlanStep("thank_you", "thanks", 1), PlanStep("check_in", "call", 7)]
    )
    FollowUps(store, ana.id, TODAY, NOW + timedelta(hours=1)).switch_plan(rui.id, quick.id)
    after = {t.id: t for t in store.touches.all(ana.id, contact_id=rui.id, open_only=False)}
    assert set(after) == {thank.id, check.id, keep.id}  # same touches: calendar UIDs stay
    assert after[thank.id].status == "done"
    assert (after[check.id].status, after[check.id].when) == ("snoozed", date(2026, 12, 20))
    assert after[keep.id].status == "skipped"  # beyond the new plan


def test_merging_two_planned_contacts_leaves_one_touch_per_step_and_unmerge_reopens(store, ana):
    summit = store.events.add(ana.id, "Summit", date(2026, 11, 1), date(2026, 11, 2))
    expo = store.events.add(ana.id, "Expo", date(2026, 11, 6), date(2026, 11, 7))
    keep = _read(store, ana, b"FAKE|Ana Ruiz|Acme|ana@acme.example", summit, [("intro", "intro")])
    other = _read(
        store, ana, b"FAKE|Ana Ruiz|Acme|ana@gmail.example", expo, [("send deck", "deck")]
    )
    before = {t.id: (t.status, t.sequence) for t in store.touches.all(ana.id, open_only=False)}
    assert len(before) == 6
    store.duplicates.merge(ana.id, keep.id, other.id)
    open_steps = [t.step for t in store.touches.all(ana.id)]
    assert sorted(open_steps) == [0, 1, 2]  # not two "check in"s for one person
    token = store.users.feed_token(ana.id)
    feed = icalendar.Calendar.from_ical(feed_for_token(store, token, BASE, NOW))
    summaries = [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    assert len(summaries) == len(set(summaries)) == 3
    # Triage Done on the kept contact: one thank-you carrying both reasons, nothing doubled.
    FollowUps(store, ana.id, TODAY, NOW).plan_contact(keep.id)
    first = [t for t in store.touches.all(ana.id) if t.step == 0]
    assert [t.title for t in first] == ["intro; send deck"]
    assert len(store.touches.all(ana.id)) == 3
    # Unmerge: both contacts have their own open touches again.
    store.duplicates.unmerge(ana.id, other.id)
    for contact in (keep, other):
        steps = sorted(t.step for t in store.touches.all(ana.id, contact_id=contact.id))
        assert steps == [0, 1, 2], contact


def test_cards_of_an_old_event_get_one_touch_for_the_steps_already_past(store, ana):
    old = store.events.add(ana.id, "Expo 2025", date(2025, 10, 1), date(2025, 10, 2))
    rui = _read(store, ana, b"FAKE|Rui Costa|Acme|rui@acme.example", old)
    eva = _read(store, ana, b"FAKE|Eva Lima|Globex|eva@globex.example", old, [("intro", "intro")])
    [touch] = store.touches.all(ana.id, contact_id=rui.id)
    assert (touch.kind, touch.title, touch.when, touch.step) == (
        "keep_in_touch",
        "keep in touch",
        TODAY,
        2,
    )
    assert [t.title for t in store.touches.all(ana.id, contact_id=eva.id)] == ["intro"]
    # Planning again, and triage Done a week later with the default plan, add nothing.
    assert FollowUps(store, ana.id, TODAY, NOW).plan_contact(rui.id) == []
    default = store.plans.default(ana.id)
    week_later = TODAY + timedelta(days=7)
    assert FollowUps(store, ana.id, week_later, NOW).switch_plan(rui.id, default.id) == []
    assert store.touches.all(ana.id, contact_id=rui.id) == [touch]  # the same UID, unchanged
    # An event that ended three weeks ago: the thank-you and the check-in are one touch.
    recent = store.events.add(ana.id, "Meetup", TODAY - timedelta(days=22), TODAY - timedelta(21))
    bea = _read(store, ana, b"FAKE|Bea Reis|Initech|bea@initech.example", recent)
    assert _open(store, ana.id, bea.id) == [
        ("check_in", "check in", TODAY),
        ("keep_in_touch", "keep in touch", TODAY + timedelta(days=69)),
    ]


def test_shipped_plans_count_in_weeks_and_months_and_plans_are_edited_by_id(store, ana, met):
    _, rui = met
    plans = {p.name: p for p in store.plans.all(ana.id)}
    hot = plans["Hot lead"]
    assert [s.distance for s in hot.steps] == [
        (1, "days"),
        (1, "weeks"),
        (1, "months"),
        (3, "months"),
    ]
    assert [s.distance for s in plans["Personal"].steps] == [(1, "days"), (6, "months")]
    FollowUps(store, ana.id, TODAY).switch_plan(rui.id, hot.id)
    days = sorted(t.due for t in store.touches.all(ana.id, contact_id=rui.id) if t.step is not None)
    # Web Summit ended 2026-11-07: +1 day, +1 week, +1 month, +3 months (calendar months).
    assert days == [TODAY, date(2026, 11, 14), date(2026, 12, 7), date(2027, 2, 7)]
    renamed = store.plans.update(
        ana.id, hot.id, name="Hot!", steps=[PlanStep("thank_you", "thanks", 2)], is_default=True
    )
    assert renamed.name == "Hot!" and renamed.is_default and len(renamed.steps) == 1
    assert store.plans.default(ana.id).id == hot.id
    with pytest.raises(ValidationError, match="already have a plan named"):
        store.plans.update(ana.id, hot.id, name="Nurture", steps=hot.steps)
    with pytest.raises(ValidationError, match="default plan"):
        store.plans.delete(ana.id, hot.id)
    store.plans.delete(ana.id, plans["Personal"].id)
    assert "Personal" not in {p.name for p in store.plans.all(ana.id)}
    assert store.contacts.get(ana.id, rui.id).plan_id == hot.id
    store.plans.delete(ana.id, plans["Nurture"].id)
    with pytest.raises(NotFoundError):
        store.plans.delete(ana.id, plans["Nurture"].id)
