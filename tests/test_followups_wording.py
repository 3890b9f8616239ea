"""A touch said as a person would: promises, thank-you, the keep-in-touch question."""

from __future__ import annotations

from datetime import date

import pytest

from cardscan.followups import day_label, is_promise, job_question, touch_words
from cardscan.models import Contact
from tests.support.followup_data import touch

TODAY = date(2026, 12, 7)
ACME = Contact(name="Ana Ruiz", title="CTO", company="Acme")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 12), "Sat 12 Dec"),
        (date(2026, 12, 7), "Mon 7 Dec"),
        (date(2027, 3, 10), "Wed 10 Mar 2027"),
        (date(2025, 1, 2), "Thu 2 Jan 2025"),
    ],
)
def test_day_label_adds_the_year_only_when_it_is_not_this_one(day, expected):
    assert day_label(day, TODAY) == expected


@pytest.mark.parametrize(
    ("kind", "title", "step", "contact", "expected"),
    [
        ("reason", "send the deck", None, ACME, "you said: send the deck — by Fri 11 Dec"),
        ("thank_you", "thank you", 0, ACME, "thank-you"),
        ("thank_you", "Thanks", 0, ACME, "thank-you"),
        ("thank_you", "send deck; intro", 0, ACME, "thank-you: send deck; intro"),
        ("keep_in_touch", "keep in touch", 2, ACME, "still at Acme as CTO?"),
        ("keep_in_touch", "keep in touch", 2, Contact(company="Acme"), "still at Acme?"),
        ("keep_in_touch", "keep in touch", 2, Contact(title="CTO"), "still CTO?"),
        ("keep_in_touch", "keep in touch", 2, Contact(name="Bo"), "keep in touch"),
        ("check_in", "check in", 1, ACME, "check in"),
        ("birthday", "birthday", None, ACME, "birthday"),
        ("reason", "  lunch\nin Lisbon ", None, ACME, "you said: lunch in Lisbon — by Fri 11 Dec"),
    ],
)
def test_touch_words(kind, title, step, contact, expected):
    item = touch(1, kind=kind, title=title, step=step, due=date(2026, 12, 11))
    assert touch_words(item, contact, today=TODAY) == expected
    # Without today (the calendar: the event is on that day already) a promise has no "by".
    assert touch_words(item, contact) == expected.split(" — by ")[0]
    assert is_promise(item) == (kind == "reason")


def test_job_question_is_empty_without_company_or_title():
    assert job_question(Contact(name="Bo")) == ""


def test_closed_words_never_say_skipped_for_what_the_app_closed():
    from cardscan.followups import closed_words, mark_done, skip

    now = touch(1).created
    assert closed_words(skip(touch(1), now)) == "skipped"
    assert closed_words(skip(touch(1), now, by="plan")) == "replaced by a plan change"
    assert closed_words(skip(touch(1), now, by="merge")) == "merged with a duplicate"
    assert closed_words(mark_done(touch(1), now)) == "done"


def test_job_history_keeps_each_earlier_job():
    from cardscan.followups import job_history

    rows = [
        {"field": "title", "ocr_value": "CTO", "final_value": "CEO", "corrected": "2027-01-02T1"},
        {
            "field": "company",
            "ocr_value": "Acme",
            "final_value": "Globex",
            "corrected": "2027-03-01T1",
        },
    ]
    now = Contact(name="Ana", title="CEO", company="Globex")
    assert job_history(rows, now) == [("CEO", "Acme", "2027-03-01"), ("CTO", "Acme", "2027-01-02")]
    assert job_history([], now) == []
