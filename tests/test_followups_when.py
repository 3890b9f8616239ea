"""Dates in words in seven languages, resolved relative to the capture time (dateparser
plus the thin layer in ``followups.when``); the phrases are in tests/data/followups/when.toml."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cardscan.followups import find_when, parse_when
from tests.support.tables import cases

#: The capture time test_dates_in_words' phrases are read against: Monday 7 December 2026, 10:00.
CAPTURED = datetime(2026, 12, 7, 10, 0)

#: The day test_parse_when's phrases are read against: a Saturday, the event's last day.
SATURDAY = date(2026, 11, 7)


@pytest.mark.parametrize(
    ("language", "text", "expected"), cases("followups/when", "phrases", size=3)
)
def test_dates_in_words(language, text, expected):
    found = find_when(text, CAPTURED)
    assert (found.day if found else None) == expected
    if found is not None:
        assert found.phrase and found.phrase.lower() in text.lower()
        assert found.day >= CAPTURED.date()


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (date(2026, 12, 7), date(2027, 3, 1)),  # in December: next March
        (date(2027, 2, 10), date(2027, 3, 1)),  # in February: this March
        (date(2027, 3, 20), date(2027, 3, 20)),  # in March: now
    ],
)
def test_relative_to_the_capture_time_never_in_the_past(reference, expected):
    assert parse_when("coffee in March", reference) == expected


def test_a_quarter_already_running_is_today_and_one_past_is_next_years():
    assert parse_when("Q4", date(2026, 12, 7)) == date(2026, 12, 7)
    assert parse_when("Q2", date(2026, 12, 7)) == date(2027, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"), cases("followups/when", "saturday_7_november", size=2)
)
def test_parse_when(text, expected):
    assert parse_when(text, SATURDAY) == expected


def test_no_text_no_date():
    assert find_when("", CAPTURED) is None
    assert find_when(None, CAPTURED) is None
