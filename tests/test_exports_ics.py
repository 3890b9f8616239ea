"""The .ics feed and files parse back (icalendar) to the same data, byte-stable and RFC-shaped."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.errors import ValidationError
from cardscan.exports.fields import clean_text, fold_more
from cardscan.exports.ics import CalendarData, build_feed, build_ics_file, describe, fold
from cardscan.followups import mark_done, snooze, touch_summary
from tests.support.calendar_check import libical
from tests.support.followup_data import EVENT, HOSTILE, NOW, contact, touch

BASE = "https://cards.example.org"
_CONTENT_LINE = re.compile(r"^[A-Z][A-Z0-9-]*(;[A-Z0-9-]+=[^;:\"]*)*:")


def _data(contacts, events=None, **kw):
    """What a test's calendar is written from: these contacts, the event, our address."""
    kw.setdefault("base_url", BASE)
    kw.setdefault("now", NOW)
    events = {EVENT.id: EVENT} if events is None else events
    return CalendarData(contacts={c.id: c for c in contacts}, events=events, **kw)


def _feed(touches, contacts, **kw):
    return build_feed("ana", touches, _data(contacts, **kw))


def _events(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


def _check_shape(data: bytes) -> None:
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]
    for line in unfolded:  # every content line is NAME[;PARAM=...]:VALUE, no control chars
        assert _CONTENT_LINE.match(line), line
        assert not any(ord(ch) < 32 and ch != "\t" for ch in line), line
    begins = [ln for ln in unfolded if ln.startswith("BEGIN:")]
    assert len(begins) == len([ln for ln in unfolded if ln.startswith("END:")])


def _touches():
    return [
        touch(1, due=date(2026, 11, 8), step=0),
        touch(2, due=date(2026, 11, 28), kind="check_in", title="check in", step=1),
        touch(3, due=date(2027, 2, 5), kind="keep_in_touch", title="keep in touch", step=2),
        touch(4, cid=8, due=date(2026, 11, 8)),
    ]


def test_feed_has_the_calendar_properties_and_one_event_per_open_touch():
    people = [contact(7), contact(8, name="Bob Lee", company="Initech")]
    data = _feed(_touches(), people)
    _check_shape(data)
    cal, events = _events(data)
    assert str(cal["X-WR-CALNAME"]) == "cardscan follow-ups (ana)"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data.decode()
    assert "X-PUBLISHED-TTL:PT1H\r\n" in data.decode()
    assert [str(e["UID"]) for e in events] == [
        "touch-1@cardscan",
        "touch-4@cardscan",
        "touch-2@cardscan",
        "touch-3@cardscan",
    ]
    for e in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"} <= set(e.keys())
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is date and end == start + timedelta(days=1)
    by_uid = {str(e["UID"]): e for e in events}
    first = by_uid["touch-1@cardscan"]
    assert str(first["SUMMARY"]) == "Follow up: Ana Ruiz — thank-you: send deck"
    assert str(first["URL"]) == f"{BASE}/contacts/7"
    text = str(first["DESCRIPTION"])
    for part in (
        "Ana Ruiz",
        "Head of Sales, Acme",
        "ana@acme.example",
        "+351912345678 (mobile)",
        "+1 212 555 0100 (office)",
        "Met at: Web Summit (Lisbon), 2026-11-04 to 2026-11-07",
        "Why: send deck",
        f"{BASE}/contacts/7",
    ):
        assert part in text
    keep = by_uid["touch-3@cardscan"]
    assert str(keep["SUMMARY"]) == "Follow up: Ana Ruiz — still at Acme as Head of Sales?"
    assert "Still at Acme as Head of Sales?" in str(keep["DESCRIPTION"])
    assert "DTSTART;VALUE=DATE:20261108\r\n" in data.decode()
    assert "DTEND;VALUE=DATE:20261109\r\n" in data.decode()


def test_same_data_gives_identical_bytes_whatever_the_clock():
    people = [contact(7), contact(8, name="Bob Lee")]
    one = _feed(_touches(), people, now=NOW)
    two = _feed(list(reversed(_touches())), list(reversed(people)), now=NOW + timedelta(days=3))
    assert one == two
    assert re.search(rb"DTSTAMP:20261108T093000Z", one)


def test_closed_touches_leave_the_feed_and_a_moved_touch_keeps_its_uid():
    people = [contact(7), contact(8)]
    touches = _touches()
    later = NOW + timedelta(days=1)
    touches[0] = mark_done(touches[0], later)
    touches[1] = snooze(touches[1], date(2026, 12, 12), date(2026, 11, 9), later)
    _, events = _events(_feed(touches, people))
    uids = {str(e["UID"]): e for e in events}
    assert "touch-1@cardscan" not in uids
    moved = uids["touch-2@cardscan"]
    assert moved.decoded("DTSTART") == date(2026, 12, 12)
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("LAST-MODIFIED") == later
    assert moved.decoded("DTSTAMP") == later


def test_private_notes_stay_out_unless_enabled():
    people = [contact(7, private_notes="owes me money", notes="met her brother")]
    off = _feed(_touches()[:1], people)
    on = _feed(_touches()[:1], people, include_private_notes=True)
    assert b"owes me money" not in off and b"met her brother" not in off
    assert b"owes me money" in on and b"met her brother" in on


def test_no_base_url_means_no_links():
    data = _feed(_touches()[:1], [contact(7)], base_url="")
    assert b"URL" not in data and b"/contacts/" not in data


def test_one_off_file_has_a_morning_alarm_on_each_touch():
    data = build_ics_file("Web Summit follow-ups", _touches(), _data([contact(7), contact(8)]))
    _check_shape(data)
    _, events = _events(data)
    assert len(events) == 4
    for e in events:
        alarms = list(e.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == timedelta(hours=9)
        assert str(alarms[0]["DESCRIPTION"]) == str(e["SUMMARY"])
    assert "TRIGGER;RELATED=START:PT9H\r\n" in data.decode()


def test_fold_keeps_characters_whole():
    line = "DESCRIPTION:" + "ŻółćLź山田" * 30
    folded = fold(line)
    for part in folded.encode().split(b"\r\n"):
        assert len(part) <= 75
        part.decode()
    assert folded.replace("\r\n ", "") == line


_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(), max_size=80),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_text, company=_text, why=_text, notes=_text, reasons=st.lists(_text, max_size=3))
def test_feed_round_trips_any_text(name, company, why, notes, reasons):
    record = contact(7, name=name, company=company, reasons=tuple(reasons), private_notes=notes)
    record.contact.title = why
    t = touch(1, title=why, kind="keep_in_touch")
    data = _feed([t], [record], include_private_notes=True)
    _check_shape(data)
    _, events = _events(data)
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == clean_text(touch_summary(t, record.contact))
    expected = describe(t, record, {EVENT.id: EVENT}, base_url=BASE, include_private_notes=True)
    assert str(events[0]["DESCRIPTION"]) == clean_text(expected)


def test_feed_of_many_touches_has_unique_uids():
    people = [contact(i, name=f"Person {i}") for i in range(1, 51)]
    touches = [
        replace(touch(i * 3 + k, cid=i), due=date(2026, 11, 8) + timedelta(days=k))
        for i in range(1, 51)
        for k in range(3)
    ]
    _, events = _events(_feed(touches, people))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == 150 == len(set(uids))


def test_a_second_parser_reads_the_feed_and_files_too():
    people = {7: contact(7, name="Łukasz Żółć"), 8: contact(8, name="山田 太郎")}
    feed = _feed(_touches(), people.values())
    cal = vobject.readOne(feed.decode("utf-8"))
    assert [e.uid.value for e in cal.vevent_list][:2] == ["touch-1@cardscan", "touch-4@cardscan"]
    assert cal.vevent_list[0].summary.value == "Follow up: Łukasz Żółć — thank-you: send deck"
    one_off = build_ics_file("x", _touches(), _data(people.values()))
    alarm = vobject.readOne(one_off.decode("utf-8")).vevent_list[0].valarm
    assert alarm.trigger.value == timedelta(hours=9)


@settings(max_examples=200, deadline=None)
@given(
    a=st.text(
        st.characters(exclude_characters="\r\n", exclude_categories=("Cs",)),
        min_size=1,
        max_size=300,
    ),
    b=st.text(st.characters(exclude_characters="\r\n", exclude_categories=("Cs",)), max_size=120),
)
def test_fold_more_equals_folding_the_whole_line(a, b):  # content lines hold no CR/LF
    assert fold_more(fold(a), b) == fold(a + b)


def test_the_alarm_can_ring_the_day_before_or_not_at_all():
    args = ("x", _touches(), _data([contact(7), contact(8)]))
    before = build_ics_file(*args, alarm="day-before")
    [alarm, *_] = icalendar.Calendar.from_ical(before).walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=15)
    silent = build_ics_file(*args, alarm=None)
    assert b"VALARM" not in silent
    with pytest.raises(ValidationError, match="unknown alarm 'noon'"):
        build_ics_file(*args, alarm="noon")


def test_feed_and_files_pass_libicals_restriction_check_with_hostile_text():
    people = {7: contact(7, name=HOSTILE[0], notes=HOSTILE[2]), 8: contact(8, name=HOSTILE[9])}
    feed = _feed(_touches(), people.values())
    one_off = build_ics_file("x", _touches(), _data(people.values()))
    for data in (feed, one_off):
        assert b"METHOD" not in data
        assert libical(data) == {"parsed": True, "ok": True, "errors": []}


def test_libicals_check_does_fail_a_publish_without_organizer():
    feed = _feed(_touches(), [contact(7), contact(8)])
    broken = feed.replace(b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
    verdict = libical(broken)
    assert not verdict["ok"] and "ORGANIZER" in " ".join(verdict["errors"])


def test_fingerprints_change_with_what_the_event_says_only():
    from cardscan.exports.ics import fingerprints

    touches = _touches()
    people = {7: contact(7), 8: contact(8)}
    first = fingerprints(touches, _data(people.values()))
    assert first == fingerprints(touches, _data(people.values()))
    renamed = {7: contact(7, name="Ana R. Ruiz"), 8: contact(8)}
    second = fingerprints(touches, _data(renamed.values()))
    changed = {i for i in first if first[i] != second[i]}
    assert changed == {t.id for t in touches if t.contact_id == 7 and t.is_open}
    moved = {EVENT.id: replace(EVENT, name="Web Summit 2026")}
    assert all(
        first[i] != v for i, v in fingerprints(touches, _data(people.values(), moved)).items()
    )
