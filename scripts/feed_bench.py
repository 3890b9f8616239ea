"""How fast the calendar feed is built: synthetic touches in memory, the median of several runs.

Three touches per contact (the default plan), every contact with a company, title, two
phones, an e-mail, a website, an address, two reasons and a meeting. No store: this measures
the feed builder (``build_feed``) alone, which is what the 200 ms budget is about.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cardscan.exports.ics import CalendarData, build_feed
from cardscan.models import Contact, ContactRecord, Event, Meeting, Phone, Reason, Touch


@dataclass(frozen=True)
class FeedBench:
    """What one benchmark measured."""

    touches: int
    contacts: int
    runs: int
    median_seconds: float  # wall clock
    min_seconds: float
    median_cpu_seconds: float  # this process's CPU time: less disturbed by a busy machine
    size_bytes: int


def synthetic(touches: int) -> tuple[list[Touch], dict[int, ContactRecord], dict[int, Event]]:
    """Touches (three per contact), their contacts and one event, with mixed scripts."""
    stamp = datetime(2026, 11, 8, 9, 0, tzinfo=UTC)
    event = Event(1, 1, "Web Summit", date(2026, 11, 4), date(2026, 11, 7), "Lisbon")
    names = ("Ana Ruiz", "Łukasz Żółć", "山田 太郎", "Zoë O'Brien", "محمد علي")
    contacts: dict[int, ContactRecord] = {}
    out: list[Touch] = []
    kinds = (
        ("thank_you", "send deck; intro", 1),
        ("check_in", "check in", 21),
        ("keep_in_touch", "keep in touch", 90),
    )
    for index in range(touches):
        cid = index // 3 + 1
        if cid not in contacts:
            contacts[cid] = ContactRecord(
                id=cid,
                user_id=1,
                contact=Contact(
                    name=f"{names[cid % len(names)]} {cid}",
                    title="Head of Sales, EMEA",
                    company=f"Acme {cid}; Holdings",
                    emails=[f"person{cid}@acme.example"],
                    phones=[
                        Phone("+351 912 345 678", "+351912345678", "mobile"),
                        Phone("+1 212 555 0100", "+12125550100", "office"),
                    ],
                    websites=["https://acme.example"],
                    address="Rua Augusta 1, 1100-048 Lisboa, Portugal",
                ),
                meetings=[Meeting(cid, event.id)],
                reasons=[Reason(1, cid, "send deck"), Reason(2, cid, "intro to Bob")],
            )
        kind, title, offset = kinds[index % 3]
        out.append(
            Touch(
                id=index + 1,
                user_id=1,
                contact_id=cid,
                kind=kind,
                title=title,
                due=event.end + timedelta(days=offset),
                sequence=index % 4,
                created=stamp,
                updated=stamp + timedelta(minutes=index % 1000),
                step=index % 3,
            )
        )
    return out, contacts, {event.id: event}


def bench_feed(touches: int = 10_000, runs: int = 7) -> FeedBench:
    """Build a feed of ``touches`` touches ``runs`` times and report the median time."""
    data, contacts, events = synthetic(touches)
    times: list[float] = []
    cpu: list[float] = []
    size = 0
    for _ in range(max(1, runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        about = CalendarData(
            contacts=contacts,
            events=events,
            base_url="https://cards.example.org",
            now=datetime.now(UTC),
        )
        feed = build_feed("bench", data, about)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        size = len(feed)
    return FeedBench(
        touches=len(data),
        contacts=len(contacts),
        runs=len(times),
        median_seconds=statistics.median(times),
        min_seconds=min(times),
        median_cpu_seconds=statistics.median(cpu),
        size_bytes=size,
    )
