"""Days in words, as the Today view, the digest and the drafts say them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cardscan.outreach.words import ago_in_words, due_in_words, number_in_words

TODAY = date(2026, 12, 8)  # a Tuesday


@pytest.mark.parametrize(
    "days, words",
    [
        (0, "today"),
        (1, "tomorrow"),
        (2, "Thursday"),
        (5, "Sunday"),
        (6, "in 6 days"),  # next Monday: a weekday name would read as this week's
        (9, "in 9 days"),
        (14, "in 2 weeks"),
        (21, "in 3 weeks"),
        (90, "in 3 months"),
        (400, "in 1 year"),
        (-1, "1 day late"),
        (-2, "2 days late"),
        (-20, "3 weeks late"),
        (-75, "2 months late"),
    ],
)
def test_due_in_words(days, words):
    assert due_in_words(TODAY + timedelta(days=days), TODAY) == words


@pytest.mark.parametrize(
    "day, words",
    [
        (date(2026, 12, 8), "today"),
        (date(2026, 12, 7), "yesterday"),
        (date(2026, 12, 6), "last week"),  # Sunday, and today is Tuesday
        (date(2026, 12, 1), "last week"),
        (date(2026, 11, 20), "a few weeks ago"),
        (date(2026, 3, 10), "in March"),
        (date(2025, 3, 10), "in March 2025"),
    ],
)
def test_ago_in_words(day, words):
    assert ago_in_words(day, TODAY) == words


def test_ago_names_a_day_earlier_this_week():
    assert ago_in_words(date(2026, 12, 9), date(2026, 12, 11)) == "on Wednesday"


def test_small_numbers_are_words():
    assert [number_in_words(n) for n in (0, 1, 3, 10, 11)] == ["no", "one", "three", "ten", "11"]
