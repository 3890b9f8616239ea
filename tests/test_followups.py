"""Plans to touches, due-date parsing, and how touches move (pure functions, no store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardscan.errors import ValidationError
from cardscan.followups import (
    DEFAULT_STEPS,
    clean_text,
    log_contact,
    mark_done,
    move,
    next_occurrence,
    next_yearly,
    one_line,
    replan,
    schedule,
    skip,
    snooze,
    touch_summary,
    update_touches,
    validate_steps,
)
from cardscan.models import ImportantDate, Plan, PlanStep, Reason
from tests.support.followup_data import EVENT, NOW, contact, touch


@pytest.mark.parametrize(
    ("month", "day", "today", "expected"),
    [
        (3, 15, date(2027, 1, 10), date(2027, 3, 15)),
        (1, 5, date(2027, 1, 10), date(2028, 1, 5)),
        (1, 10, date(2027, 1, 10), date(2027, 1, 10)),
        (2, 29, date(2027, 1, 10), date(2027, 2, 28)),  # common year: the 28th
        (2, 29, date(2027, 3, 1), date(2028, 2, 29)),  # leap year: the 29th
    ],
)
def test_next_occurrence(month, day, today, expected):
    assert next_occurrence(month, day, today) == expected


def _plan(*steps):
    return Plan(id=5, user_id=1, name="p", steps=tuple(steps))


@pytest.mark.parametrize(
    ("reasons", "today", "expected"),
    [
        (
            ("send deck",),
            date(2026, 11, 8),
            [
                ("thank_you", "send deck", date(2026, 11, 8)),
                ("check_in", "check in", date(2026, 11, 28)),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
            ],
        ),
        (
            ("send deck", "intro to Bob", "send deck"),
            date(2026, 11, 8),
            [
                ("thank_you", "send deck; intro to Bob", date(2026, 11, 8)),
                ("check_in", "check in", date(2026, 11, 28)),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
            ],
        ),
        (
            ("coffee in March",),
            date(2026, 11, 8),
            [
                ("thank_you", "thank you", date(2026, 11, 8)),
                ("check_in", "check in", date(2026, 11, 28)),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
                ("reason", "coffee in March", date(2027, 3, 1)),
            ],
        ),
        (
            # triaged a few days late: the one step already past falls on today
            (),
            date(2026, 11, 12),
            [
                ("thank_you", "thank you", date(2026, 11, 12)),
                ("check_in", "check in", date(2026, 11, 28)),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
            ],
        ),
        (
            # triaged late: the steps already past become one touch today, the latest of them
            (),
            date(2026, 12, 1),
            [
                ("check_in", "check in", date(2026, 12, 1)),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5)),
            ],
        ),
    ],
)
def test_schedule_default_plan(reasons, today, expected):
    record = contact(reasons=reasons)
    got = schedule(record, EVENT, DEFAULT_STEPS, record.reasons, today, now=NOW)
    assert [(t.kind, t.title, t.due) for t in got] == expected
    assert all(t.id == 0 and t.status == "due" and t.sequence == 0 for t in got)
    assert all(t.contact_id == record.id and t.user_id == record.user_id for t in got)


@pytest.mark.parametrize(
    ("reasons", "today", "expected"),
    [
        (  # a year-old event imported: one touch today instead of three
            (),
            date(2027, 11, 20),
            [("keep_in_touch", "keep in touch", date(2027, 11, 20), 2)],
        ),
        (  # the reasons still title the one touch left of the past steps
            (("send deck", None),),
            date(2027, 11, 20),
            [("keep_in_touch", "send deck", date(2027, 11, 20), 2)],
        ),
        (  # a step due today and a past one: one touch today, not two
            (),
            date(2026, 11, 28),
            [
                ("check_in", "check in", date(2026, 11, 28), 1),
                ("keep_in_touch", "keep in touch", date(2027, 2, 5), 2),
            ],
        ),
        (  # a promise is a touch of its own: the cadence is folded as without it
            (("send deck", date(2027, 11, 27)),),
            date(2027, 11, 20),
            [
                ("keep_in_touch", "keep in touch", date(2027, 11, 20), 2),
                ("reason", "send deck", date(2027, 11, 27), None),
            ],
        ),
    ],
)
def test_an_old_events_past_steps_become_one_touch(reasons, today, expected):
    record = _record(*reasons)
    plan = _plan(*DEFAULT_STEPS)
    got = schedule(record, EVENT, plan, record.reasons, today, now=NOW)
    assert _open(got) == sorted(expected)
    stored = _stored(got)
    for later in (today, today + timedelta(days=7)):  # planning again, triage a week later
        assert update_touches(record, stored, EVENT, plan, later, NOW) == ([], [])
        assert replan(record, stored, EVENT, plan, later, NOW) == ([], [])


def test_another_plan_for_an_old_contact_keeps_the_one_touch_and_adds_only_future_steps():
    today = date(2027, 3, 1)  # 114 days after the event
    record = _record()
    touches = _stored(schedule(record, EVENT, _plan(*DEFAULT_STEPS), [], today, now=NOW))
    assert [(t.id, t.step, t.due) for t in touches] == [(1, 2, today)]
    longer = _plan(
        PlanStep("thank_you", "thanks", 1),
        PlanStep("check_in", "call", 30),
        PlanStep("check_in", "lunch", 100),
        PlanStep("keep_in_touch", "half a year", 180),
    )
    changed, new = replan(record, touches, EVENT, longer, today, NOW)
    # The touch of step 2 stays (same UID) as "lunch", the step it is now; 0 and 1 are past.
    assert [(t.id, t.title, t.due, t.sequence) for t in changed] == [(1, "lunch", today, 1)]
    assert [(t.title, t.due, t.step) for t in new] == [("half a year", date(2027, 5, 6), 3)]
    shorter = _plan(PlanStep("thank_you", "thanks", 1), PlanStep("check_in", "call", 30))
    changed, new = replan(record, touches, EVENT, shorter, today, NOW)
    assert [(t.id, t.status) for t in changed] == [(1, "skipped")]  # beyond the new plan
    assert [(t.title, t.due, t.step) for t in new] == [("call", today, 1)]  # one, not two


def test_schedule_without_event_counts_from_today():
    record = contact(reasons=())
    got = schedule(record, None, _plan(PlanStep("x", "call", 5)), [], date(2026, 1, 1), now=NOW)
    assert [(t.title, t.due, t.step) for t in got] == [("call", date(2026, 1, 6), 0)]


def test_schedule_important_dates_become_yearly_touches():
    dates = (
        ImportantDate(1, 7, "birthday", 2, 29),
        ImportantDate(2, 7, "anniversary", 12, 1, label="Company founded"),
    )
    record = contact(dates=dates)
    got = schedule(record, EVENT, (), record.reasons, date(2026, 11, 8), now=NOW)
    assert [(t.kind, t.title, t.due) for t in got] == [
        ("reason", "send deck", date(2026, 11, 8)),
        ("anniversary", "Company founded", date(2026, 12, 1)),
        ("birthday", "birthday", date(2027, 2, 28)),
    ]
    birthday = got[-1]
    closed = mark_done(replace(birthday, id=3), NOW)
    again = next_yearly(closed, record.dates, NOW)
    assert again is not None and again.due == date(2028, 2, 29) and again.id == 0
    assert next_yearly(mark_done(touch(4), NOW), record.dates, NOW) is None


def test_summary_says_who_and_why_and_asks_about_the_job():
    record = contact()
    assert touch_summary(touch(1), record.contact) == "Follow up: Ana Ruiz — thank-you: send deck"
    keep = touch(2, kind="keep_in_touch", title="keep in touch", step=2)
    assert touch_summary(keep, record.contact) == (
        "Follow up: Ana Ruiz — still at Acme as Head of Sales?"
    )
    promise = touch(3, kind="reason", title="send the deck", step=None)
    assert touch_summary(promise, record.contact) == "Follow up: Ana Ruiz — you said: send the deck"
    nameless = contact(name=None, company=None).contact
    assert touch_summary(touch(1), nameless) == (
        "Follow up: ana@acme.example — thank-you: send deck"
    )


def test_state_changes_raise_sequence_and_set_updated():
    later = NOW + timedelta(hours=1)
    t = touch(1)
    done = mark_done(t, later)
    assert (done.status, done.sequence, done.updated, done.is_open) == ("done", 1, later, False)
    skipped = skip(t, later)
    assert (skipped.status, skipped.sequence) == ("skipped", 1)
    snoozed = snooze(t, date(2026, 11, 20), date(2026, 11, 8), later)
    assert (snoozed.status, snoozed.when, snoozed.sequence, snoozed.is_open) == (
        "snoozed",
        date(2026, 11, 20),
        1,
        True,
    )
    moved = move(snoozed, date(2026, 12, 1), later)
    assert (moved.status, moved.when, moved.sequence) == ("due", date(2026, 12, 1), 2)
    with pytest.raises(ValidationError, match="already done"):
        mark_done(done, later)
    with pytest.raises(ValidationError, match="not after today"):
        snooze(t, date(2026, 11, 8), date(2026, 11, 8), later)


def test_log_contact_closes_the_current_touch_and_rebases_the_later_ones():
    touches = [
        touch(1, due=date(2026, 11, 8), step=0),
        touch(2, due=date(2026, 11, 28), kind="check_in", title="check in", step=1),
        touch(3, due=date(2027, 2, 5), kind="keep_in_touch", title="keep in touch", step=2),
        touch(4, due=date(2027, 3, 1), kind="reason", title="coffee in March", step=None),
    ]
    changed = log_contact(touches, date(2026, 11, 10), NOW)
    assert [(t.id, t.status, t.due, t.sequence) for t in changed] == [
        (1, "done", date(2026, 11, 8), 1),
        (2, "due", date(2026, 11, 30), 1),
        (3, "due", date(2027, 2, 7), 1),
    ]
    assert log_contact([mark_done(t, NOW) for t in touches], date(2026, 11, 10), NOW) == []
    # A promise is not the cadence: logging contact leaves it open, even when it is due.
    promise = touch(5, due=date(2026, 11, 9), kind="reason", title="send deck", step=None)
    assert log_contact([mark_done(touches[0], NOW), promise], date(2026, 11, 10), NOW) == []


def test_replan_keeps_uids_skips_extra_steps_and_leaves_closed_steps_closed():
    touches = [
        mark_done(touch(1, due=date(2026, 11, 8), step=0), NOW),
        touch(2, due=date(2026, 11, 28), kind="check_in", title="check in", step=1),
        touch(3, due=date(2027, 2, 5), kind="keep_in_touch", title="keep in touch", step=2),
    ]
    plan = _plan(PlanStep("thank_you", "thanks", 2), PlanStep("check_in", "check in", 30))
    changed, new = replan(contact(), touches, EVENT, plan, date(2026, 11, 9), NOW)
    assert [(t.id, t.status, t.due, t.sequence) for t in changed] == [
        (2, "due", date(2026, 12, 7), 1),
        (3, "skipped", date(2027, 2, 5), 1),
    ]
    assert new == []
    longer = _plan(*DEFAULT_STEPS, PlanStep("check_in", "six months", 180))
    changed, new = replan(contact(), touches, EVENT, longer, date(2026, 11, 9), NOW)
    assert changed == []
    assert [(t.title, t.due, t.step) for t in new] == [("six months", date(2027, 5, 6), 3)]


@pytest.mark.parametrize(
    "steps",
    [(), (PlanStep("", "x", 1),), (PlanStep("a", "b", -1),), (PlanStep("a", "b", 4000),)],
)
def test_bad_plans_are_refused(steps):
    with pytest.raises(ValidationError):
        validate_steps(steps)


def test_log_contact_follows_plan_order_not_snooze_dates():
    touches = [
        snooze(
            touch(2, due=date(2026, 11, 28), kind="check_in", title="check in", step=1),
            date(2030, 1, 1),
            date(2026, 11, 20),
            NOW,
        ),
        touch(3, due=date(2027, 2, 5), kind="keep_in_touch", title="keep in touch", step=2),
    ]
    changed = log_contact(touches, date(2026, 11, 22), NOW)
    assert [(t.id, t.status, t.when) for t in changed] == [
        (2, "done", date(2026, 11, 28)),
        (3, "due", date(2027, 1, 30)),
    ]
    early = [touch(1, due=date(2026, 12, 20), step=0), touch(2, due=date(2026, 12, 1), step=1)]
    [_, later] = log_contact(early, date(2026, 11, 22), NOW)
    assert later.due == date(2026, 11, 22)  # never before today


@settings(max_examples=300)
@given(st.text())
def test_one_line_fast_path_agrees_with_the_slow_one(text):
    assert one_line(text) == " ".join(clean_text(text).split())


# --- a reason's own due date ("when" at capture) and the first touch --------------------------

TODAY = date(2026, 11, 8)


def _record(*reasons):
    """Ana with these reasons: (text, due or None) pairs."""
    return replace(
        contact(reasons=()),
        reasons=[Reason(i, 7, text, due=due) for i, (text, due) in enumerate(reasons, 1)],
    )


def _open(touches):
    return sorted((t.kind, t.title, t.when, t.step) for t in touches if t.is_open)


def _stored(touches):
    """The touches as the store gives them back: with ids."""
    return [replace(t, id=i) for i, t in enumerate(touches, 1)]


# The later steps of the default cadence: the same in every case below.
LATER_STEPS = [
    ("check_in", "check in", date(2026, 11, 28), 1),
    ("keep_in_touch", "keep in touch", date(2027, 2, 5), 2),
]


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (  # "send deck" + "Next week" at capture: a promise; the thank-you still comes
            (("send deck", date(2026, 11, 14)), ("intro", date(2026, 11, 14))),
            [
                ("thank_you", "thank you", date(2026, 11, 8), 0),
                ("reason", "send deck", date(2026, 11, 14), None),
                ("reason", "intro", date(2026, 11, 14), None),
            ],
        ),
        (  # "partnership; meeting, by 2027-03-10": promises, the cadence as planned
            (("partnership", date(2027, 3, 10)), ("meeting", date(2027, 3, 10))),
            [
                ("thank_you", "thank you", date(2026, 11, 8), 0),
                ("reason", "partnership", date(2027, 3, 10), None),
                ("reason", "meeting", date(2027, 3, 10), None),
            ],
        ),
        (  # an undated reason is named by the thank-you; the dated one is a promise
            (("send deck", None), ("demo", date(2026, 12, 1))),
            [
                ("reason", "demo", date(2026, 12, 1), None),
                ("thank_you", "send deck", date(2026, 11, 8), 0),
            ],
        ),
        (  # a date only found in the text: a promise too
            (("coffee in March", None),),
            [
                ("reason", "coffee in March", date(2027, 3, 1), None),
                ("thank_you", "thank you", date(2026, 11, 8), 0),
            ],
        ),
        (  # a promise already past (a capture that waited offline) falls on today
            (("send deck", date(2026, 11, 1)),),
            [
                ("reason", "send deck", date(2026, 11, 8), None),
                ("thank_you", "thank you", date(2026, 11, 8), 0),
            ],
        ),
    ],
)
def test_a_reason_with_a_date_is_a_promise_beside_the_cadence(reasons, expected):
    record = _record(*reasons)
    got = schedule(record, EVENT, DEFAULT_STEPS, record.reasons, TODAY, now=NOW)
    assert _open(got) == sorted([*expected, *LATER_STEPS])
    assert update_touches(record, _stored(got), EVENT, _plan(*DEFAULT_STEPS), TODAY, NOW) == (
        [],
        [],
    )


def test_promises_follow_their_reasons_and_the_thank_you_names_the_undated_ones():
    plan = _plan(*DEFAULT_STEPS)
    dated = _record(("send deck", date(2026, 11, 14)))
    touches = _stored(schedule(dated, EVENT, plan, dated.reasons, TODAY, now=NOW))
    assert [(t.id, t.kind, t.title) for t in touches] == [
        (1, "thank_you", "thank you"),
        (2, "reason", "send deck"),
        (3, "check_in", "check in"),
        (4, "keep_in_touch", "keep in touch"),
    ]
    # The dated reason is deleted: its promise is skipped, the cadence stays.
    changed, new = update_touches(_record(), touches, EVENT, plan, TODAY, NOW)
    assert new == []
    assert [(t.id, t.status) for t in changed] == [(2, "skipped")]
    # An undated reason is added: the thank-you names it; the promise stays.
    both = _record(("send deck", date(2026, 11, 14)), ("intro", None))
    changed, new = update_touches(both, touches, EVENT, plan, TODAY, NOW)
    assert [(t.id, t.title, t.due) for t in changed] == [(1, "intro", date(2026, 11, 8))]
    assert new == []
    # The promise's date is changed: it moves, and nothing else does.
    later = _record(("send deck", date(2026, 12, 1)))
    changed, _ = update_touches(later, touches, EVENT, plan, TODAY, NOW)
    assert [(t.id, t.due) for t in changed] == [(2, date(2026, 12, 1))]


def test_re_planning_keeps_what_the_user_decided():
    plan = _plan(*DEFAULT_STEPS)
    dated = _record(("send deck", date(2026, 11, 14)))
    first, promise, check_in, keep = _stored(
        schedule(dated, EVENT, plan, dated.reasons, TODAY, now=NOW)
    )
    snoozed = snooze(promise, date(2026, 11, 30), TODAY, NOW)
    later = _record(("send deck", date(2026, 12, 1)))
    changed, new = update_touches(later, [first, snoozed, check_in, keep], EVENT, plan, TODAY, NOW)
    assert (changed, new) == ([], [])  # the snoozed promise keeps the day it was given
    # An overdue touch is not slid to today each time the contact is re-planned.
    overdue = _record(("send deck", date(2026, 11, 1)))
    touches = _stored(schedule(overdue, EVENT, plan, overdue.reasons, TODAY, now=NOW))
    next_week = TODAY + timedelta(days=7)
    assert update_touches(overdue, touches, EVENT, plan, next_week, NOW) == ([], [])
    # Switching plans leaves done, skipped and snoozed steps where they are, and promises.
    quick = _plan(PlanStep("thank_you", "thanks", 2), PlanStep("check_in", "call", 7))
    snoozed_first = snooze(first, date(2026, 11, 30), TODAY, NOW)
    changed, new = replan(
        later, [snoozed_first, snoozed, mark_done(check_in, NOW), keep], EVENT, quick, TODAY, NOW
    )
    assert [(t.id, t.status) for t in changed] == [(4, "skipped")]
    assert new == []


_TEXTS = st.sampled_from(["send deck", "intro", "demo", "coffee in March", "lunch next week"])
_DUES = st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2027, 6, 30)))
_REASONS = st.lists(st.tuples(_TEXTS, _DUES), max_size=4)


@settings(max_examples=200, deadline=None)
@given(_REASONS, _REASONS)
def test_re_planning_after_reasons_change_gives_what_scheduling_them_afresh_gives(before, after):
    plan = _plan(*DEFAULT_STEPS)
    old, new_record = _record(*before), _record(*after)
    touches = _stored(schedule(old, EVENT, plan, old.reasons, TODAY, now=NOW))
    changed, added = update_touches(new_record, touches, EVENT, plan, TODAY, NOW)
    by_id = {t.id: t for t in touches} | {t.id: t for t in changed}
    result = [*by_id.values(), *added]
    assert len(changed) == len({t.id for t in changed})  # each touch written once
    fresh = schedule(new_record, EVENT, plan, new_record.reasons, TODAY, now=NOW)
    assert _open(result) == _open(fresh)
    stored = _stored(result)
    assert update_touches(new_record, stored, EVENT, plan, TODAY, NOW) == ([], [])


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 800), _REASONS)
def test_planning_late_puts_at_most_one_plan_step_on_a_day_and_is_idempotent(late, reasons):
    today = EVENT.end + timedelta(days=late)
    record = _record(*reasons)
    plan = _plan(*DEFAULT_STEPS)
    got = schedule(record, EVENT, plan, record.reasons, today, now=NOW)
    days = [t.due for t in got if t.step is not None]
    assert days and min(days) >= today and len(days) == len(set(days))
    stored = _stored(got)
    assert update_touches(record, stored, EVENT, plan, today, NOW) == ([], [])
    assert replan(record, stored, EVENT, plan, today, NOW) == ([], [])
